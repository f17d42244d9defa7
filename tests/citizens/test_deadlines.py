"""Complaint deadlines in working days (functions/citizens/deadlines.py).

Unless a test says otherwise a complaint of category pelayanan is received on Wednesday
2026-11-25 at 10:00 WIB, with the defaults of 3 working days to dispatch and 5 to follow up.
Day 1 is Thursday 11-26, so verification is due Monday 11-30 23:59:59 (Fri 11-27 is day 2).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from functions.citizens import deadlines
from functions.citizens.deadlines import DEFAULT_DAYS, DeadlineStatus, Due, due_times, evaluate
from functions.rules.workdays import WIB, Calendar
from functions.store.sqlite import SQLiteStore

CALENDAR = Calendar()
RECEIVED = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


def wib(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, micro, tzinfo=WIB)


def at(month: int, day: int) -> datetime:
    """The due moment of a day of 2026: 23:59:59 WIB."""
    return wib(month, day, 23, 59, 59)


def event(jenis: str, waktu: datetime) -> dict[str, Any]:
    return {"jenis": jenis, "waktu": waktu}


def status(events: list[dict[str, Any]], now: datetime) -> DeadlineStatus:
    """The status at ``now`` of the usual complaint (no Konfigurasi rows: the defaults)."""
    return evaluate(RECEIVED, [event("Diterima", RECEIVED), *events], "pelayanan", CALENDAR, {}, now)


def test_defaults_are_three_and_five_working_days() -> None:
    assert dict(DEFAULT_DAYS) == {"verifikasi": 3, "tindak_lanjut": 5}
    assert deadlines.stage_days("pelayanan", {}) == {"verifikasi": 3, "tindak_lanjut": 5}


def test_due_times_over_idul_fitri_and_good_friday() -> None:
    # Received on Nyepi, Thu 03-19. Off: Wed 03-18 .. Tue 03-24 (Nyepi, Idul Fitri, cuti bersama, weekend).
    # Verification: day 1 = Wed 03-25, day 2 = Thu 03-26, day 3 = Fri 03-27.
    # Follow-up, counted from the verification deadline 03-27: Mon 03-30, Tue 03-31, Wed 04-01,
    # Thu 04-02, (Fri 04-03 Wafat Yesus Kristus, weekend), day 5 = Mon 04-06.
    due = due_times(wib(3, 19, 10), "pelayanan", CALENDAR, {})
    assert due == Due(verifikasi=at(3, 27), tindak_lanjut=at(4, 6))


def test_follow_up_counts_from_the_dispatch_when_known() -> None:
    # Dispatched Thu 11-26 09:00: day 1 = Fri 11-27, Mon 11-30, Tue 12-01, Wed 12-02, day 5 = Thu 12-03.
    due = due_times(RECEIVED, "pelayanan", CALENDAR, {}, dispatched=wib(11, 26, 9))
    assert due == Due(verifikasi=at(11, 30), tindak_lanjut=at(12, 3))


def test_deadlines_met_on_time() -> None:
    result = status(
        # Out of order on purpose: the first event by time counts.
        [
            event("Ditindaklanjuti", wib(12, 2, 15)),
            event("Selesai", wib(12, 9, 8)),
            event("Didisposisikan", wib(11, 26, 9)),
        ],
        now=wib(12, 10, 12),
    )
    assert (result.verifikasi.due, result.verifikasi.met_at, result.verifikasi.met) == (
        at(11, 30),
        wib(11, 26, 9),
        True,
    )
    # Follow-up due 5 working days after the dispatch on Thu 11-26: Thu 12-03.
    assert (result.tindak_lanjut.due, result.tindak_lanjut.met_at) == (at(12, 3), wib(12, 2, 15))
    assert result.tindak_lanjut.met is True
    assert not result.verifikasi.late_now and not result.tindak_lanjut.late_now
    # Wed 11-25 10:00-12:00 + 13:00-16:00 = 5 h; Thu, Fri, Mon, Tue 4 x 7.5 = 30 h;
    # Wed 12-02 07:30-12:00 + 13:00-15:00 = 6.5 h. Total 41.5 h.
    assert result.first_response_hours == 41.5


def test_deadlines_missed() -> None:
    # Dispatched Tue 12-01 08:00, after the verification deadline Mon 11-30.
    # Follow-up due from Tue 12-01: Wed 12-02, Thu 12-03, Fri 12-04, Mon 12-07, day 5 = Tue 12-08.
    result = status(
        [event("Didisposisikan", wib(12, 1, 8)), event("Ditindaklanjuti", wib(12, 9, 8))],
        now=wib(12, 10, 12),
    )
    assert (result.verifikasi.met, result.verifikasi.met_at) == (False, wib(12, 1, 8))
    assert (result.tindak_lanjut.due, result.tindak_lanjut.met) == (at(12, 8), False)
    assert not result.verifikasi.late_now and not result.tindak_lanjut.late_now  # closed, if late


def test_an_open_complaint_past_due_is_late_now() -> None:
    # Nothing after receipt; now Tue 12-01 08:00, after the verification deadline Mon 11-30.
    # Follow-up counted from that deadline: Tue 12-01, Wed 12-02, Thu 12-03, Fri 12-04, day 5 = Mon 12-07.
    result = status([], now=wib(12, 1, 8))
    assert (result.verifikasi.met, result.verifikasi.late_now, result.verifikasi.met_at) == (False, True, None)
    assert (result.tindak_lanjut.due, result.tindak_lanjut.met, result.tindak_lanjut.late_now) == (
        at(12, 7),
        None,
        False,
    )
    assert result.first_response_hours is None
    later = status([], now=wib(12, 8))
    assert later.tindak_lanjut.late_now and later.tindak_lanjut.met is False


def test_the_due_second_itself_is_on_time() -> None:
    assert status([], now=at(11, 30)).verifikasi.met is None
    assert status([], now=wib(11, 30, 23, 59, 59, 999999)).verifikasi.late_now is False
    assert status([], now=wib(12, 1)).verifikasi.late_now is True
    last_second = status([event("Didisposisikan", wib(11, 30, 23, 59, 59, 500000))], now=wib(12, 1, 9))
    assert last_second.verifikasi.met is True


def test_a_rejection_answers_both_stages() -> None:
    result = status([event("Ditolak", wib(11, 26, 11))], now=wib(12, 10))
    assert result.verifikasi.met is True and result.tindak_lanjut.met is True
    assert result.verifikasi.met_at == result.tindak_lanjut.met_at == wib(11, 26, 11)
    # Wed 11-25 10:00-16:00 less the break = 5 h; Thu 11-26 07:30-11:00 = 3.5 h.
    assert result.first_response_hours == 8.5


def test_a_follow_up_without_a_recorded_dispatch_meets_both_stages() -> None:
    result = status([event("Ditindaklanjuti", wib(11, 27, 9))], now=wib(12, 10))
    assert result.verifikasi.met_at == result.tindak_lanjut.met_at == wib(11, 27, 9)
    assert result.verifikasi.met and result.tindak_lanjut.met


def test_events_after_now_are_not_known_yet() -> None:
    # Seen on Tue 12-01 08:00, the dispatch of Wed 12-02 has not happened: verification is late now.
    result = status([event("Didisposisikan", wib(12, 2, 9))], now=wib(12, 1, 8))
    assert result.verifikasi.met_at is None and result.verifikasi.late_now


def test_other_events_meet_no_stage() -> None:
    result = status([event("Diproses", wib(11, 26, 9)), {"jenis": "Didisposisikan", "waktu": None}], now=wib(11, 27))
    assert result.verifikasi.met is None and result.verifikasi.met_at is None


def test_category_settings_come_from_konfigurasi(store: SQLiteStore) -> None:
    rows = [
        ("tenggat_verifikasi_kesehatan", "1", "Kesehatan: diverifikasi dalam 1 hari kerja."),
        ("tenggat_tindak_lanjut", "10", "Semua kategori: ditindaklanjuti dalam 10 hari kerja."),
        ("tenggat_tindak_lanjut_infrastruktur", "14", "Infrastruktur: 14 hari kerja."),
        ("tenggat_verifikasi_lainnya", "dua", "Bukan angka: diabaikan."),
        ("tenggat_tindak_lanjut_lainnya", "1_0", "Bukan angka biasa (float() membacanya 10): diabaikan."),
        ("tenggat_tindak_lanjut_kesehatan", "٥", "Angka Arab-India: diabaikan."),
        ("tenggat_verifikasi_pelayanan", "0", "Di luar rentang: diabaikan."),
        ("tenggat_verifikasi_parkir", "2", "Kategori tidak dikenal: diabaikan."),
        ("laporan_batas_hari", "7", "Bukan pengaturan tenggat."),
    ]
    store.upsert("Konfigurasi", [{"kunci": k, "nilai": v, "keterangan": d} for k, v, d in rows])
    days = deadlines.days_from_store(store)
    assert days == {
        "tenggat_verifikasi_kesehatan": 1,
        "tenggat_tindak_lanjut": 10,
        "tenggat_tindak_lanjut_infrastruktur": 14,
    }
    assert deadlines.stage_days("kesehatan", days) == {"verifikasi": 1, "tindak_lanjut": 10}
    assert deadlines.stage_days("Infrastruktur", days) == {"verifikasi": 3, "tindak_lanjut": 14}
    assert deadlines.stage_days("lainnya", days) == {"verifikasi": 3, "tindak_lanjut": 10}
    # Kesehatan, received Wed 11-25: verification due day 1 = Thu 11-26. Follow-up, 10 days from 11-26:
    # Fri 11-27, Mon 11-30, Tue 12-01, Wed 12-02, Thu 12-03, Fri 12-04, Mon 12-07, Tue 12-08, Wed 12-09,
    # day 10 = Thu 12-10.
    assert due_times(RECEIVED, "kesehatan", CALENDAR, days) == Due(verifikasi=at(11, 26), tindak_lanjut=at(12, 10))
    # Dispatched Fri 11-27 09:00: one day late for kesehatan, on time for the default of three days.
    late = evaluate(RECEIVED, [event("Didisposisikan", wib(11, 27, 9))], "kesehatan", CALENDAR, days, wib(11, 27, 10))
    assert late.verifikasi.met is False
    fine = evaluate(RECEIVED, [event("Didisposisikan", wib(11, 27, 9))], "pelayanan", CALENDAR, days, wib(11, 27, 10))
    assert fine.verifikasi.met is True


def test_every_category_has_its_two_settings() -> None:
    assert "tenggat_verifikasi" in deadlines.CONFIG_KEYS and "tenggat_tindak_lanjut" in deadlines.CONFIG_KEYS
    for slug in ("pelayanan", "infrastruktur", "kesehatan", "kependudukan", "kepegawaian", "lainnya"):
        assert deadlines.config_key("verifikasi", slug) == f"tenggat_verifikasi_{slug}"
        assert f"tenggat_tindak_lanjut_{slug}" in deadlines.CONFIG_KEYS


@pytest.mark.parametrize("kategori", ["parkir", "", "kesehatan-ibu"])
def test_an_unknown_category_is_refused_in_indonesian(kategori: str) -> None:
    with pytest.raises(ValueError, match="tidak dikenal; pilih salah satu: pelayanan"):
        due_times(RECEIVED, kategori, CALENDAR, {})


def test_holiday_overrides_move_complaint_deadlines(store: SQLiteStore) -> None:
    # Received on Nyepi Thu 03-19. Without overrides verification is due Fri 03-27 (see above).
    # With Tue 03-24 Masuk: day 1 = Tue 03-24, day 2 = Wed 03-25, day 3 = Thu 03-26.
    store.upsert("HariLibur", [{"tanggal": date(2026, 3, 24), "jenis": "Masuk", "keterangan": "Contoh SKB baru"}])
    due = due_times(wib(3, 19, 10), "pelayanan", Calendar.from_store(store), {})
    assert due.verifikasi == at(3, 26)


# -- the reporter's side: answers to added information, replies and reopen requests; the reopen window -------------
# Around Idul Fitri 2026: off Wed 03-18 .. Tue 03-24 (cuti bersama, Nyepi Thu 03-19, Idul Fitri, weekend) and
# Fri 04-03 (Wafat Yesus Kristus).
MARCH_16 = wib(3, 16, 10)  # Monday


def answers_at(events: list[dict[str, Any]], now: datetime) -> list[deadlines.AnswerStatus]:
    everything = [event("Diterima", MARCH_16), *events]
    status = evaluate(MARCH_16, everything, "pelayanan", CALENDAR, {}, now)
    return deadlines.answers(everything, "pelayanan", CALENDAR, {}, status.tindak_lanjut.due, now)


def test_information_added_before_the_first_answer_is_due_with_the_follow_up() -> None:
    # Received Mon 03-16: verification day 1 = Tue 03-17, day 2 = Wed 03-25, day 3 = Thu 03-26; the follow-up from
    # there: Fri 03-27, Mon 03-30, Tue 03-31, Wed 04-01, day 5 = Thu 04-02. Added Tue 03-17 09:00, five working
    # days would end Tue 03-31 (03-25, 03-26, 03-27, 03-30, 03-31): the later follow-up deadline wins.
    (added,) = answers_at([event("Informasi Tambahan", wib(3, 17, 9))], now=wib(3, 18))
    assert (added.due, added.met_at, added.met, added.late_now) == (at(4, 2), None, None, False)
    # The unit's first answer after it, on Wed 04-01, answers it on time.
    (answered,) = answers_at(
        [event("Informasi Tambahan", wib(3, 17, 9)), event("Ditindaklanjuti", wib(4, 1, 10))], now=wib(4, 6)
    )
    assert (answered.met_at, answered.met) == (wib(4, 1, 10), True)


def test_a_reply_after_the_answer_is_due_five_working_days_later_over_good_friday() -> None:
    # Dispatched Tue 03-17 (follow-up due Tue 03-31), answered Wed 03-25, the reporter replies Wed 04-01 09:00:
    # Thu 04-02 (1), Fri 04-03 off, Mon 04-06 (2), Tue 04-07 (3), Wed 04-08 (4), Thu 04-09 (5).
    events = [
        event("Didisposisikan", wib(3, 17, 8)),
        event("Ditindaklanjuti", wib(3, 25, 10)),
        event("Tanggapan Pelapor", wib(4, 1, 9)),
    ]
    (reply,) = answers_at(events, now=wib(4, 9, 23, 59, 59))
    assert (reply.due, reply.met, reply.late_now) == (at(4, 9), None, False)
    (late,) = answers_at(events, now=wib(4, 10))
    assert (late.met, late.late_now) == (False, True)
    # The answer before the reply does not answer it; the one after it does, late on Fri 04-10.
    (done,) = answers_at([*events, event("Ditindaklanjuti", wib(4, 10, 9))], now=wib(4, 13))
    assert (done.met_at, done.met, done.late_now) == (wib(4, 10, 9), False, False)


def test_a_rating_needs_no_answer_and_events_after_now_are_unknown() -> None:
    events = [event("Ditindaklanjuti", wib(3, 25, 10)), {"jenis": "Penilaian", "waktu": wib(3, 26, 9)}]
    assert answers_at([*events, event("Minta Ditangani Ulang", wib(4, 20, 9))], now=wib(3, 27)) == []


def test_a_reopen_request_is_due_five_working_days_after_it() -> None:
    # Reopened Wed 04-08 09:00: Thu 04-09, Fri 04-10, Mon 04-13, Tue 04-14, day 5 = Wed 04-15.
    events = [event("Didisposisikan", wib(3, 17, 8)), event("Selesai", wib(3, 25, 10))]
    (reopen,) = answers_at([*events, event("Minta Ditangani Ulang", wib(4, 8, 9))], now=wib(4, 8, 10))
    assert reopen.due == at(4, 15)


def test_the_reopen_window_is_ten_working_days_after_the_closing() -> None:
    # Closed Thu 03-12 14:00: Fri 03-13 (1), Mon 03-16 (2), Tue 03-17 (3), off 03-18..03-24, Wed 03-25 (4),
    # Thu 03-26 (5), Fri 03-27 (6), Mon 03-30 (7), Tue 03-31 (8), Wed 04-01 (9), Thu 04-02 (10).
    assert deadlines.REOPEN_WINDOW_DAYS == 10
    assert deadlines.reopen_until(wib(3, 12, 14), CALENDAR) == at(4, 2)

"""The conversation of a complaint (functions/citizens/conversation.py): its state from both sides' events, and
what the reporter may do when, with working-day dates computed by hand (Idul Fitri 2026 and Good Friday included).

Off around them: Wed 03-18 .. Tue 03-24 (cuti bersama, Nyepi, Idul Fitri, weekend) and Fri 04-03.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from functions.citizens import conversation
from functions.citizens.conversation import ADD, RATE, REOPEN, REPLY, Thread, allowed, derive, refusal
from functions.rules.workdays import WIB, Calendar

CALENDAR = Calendar()
CLOSE_AFTER = 10  # aduan_tutup_otomatis


def wib(month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=WIB)


def event(jenis: str, waktu: datetime, **extra: Any) -> dict[str, Any]:
    return {"jenis": jenis, "waktu": waktu, **extra}


RECEIVED = event("Diterima", wib(3, 9))  # Monday 03-09
ANSWERED = event("Ditindaklanjuti", wib(3, 11))  # Wednesday 03-11


def thread(events: list[dict[str, Any]], now: datetime) -> Thread:
    return derive([RECEIVED, *events], CALENDAR, CLOSE_AFTER, now)


def test_a_new_complaint_takes_added_information_only() -> None:
    t = thread([], now=wib(3, 10))
    assert t == Thread(state="Diterima", closed_at=None, answered=False, rated=False)
    assert allowed(t, CALENDAR, wib(3, 10)) == (ADD,)
    assert refusal(REPLY, t, CALENDAR, wib(3, 10)) == (
        "Tanggapan hanya dapat dikirim setelah unit menjawab dan sebelum pengaduan ditutup."
    )
    assert refusal(RATE, t, CALENDAR, wib(3, 10)) == "Penilaian dapat diberikan setelah unit menjawab pengaduan Anda."


def test_added_information_before_the_answer_keeps_the_state() -> None:
    t = thread([event("Didisposisikan", wib(3, 10)), event(ADD, wib(3, 10, 11))], now=wib(3, 10, 12))
    assert t.state == "Didisposisikan"


def test_after_the_answer_the_reporter_may_reply_or_rate_and_a_reply_goes_back_to_the_unit() -> None:
    t = thread([ANSWERED], now=wib(3, 12))
    assert (t.state, t.answered) == ("Ditindaklanjuti", True)
    assert allowed(t, CALENDAR, wib(3, 12)) == (REPLY, RATE)
    assert refusal(ADD, t, CALENDAR, wib(3, 12)) == (
        "Unit sudah menjawab: kirim tambahan Anda sebagai tanggapan atas jawaban unit."
    )
    replied = thread([ANSWERED, event(REPLY, wib(3, 12))], now=wib(3, 12, 11))
    assert replied.state == "Diproses"
    assert allowed(replied, CALENDAR, wib(3, 12, 11)) == (ADD, RATE)


def test_a_rating_changes_no_state_is_given_once_and_stops_no_automatic_closing() -> None:
    rated = thread([ANSWERED, event(RATE, wib(3, 12), penilaian="Puas")], now=wib(3, 13))
    assert (rated.state, rated.rated) == ("Ditindaklanjuti", True)
    assert refusal(RATE, rated, CALENDAR, wib(3, 13)) == "Anda sudah menilai penanganan ini."
    # Answered Wed 03-11: Thu 03-12 (1), Fri 03-13, Mon 03-16, Tue 03-17 (4), off 03-18..03-24, Wed 03-25 (5),
    # Thu 03-26, Fri 03-27, Mon 03-30, Tue 03-31 (9), Wed 04-01 (10): open through Wed 04-01 23:59:59.
    assert thread([ANSWERED, event(RATE, wib(3, 12))], now=wib(4, 1, 23, 59, 59)).state == "Ditindaklanjuti"
    closed = thread([ANSWERED, event(RATE, wib(3, 12))], now=wib(4, 2, 0))
    assert (closed.state, closed.closed_at) == ("Selesai", wib(4, 1, 23, 59, 59))


def test_a_reply_within_the_ten_days_stops_the_automatic_closing() -> None:
    t = thread([ANSWERED, event(REPLY, wib(4, 1, 15))], now=wib(4, 20))
    assert t.state == "Diproses" and t.closed_at is None


def test_a_reply_after_the_automatic_closing_does_not_reopen() -> None:
    t = thread([ANSWERED, event(REPLY, wib(4, 2, 8))], now=wib(4, 2, 9))
    assert (t.state, t.closed_at) == ("Selesai", wib(4, 1, 23, 59, 59))


@pytest.mark.parametrize("closing", ["Selesai", "Ditolak"])
def test_a_closed_complaint_may_be_reopened_within_ten_working_days(closing: str) -> None:
    # Closed Thu 03-12 14:00: Fri 03-13 (1), Mon 03-16, Tue 03-17 (3), off 03-18..03-24, Wed 03-25 (4), Thu 03-26,
    # Fri 03-27, Mon 03-30, Tue 03-31, Wed 04-01 (9), Thu 04-02 (10).
    t = thread([event(closing, wib(3, 12, 14))], now=wib(3, 13))
    assert (t.state, t.closed_at, t.answered) == (closing, wib(3, 12, 14), True)
    assert allowed(t, CALENDAR, wib(4, 2, 23, 59, 59)) == (RATE, REOPEN)
    assert refusal(REOPEN, t, CALENDAR, wib(4, 3, 0)) == (
        "Batas waktu permintaan penanganan ulang sudah lewat: paling lambat 10 hari kerja setelah pengaduan "
        "ditutup, yaitu Kamis, 2 April 2026. Silakan kirim pengaduan baru."
    )
    assert allowed(t, CALENDAR, wib(4, 3, 0)) == (RATE,)


def test_the_window_after_an_automatic_closing_counts_from_its_day() -> None:
    # Closed automatically at the end of Wed 04-01: Thu 04-02 (1), Fri 04-03 off, Mon 04-06 .. Fri 04-10 (2-6),
    # Mon 04-13 (7), Tue 04-14, Wed 04-15, Thu 04-16 (10).
    t = thread([ANSWERED], now=wib(4, 16, 23, 59, 59))
    assert REOPEN in allowed(t, CALENDAR, wib(4, 16, 23, 59, 59))
    assert refusal(REOPEN, t, CALENDAR, wib(4, 17, 0)) is not None


def test_a_reopen_starts_a_new_round_that_may_be_rated_again_after_the_next_answer() -> None:
    events = [ANSWERED, event(RATE, wib(3, 12)), event("Selesai", wib(3, 13)), event(REOPEN, wib(3, 16))]
    t = thread(events, now=wib(3, 16, 11))
    assert t == Thread(state="Diproses", closed_at=None, answered=False, rated=False)
    assert allowed(t, CALENDAR, wib(3, 16, 11)) == (ADD,)
    again = thread([*events, event("Ditindaklanjuti", wib(3, 17))], now=wib(3, 17, 11))
    assert allowed(again, CALENDAR, wib(3, 17, 11)) == (REPLY, RATE)


def test_open_complaints_cannot_be_reopened() -> None:
    t = thread([event("Didisposisikan", wib(3, 10))], now=wib(3, 11))
    assert refusal(REOPEN, t, CALENDAR, wib(3, 11)) == (
        "Penanganan ulang hanya dapat diminta setelah pengaduan selesai atau ditolak."
    )


@pytest.mark.parametrize(
    "kind, rating, needed",
    [(ADD, None, True), (REPLY, None, True), (REOPEN, None, True), (RATE, "Tidak Puas", True), (RATE, "Puas", False)],
)
def test_every_action_but_a_puas_rating_needs_the_reporters_words(kind: str, rating: str | None, needed: bool) -> None:
    assert conversation.needs_reason(kind, rating) is needed

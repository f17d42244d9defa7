"""e-Kinerja's daily deadline (Konfigurasi ``ekinerja_batas_harian``), the time left in words with the clock set,
and the reminder's hours that follow it; every expected value is worked out by hand in the comments."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from functions.rules import config, ekinerja_deadline
from functions.rules.ekinerja_deadline import ReminderHours, reminder_hours
from functions.rules.workdays import WIB
from functions.store.sqlite import SQLiteStore

DAY = date(2026, 12, 3)


def at(hour: int, minute: int, second: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WIB)


def test_the_deadline_runs_to_the_last_second_of_its_minute() -> None:
    assert ekinerja_deadline.deadline(DAY, time(23, 59), WIB) == at(23, 59, 59)
    assert ekinerja_deadline.deadline(DAY, time(16, 0), WIB) == at(16, 0, 59)


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (at(20, 39), "3 jam 20 menit lagi"),  # 23:59:59 - 20:39:00 = 3:20:59
        (at(20, 39, 59), "3 jam 20 menit lagi"),  # 3:20:00
        (at(20, 59, 30), "3 jam lagi"),  # 3:00:29
        (at(23, 15), "44 menit lagi"),  # 0:44:59
        (at(23, 59), "kurang dari 1 menit lagi"),  # 0:00:59
        (at(23, 59, 59), "kurang dari 1 menit lagi"),  # 0:00:00, still within the deadline
        (at(0, 0, 0, date(2026, 12, 4)), "lewat batas"),
        (at(8, 0, 0, date(2026, 12, 2)), "1 hari 15 jam 59 menit lagi"),  # a day before: 24 h + 15:59:59
    ],
)
def test_the_time_left_in_words_with_the_clock_set(now: datetime, words: str) -> None:
    assert ekinerja_deadline.time_left(now, at(23, 59, 59)) == words


@pytest.mark.parametrize(
    ("deadline", "before", "hours"),
    [
        # The default: 23:59 - 480 min = 15:59; dropped at 18:00 (earlier than the deadline).
        (time(23, 59), 480, ReminderHours(time(23, 59), time(15, 59), time(18, 0))),
        # 23:59 - 60 min = 22:59, after 17:00: due at 17:00, dropped at 18:00.
        (time(23, 59), 60, ReminderHours(time(23, 59), time(17, 0), time(18, 0))),
        # A deadline of 16:00: 16:00 - 120 min = 14:00; dropped at the deadline, 16:00.
        (time(16, 0), 120, ReminderHours(time(16, 0), time(14, 0), time(16, 0))),
        # 08:00 - 600 min is before midnight: due from 00:00, dropped at 08:00.
        (time(8, 0), 600, ReminderHours(time(8, 0), time(0, 0), time(8, 0))),
        # 0 minutes before 12:00 would be due at the deadline itself: due from 00:00 instead.
        (time(12, 0), 0, ReminderHours(time(12, 0), time(0, 0), time(12, 0))),
    ],
)
def test_the_reminders_hours_follow_the_deadline(deadline: time, before: int, hours: ReminderHours) -> None:
    assert reminder_hours(deadline, before) == hours


def test_the_reminder_is_open_from_its_due_time_until_it_is_dropped() -> None:
    hours = reminder_hours(time(23, 59), 480)
    assert [hours.open(t) for t in (time(15, 58), time(15, 59), time(17, 59), time(18, 0))] == [
        False,
        True,
        True,
        False,
    ]


def test_the_hours_come_from_konfigurasi(store: SQLiteStore) -> None:
    assert ekinerja_deadline.from_store(store) == ReminderHours(time(23, 59), time(15, 59), time(18, 0))
    store.upsert("Konfigurasi", [{"kunci": "ekinerja_batas_harian", "nilai": "17:30"}])
    store.upsert("Konfigurasi", [{"kunci": "pengingat_menit_sebelum_batas", "nilai": "90"}])
    assert ekinerja_deadline.from_store(store) == ReminderHours(time(17, 30), time(16, 0), time(17, 30))


@pytest.mark.parametrize(
    ("typed", "value"),
    [("23:59", time(23, 59)), ("00:00", time(0, 0)), ("  16:30 ", time(16, 30)), ("", time(23, 59))],
)
def test_good_deadlines_are_read(typed: str, value: time) -> None:
    assert config.check("ekinerja_batas_harian", typed) == value


@pytest.mark.parametrize(
    "typed", ["24:00", "23.59", "23:60", "9:00", "2359", "23:59:00", "١٢:٠٠", "23:5", "jam 4", "-1:00", "23 :59"]
)
def test_bad_deadlines_are_refused_with_the_reason_in_indonesian(typed: str) -> None:
    with pytest.raises(ValueError, match="tulis jam sebagai JJ:MM dari 00:00 sampai 23:59"):
        config.check("ekinerja_batas_harian", typed)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1440", "di luar batas 0 sampai 1439"),
        ("-5", "-5 di luar batas 0 sampai 1439"),
        ("60,5", "tulis bilangan bulat"),
        ("1e2", "tulis angka"),
    ],
)
def test_bad_reminder_offsets_are_refused(typed: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        config.check("pengingat_menit_sebelum_batas", typed)


def test_an_operator_cannot_store_a_bad_deadline(store: SQLiteStore) -> None:
    from functions.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        config.change(store, "ekinerja_batas_harian", "24:00", by="196801011990031099", at=at(9, 0), change_id="c1")
    assert "Nilai ekinerja_batas_harian: tulis jam sebagai JJ:MM" in err.value.fields["nilai"]
    assert store.records("RiwayatKonfigurasi") == []

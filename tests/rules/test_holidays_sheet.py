"""The HariLibur override sheet and the ``Calendar`` built from it (functions/rules/workdays.py)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from functions import schema
from functions.rules.workdays import WIB, Calendar
from functions.store.sqlite import SQLiteStore

# The package's days off around Idul Fitri 2026 (holidays 0.109, categories public and government):
#   Wed 03-18 Cuti Bersama Hari Suci Nyepi      Thu 03-19 Hari Suci Nyepi
#   Fri 03-20 Cuti Bersama Idul Fitri           Sat 03-21 Idul Fitri    Sun 03-22 Idul Fitri (hari kedua)
#   Mon 03-23 and Tue 03-24 Cuti Bersama Idul Fitri
# so from 03-18 to 03-27 only Wed 03-25, Thu 03-26 and Fri 03-27 are working days.
IDUL_FITRI_BREAK = [date(2026, 3, 18) + timedelta(days=n) for n in range(7)]
NYEPI = datetime(2026, 3, 19, 10, 0, tzinfo=WIB)  # a Thursday and a public holiday


def at(day: date) -> datetime:
    """The due moment of a day: 23:59:59 WIB."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=WIB)


def test_the_package_closes_offices_from_nyepi_to_the_end_of_cuti_bersama() -> None:
    calendar = Calendar()
    days = [date(2026, 3, 18) + timedelta(days=n) for n in range(10)]
    assert [d for d in days if not calendar.is_workday(d)] == IDUL_FITRI_BREAK
    assert calendar.workdays_between(date(2026, 3, 18), date(2026, 3, 27)) == days[7:]


def test_the_hari_libur_sheet_is_declared() -> None:
    sheet = schema.sheet("HariLibur")
    assert (sheet.kind, sheet.key) == ("master", "tanggal")
    assert sheet.keys == ["tanggal", "jenis", "keterangan"]
    assert sheet.column("jenis").allowed == ("Libur", "Masuk")
    assert sheet.column("tanggal").required and sheet.column("keterangan").required


def test_a_deadline_counts_from_the_day_after_receipt_over_the_idul_fitri_break() -> None:
    # Received on Nyepi; 03-20..03-24 are off: day 1 = Wed 03-25, day 2 = Thu 03-26, day 3 = Fri 03-27.
    assert Calendar().add_workdays(NYEPI, 3) == at(date(2026, 3, 27))


@pytest.mark.parametrize(
    "received",
    [
        datetime(2026, 11, 25, 7, 0, tzinfo=WIB),  # Wednesday, before office hours
        datetime(2026, 11, 25, 10, 0, tzinfo=WIB),  # Wednesday, during office hours
        datetime(2026, 11, 25, 20, 0, tzinfo=WIB),  # Wednesday, after office hours
        datetime(2026, 11, 25, 20, 0),  # naive: read as WIB
    ],
)
def test_the_day_of_receipt_never_counts_whatever_the_hour(received: datetime) -> None:
    # Day 1 = Thu 11-26, day 2 = Fri 11-27, (weekend), day 3 = Mon 11-30.
    assert Calendar().add_workdays(received, 3) == at(date(2026, 11, 30))


def test_receipt_on_a_weekend_counts_from_monday() -> None:
    # Saturday 11-28: day 1 = Mon 11-30, day 2 = Tue 12-01, day 3 = Wed 12-02.
    assert Calendar().add_workdays(datetime(2026, 11, 28, 9, 0, tzinfo=WIB), 3) == at(date(2026, 12, 2))


def test_receipt_is_dated_in_jakarta_time() -> None:
    # 18:30 UTC on Wednesday 11-25 is 01:30 WIB on Thursday 11-26, so Thursday is the day of receipt:
    # day 1 = Fri 11-27, day 2 = Mon 11-30, day 3 = Tue 12-01.
    received = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
    assert Calendar().add_workdays(received, 3) == at(date(2026, 12, 1))
    assert not Calendar().is_workday(datetime(2026, 11, 27, 20, 0, tzinfo=UTC))  # Saturday 03:00 WIB


def test_add_workdays_refuses_less_than_one_day() -> None:
    with pytest.raises(ValueError, match="at least one working day"):
        Calendar().add_workdays(NYEPI, 0)


@pytest.mark.parametrize(
    "a, b, hours",
    [
        # Fri 14:00-16:00 = 2 h, weekend 0 h, Mon 07:30-09:00 = 1.5 h.
        (datetime(2026, 11, 27, 14, 0), datetime(2026, 11, 30, 9, 0), 3.5),
        # 11:00-12:00 = 1 h, the break 12:00-13:00 does not count, 13:00-14:00 = 1 h.
        (datetime(2026, 11, 25, 11, 0), datetime(2026, 11, 25, 14, 0), 2.0),
        # A whole week, midnight Monday to midnight Saturday: 5 x 7.5 h.
        (datetime(2026, 11, 23, 0, 0), datetime(2026, 11, 28, 0, 0), 37.5),
        # Tue 03-17 15:00-16:00 = 1 h, 03-18..03-24 off, Wed 03-25 07:30-08:30 = 1 h.
        (datetime(2026, 3, 17, 15, 0), datetime(2026, 3, 25, 8, 30), 2.0),
        # Evening to the next morning before office hours.
        (datetime(2026, 11, 25, 17, 0), datetime(2026, 11, 26, 7, 0), 0.0),
        # Reversed.
        (datetime(2026, 11, 30, 9, 0), datetime(2026, 11, 27, 14, 0), 0.0),
    ],
)
def test_working_hours_between_counts_only_office_hours_of_working_days(a: datetime, b: datetime, hours: float) -> None:
    assert Calendar().working_hours_between(a.replace(tzinfo=WIB), b.replace(tzinfo=WIB)) == hours


def test_calendar_is_frozen_and_compares_by_its_overrides() -> None:
    calendar = Calendar(extra_holidays=[date(2026, 11, 25)])
    assert calendar == Calendar(extra_holidays={date(2026, 11, 25)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        calendar.extra_holidays = frozenset()  # type: ignore[misc]


def test_from_store_reads_libur_and_masuk_rows(store: SQLiteStore) -> None:
    store.upsert(
        "HariLibur",
        [
            {"tanggal": date(2026, 3, 24), "jenis": "Masuk", "keterangan": "Cuti bersama Idul Fitri digeser (contoh)"},
            {"tanggal": date(2026, 3, 26), "jenis": "Libur", "keterangan": "Libur daerah (contoh)"},
        ],
    )
    calendar = Calendar.from_store(store)
    assert calendar == Calendar(extra_holidays=[date(2026, 3, 26)], extra_workdays=[date(2026, 3, 24)])
    assert calendar.is_workday(date(2026, 3, 24)) and not calendar.is_workday(date(2026, 3, 26))
    # Received on Nyepi: day 1 = Tue 03-24 (Masuk), day 2 = Wed 03-25, Thu 03-26 is Libur, day 3 = Fri 03-27.
    assert calendar.add_workdays(NYEPI, 3) == at(date(2026, 3, 27))
    # The 7.5 hours of Tuesday 03-24 now count.
    assert calendar.working_hours_between(datetime(2026, 3, 23, tzinfo=WIB), datetime(2026, 3, 25, tzinfo=WIB)) == 7.5


@pytest.mark.parametrize(
    "jenis, day, due",
    [
        # Masuk on Tue 03-24: day 1 = 03-24, day 2 = 03-25, day 3 = Thu 03-26.
        ("Masuk", date(2026, 3, 24), date(2026, 3, 26)),
        # Libur on Thu 03-26: day 1 = 03-25, day 2 = 03-27, (weekend), day 3 = Mon 03-30.
        ("Libur", date(2026, 3, 26), date(2026, 3, 30)),
    ],
)
def test_one_override_moves_the_deadline(store: SQLiteStore, jenis: str, day: date, due: date) -> None:
    store.upsert("HariLibur", [{"tanggal": day, "jenis": jenis, "keterangan": "Keputusan Wali Kota (contoh)"}])
    assert Calendar.from_store(store).add_workdays(NYEPI, 3) == at(due)


def test_from_store_with_an_empty_sheet_is_the_package_calendar(store: SQLiteStore) -> None:
    assert Calendar.from_store(store) == Calendar()

"""Working days of Indonesian civil servants.

Sources:
- Perpres 21/2023 (hari kerja dan jam kerja instansi pemerintah): ASN work Monday to Friday.
- National holidays and cuti bersama: the ``holidays`` package, country ``ID`` with the categories
  ``public`` (hari libur nasional) and ``government`` (cuti bersama ASN, set each year by an SKB of
  the Ministers of Religious Affairs, Manpower and PANRB).
- Decrees can move a date mid-year: callers pass the dates of the HariLibur override sheet as
  ``extra_holidays`` (a day off) and ``extra_workdays`` (a day that is worked after all). An
  override wins over the package and over the weekday rule; ``extra_workdays`` wins over
  ``extra_holidays`` when a date is in both.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

COUNTRY = "ID"
CATEGORIES = ("public", "government")
WORK_WEEKDAYS = frozenset(range(5))  # Monday (0) to Friday (4)


@functools.lru_cache(maxsize=32)
def _calendar(first_year: int, last_year: int) -> holidays.HolidayBase:
    """The national holidays and cuti bersama of a range of years, names in Indonesian."""
    return holidays.country_holidays(
        COUNTRY, years=range(first_year, last_year + 1), categories=CATEGORIES, language="id"
    )


def _is_workday(day: date, calendar: holidays.HolidayBase, off: set[date], on: set[date]) -> bool:
    if day in on:
        return True
    if day in off:
        return False
    return day.weekday() in WORK_WEEKDAYS and day not in calendar


def is_workday(day: date, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> bool:
    """Whether ASN work on ``day``: a weekday that is neither a holiday nor cuti bersama."""
    return _is_workday(day, _calendar(day.year, day.year), set(extra_holidays), set(extra_workdays))


def workdays_between(
    start: date, end: date, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
) -> list[date]:
    """The working days from ``start`` to ``end``, both inclusive, in order."""
    if end < start:
        return []
    calendar = _calendar(start.year, end.year)
    off, on = set(extra_holidays), set(extra_workdays)
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if _is_workday(day, calendar, off, on)]


def holiday_name(day: date) -> str | None:
    """The Indonesian name of the national holiday or cuti bersama on ``day``, if any."""
    return _calendar(day.year, day.year).get(day)

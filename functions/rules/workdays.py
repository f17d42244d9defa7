"""Working days and working hours of Indonesian civil servants, in the city's time zone.

Sources:
- Perpres 21/2023 (hari kerja dan jam kerja instansi pemerintah): ASN work Monday to Friday,
  37.5 hours a week. ``WORKING_HOURS`` is the daily window used here. Ramadan hours (32.5 hours,
  from 08:00) are not modelled.
- National holidays and cuti bersama: the ``holidays`` package, country ``ID`` with the categories
  ``public`` (hari libur nasional) and ``government`` (cuti bersama ASN, set each year by an SKB of
  the Ministers of Religious Affairs, Manpower and PANRB).
- Decrees can move a date mid-year: the HariLibur sheet lists overrides, ``Libur`` (a day off) and
  ``Masuk`` (a day that is worked after all). Callers pass them as ``extra_holidays`` and
  ``extra_workdays``, or build a ``Calendar`` with ``Calendar.from_store``. An override wins over
  the package and over the weekday rule; ``extra_workdays`` wins over ``extra_holidays`` when a
  date is in both.

The due-time rule (``Calendar.add_workdays``): a deadline of N working days for something
received at moment t is 23:59:59 local time (Asia/Jakarta) of the Nth working day strictly after
the local date of t. The day of receipt never counts, whatever the hour, so receipt on a holiday,
at night or during office hours all count from the next working day. Something done at any moment
up to and including the due second is on time.

Naive datetimes are read as local wall-clock time; aware ones are converted to the local zone.

Speed: ``_is_workday`` is the only rule. ``_year_workdays`` applies it once to every day of a
year and keeps the working days in a sorted tuple, per year and set of overrides; ``add_workdays``
and ``workdays_between`` bisect and index those tuples instead of asking ``holidays`` day by day.
tests/rules/test_workdays_fast.py compares them with the day-by-day reference.
"""

from __future__ import annotations

import functools
import logging
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import MAXYEAR, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

if TYPE_CHECKING:
    from functions.store import Store

log = logging.getLogger(__name__)

COUNTRY = "ID"
CATEGORIES = ("public", "government")
WORK_WEEKDAYS = frozenset(range(5))  # Monday (0) to Friday (4)
WIB = ZoneInfo("Asia/Jakarta")
# The working window of every working day, local time: 07:30–16:00 with a break 12:00–13:00,
# 7.5 hours a day and 37.5 hours a week (Perpres 21/2023).
WORKING_HOURS: tuple[tuple[time, time], ...] = ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 0)))
# Seconds of each window of a whole working day, in the order of WORKING_HOURS (empty windows left out).
_FULL_DAY_SECONDS = tuple(
    seconds
    for opens, closes in WORKING_HOURS
    if (seconds := (datetime.combine(date.min, closes) - datetime.combine(date.min, opens)).total_seconds()) > 0
)
DUE_TIME = time(23, 59, 59)  # a deadline falls due at the end of its day
OVERRIDE_SHEET = "HariLibur"
DAY_OFF, DAY_ON = "Libur", "Masuk"


@functools.lru_cache(maxsize=32)
def _calendar(first_year: int, last_year: int) -> holidays.HolidayBase:
    """The national holidays and cuti bersama of a range of years, names in Indonesian."""
    return holidays.country_holidays(
        COUNTRY, years=range(first_year, last_year + 1), categories=CATEGORIES, language="id"
    )


def _is_workday(day: date, calendar: holidays.HolidayBase, off: Container[date], on: Container[date]) -> bool:
    if day in on:
        return True
    if day in off:
        return False
    return day.weekday() in WORK_WEEKDAYS and day not in calendar


@functools.lru_cache(maxsize=256)
def _year_workdays(year: int, off: frozenset[date], on: frozenset[date]) -> tuple[date, ...]:
    """The working days of ``year`` in order, by ``_is_workday`` with the overrides ``off`` and ``on``."""
    calendar = _calendar(year, year)
    first = date(year, 1, 1).toordinal()
    days = (date.fromordinal(first + n) for n in range(date(year, 12, 31).toordinal() - first + 1))
    return tuple(day for day in days if _is_workday(day, calendar, off, on))


def is_workday(day: date, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> bool:
    """Whether ASN work on ``day``: a weekday that is neither a holiday nor cuti bersama."""
    return _is_workday(day, _calendar(day.year, day.year), set(extra_holidays), set(extra_workdays))


def workdays_between(
    start: date, end: date, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
) -> list[date]:
    """The working days from ``start`` to ``end``, both inclusive, in order."""
    if end < start:
        return []
    if type(start) is not date or type(end) is not date:
        # Datetimes and other date subclasses keep the day-by-day walk, which returns their own type.
        calendar = _calendar(start.year, end.year)
        off, on = set(extra_holidays), set(extra_workdays)
        walk = (start + timedelta(days=n) for n in range((end - start).days + 1))
        return [day for day in walk if _is_workday(day, calendar, off, on)]
    frozen_off, frozen_on = frozenset(extra_holidays), frozenset(extra_workdays)
    days: list[date] = []
    for year in range(start.year, end.year + 1):
        table = _year_workdays(year, frozen_off, frozen_on)
        days.extend(table[bisect_left(table, start) : bisect_right(table, end)])
    return days


def holiday_name(day: date) -> str | None:
    """The Indonesian name of the national holiday or cuti bersama on ``day``, if any."""
    return _calendar(day.year, day.year).get(day)


@dataclass(frozen=True, init=False)
class Calendar:
    """The working-day calendar of the city: the package's holidays plus the HariLibur overrides."""

    extra_holidays: frozenset[date]
    extra_workdays: frozenset[date]
    tz: ZoneInfo

    def __init__(
        self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = (), tz: ZoneInfo = WIB
    ) -> None:
        object.__setattr__(self, "extra_holidays", frozenset(extra_holidays))
        object.__setattr__(self, "extra_workdays", frozenset(extra_workdays))
        object.__setattr__(self, "tz", tz)

    @classmethod
    def from_store(cls, store: Store, tz: ZoneInfo = WIB) -> Calendar:
        """The calendar with the overrides of the HariLibur sheet, read once."""
        off: list[date] = []
        on: list[date] = []
        for number, row in enumerate(store.records(OVERRIDE_SHEET), start=1):
            day, kind = row.get("tanggal"), row.get("jenis")
            if isinstance(day, datetime) or not isinstance(day, date) or kind not in (DAY_OFF, DAY_ON):
                # A cell typed by hand that the schema could not read; the sheet's validation shows it.
                log.warning("override ignored: sheet=%s row=%d", OVERRIDE_SHEET, number)
                continue
            (off if kind == DAY_OFF else on).append(day)
        return cls(extra_holidays=off, extra_workdays=on, tz=tz)

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the calendar's time zone; a naive moment is taken as local time."""
        return moment.replace(tzinfo=self.tz) if moment.tzinfo is None else moment.astimezone(self.tz)

    def _day(self, day: date) -> date:
        return self.local(day).date() if isinstance(day, datetime) else day

    def is_workday(self, day: date) -> bool:
        """Whether ASN work on ``day`` (a datetime counts by its local date)."""
        day = self._day(day)
        return _is_workday(day, _calendar(day.year, day.year), self.extra_holidays, self.extra_workdays)

    def workdays_between(self, start: date, end: date) -> list[date]:
        """The working days from ``start`` to ``end``, both inclusive, in order."""
        return workdays_between(self._day(start), self._day(end), self.extra_holidays, self.extra_workdays)

    def add_workdays(self, start: datetime, n: int) -> datetime:
        """The due time of something received at ``start`` with ``n`` working days to act.

        23:59:59 local time of the ``n``-th working day strictly after the local date of ``start``.
        """
        if n < 1:
            raise ValueError(f"a deadline needs at least one working day, got {n}")
        day = self.local(start).date()
        year = day.year
        table = _year_workdays(year, self.extra_holidays, self.extra_workdays)
        # The working days after ``day`` start at this index; the n-th is n - 1 further on.
        index = bisect_right(table, day) + n - 1
        while index >= len(table):
            index -= len(table)
            year += 1
            if year > MAXYEAR:
                raise OverflowError("date value out of range")
            table = _year_workdays(year, self.extra_holidays, self.extra_workdays)
        return datetime.combine(table[index], DUE_TIME, tzinfo=self.tz)

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Hours of ``WORKING_HOURS`` on working days between ``a`` and ``b``; 0.0 when ``b`` is not after ``a``."""
        a, b = self.local(a), self.local(b)
        if b <= a:
            return 0.0
        seconds = 0.0
        first, last = a.date(), b.date()
        for day in self.workdays_between(first, last):
            if first < day < last:
                # A whole day between the two: every window counts in full. Same additions, same order.
                for full in _FULL_DAY_SECONDS:
                    seconds += full
                continue
            for opens, closes in WORKING_HOURS:
                lo = max(a, datetime.combine(day, opens, tzinfo=self.tz))
                hi = min(b, datetime.combine(day, closes, tzinfo=self.tz))
                if hi > lo:
                    seconds += (hi - lo).total_seconds()
        return seconds / 3600

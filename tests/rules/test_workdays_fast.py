"""The table-based ``Calendar.add_workdays``, ``workdays_between`` and ``working_hours_between``
against a straightforward day-by-day reference built on ``Calendar.is_workday`` (the rule itself).

2025-2027 holds Lebaran 2025 (03-31, 04-01, cuti bersama around them), Nyepi and Lebaran 2026
(03-19 .. 03-24), Lebaran 2027 and two year ends. ``OVERRIDES`` moves a few days both ways.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.rules.workdays import DUE_TIME, WIB, WORKING_HOURS, Calendar

FIRST, LAST = date(2025, 1, 1), date(2027, 12, 31)
OVERRIDES = Calendar(
    extra_holidays=[
        date(2026, 11, 25),  # Wednesday made a day off
        date(2026, 12, 30),  # a day off just before the year end
        date(2026, 3, 25),  # the first working day after Lebaran 2026 made a day off
        date(2027, 2, 3),  # in both lists: the working day wins
    ],
    extra_workdays=[
        date(2026, 3, 23),  # cuti bersama after Idul Fitri worked after all
        date(2026, 3, 28),  # a Saturday worked
        date(2026, 3, 19),  # Nyepi worked
        date(2027, 2, 3),
    ],
)
CALENDARS = {"package only": Calendar(), "with overrides": OVERRIDES}


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def memo_rule(calendar: Calendar) -> Callable[[date], bool]:
    """``calendar.is_workday``, remembered per day so that the sweeps stay quick."""
    known: dict[date, bool] = {}

    def rule(day: date) -> bool:
        if day not in known:
            known[day] = calendar.is_workday(day)
        return known[day]

    return rule


def reference_due(rule: Callable[[date], bool], calendar: Calendar, start: datetime, n: int) -> datetime:
    """The old loop: step one day at a time, count the working days."""
    day = calendar.local(start).date()
    while n:
        day += timedelta(days=1)
        if rule(day):
            n -= 1
    return datetime.combine(day, DUE_TIME, tzinfo=calendar.tz)


def reference_between(rule: Callable[[date], bool], start: date, end: date) -> list[date]:
    return [day for day in days(start, end) if rule(day)] if end >= start else []


def reference_hours(rule: Callable[[date], bool], calendar: Calendar, a: datetime, b: datetime) -> float:
    """The old loop: both windows of every working day, clipped to ``a`` .. ``b``."""
    a, b = calendar.local(a), calendar.local(b)
    if b <= a:
        return 0.0
    seconds = 0.0
    for day in reference_between(rule, a.date(), b.date()):
        for opens, closes in WORKING_HOURS:
            lo = max(a, datetime.combine(day, opens, tzinfo=calendar.tz))
            hi = min(b, datetime.combine(day, closes, tzinfo=calendar.tz))
            if hi > lo:
                seconds += (hi - lo).total_seconds()
    return seconds / 3600


def starts_of(day: date) -> list[datetime]:
    """Moments whose local date is ``day``: naive, WIB at the last second, UTC the evening before."""
    return [
        datetime.combine(day, datetime.min.time()),
        datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=WIB),
        datetime.combine(day - timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=18, minutes=30),
    ]


@pytest.mark.parametrize("name", CALENDARS)
def test_add_workdays_matches_the_day_by_day_walk_for_every_day_and_n_up_to_20(name: str) -> None:
    calendar = CALENDARS[name]
    rule = memo_rule(calendar)
    for number, day in enumerate(days(FIRST, LAST)):
        start = starts_of(day)[number % 3]
        assert calendar.local(start).date() == day
        for n in range(1, 21):
            assert calendar.add_workdays(start, n) == reference_due(rule, calendar, start, n), (start, n)


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (datetime(2026, 3, 17, 16, 0, tzinfo=WIB), 1, date(2026, 3, 19)),  # Nyepi worked
        (datetime(2026, 3, 19, 10, 0, tzinfo=WIB), 1, date(2026, 3, 23)),  # cuti bersama worked
        (datetime(2026, 3, 23, 10, 0, tzinfo=WIB), 1, date(2026, 3, 26)),  # 03-24 cuti bersama, 03-25 override
        (datetime(2026, 3, 26, 10, 0, tzinfo=WIB), 2, date(2026, 3, 28)),  # the Saturday worked
        (datetime(2026, 12, 29, 10, 0, tzinfo=WIB), 1, date(2026, 12, 31)),  # 12-30 off by override
        (datetime(2026, 12, 31, 10, 0, tzinfo=WIB), 1, date(2027, 1, 4)),  # Tahun Baru, then the weekend
    ],
)
def test_overrides_move_due_dates(received: datetime, n: int, due: date) -> None:
    assert OVERRIDES.add_workdays(received, n) == datetime(due.year, due.month, due.day, 23, 59, 59, tzinfo=WIB)


@pytest.mark.parametrize("name", CALENDARS)
def test_workdays_between_matches_the_day_by_day_filter(name: str) -> None:
    calendar = CALENDARS[name]
    rule = memo_rule(calendar)
    for start in days(FIRST, LAST):
        for span in (-1, 0, 1, 6, 31):
            end = start + timedelta(days=span)
            assert calendar.workdays_between(start, end) == reference_between(rule, start, end), (start, end)
    assert calendar.workdays_between(FIRST, LAST) == reference_between(rule, FIRST, LAST)


@pytest.mark.parametrize("name", CALENDARS)
def test_working_hours_between_matches_the_day_by_day_sum_exactly(name: str) -> None:
    calendar = CALENDARS[name]
    rule = memo_rule(calendar)
    for number, day in enumerate(days(FIRST, LAST)):
        a = datetime(day.year, day.month, day.day, 6 + number % 12, number % 60, number % 7, number * 7919 % 10**6)
        for hours in (0.5, 5, 27, 100, 24 * 40 + 0.123457):
            b = a + timedelta(hours=hours)
            # Exact equality: the sum must be the same float, not just close.
            assert calendar.working_hours_between(a, b) == reference_hours(rule, calendar, a, b), (a, b)


MOMENTS = st.datetimes(min_value=datetime(2024, 10, 1), max_value=datetime(2028, 3, 31)).flatmap(
    lambda moment: st.sampled_from([moment, moment.replace(tzinfo=WIB), moment.replace(tzinfo=UTC)])
)
OVERRIDE_DAYS = st.frozensets(st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 1, 31)), max_size=8)


@hsettings(max_examples=200, deadline=None)
@given(start=MOMENTS, n=st.integers(min_value=1, max_value=400), off=OVERRIDE_DAYS, on=OVERRIDE_DAYS)
def test_add_workdays_property(start: datetime, n: int, off: frozenset[date], on: frozenset[date]) -> None:
    calendar = Calendar(extra_holidays=off, extra_workdays=on)
    assert calendar.add_workdays(start, n) == reference_due(calendar.is_workday, calendar, start, n)


@hsettings(max_examples=200, deadline=None)
@given(
    a=MOMENTS,
    length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    off=OVERRIDE_DAYS,
    on=OVERRIDE_DAYS,
)
def test_working_hours_and_workdays_between_property(
    a: datetime, length: timedelta, off: frozenset[date], on: frozenset[date]
) -> None:
    calendar = Calendar(extra_holidays=off, extra_workdays=on)
    b = a + length
    assert calendar.working_hours_between(a, b) == reference_hours(calendar.is_workday, calendar, a, b)
    start, end = calendar.local(a).date(), calendar.local(b).date()
    assert calendar.workdays_between(start, end) == reference_between(calendar.is_workday, start, end)

"""The BerAKHLAK rating window: a month is rated from its last seven days to the fifth working day of the next."""

from __future__ import annotations

from datetime import date

import pytest

from functions.rules.workdays import Calendar
from functions.staff import behaviour


@pytest.mark.parametrize(
    "today, rated, is_open, opens, closes",
    [
        # November 2026 ends on Monday 30: its last seven days start on Tuesday 24. December's working days:
        # 1, 2, 3, 4 and 7 (no holiday), so it closes on Monday 7 December.
        (date(2026, 11, 23), "2026-11", False, date(2026, 11, 24), date(2026, 12, 7)),  # October closed on 6 Nov
        (date(2026, 11, 24), "2026-11", True, date(2026, 11, 24), date(2026, 12, 7)),
        (date(2026, 12, 6), "2026-11", True, date(2026, 11, 24), date(2026, 12, 7)),  # the example
        (date(2026, 12, 7), "2026-11", True, date(2026, 11, 24), date(2026, 12, 7)),
        # December 2026 opens on Friday 25; January 2027: 1 New Year, 2-3 weekend, 4 (1st), 5 Isra Mikraj,
        # 6, 7, 8 (2nd-4th), 9-10 weekend, 11 (5th).
        (date(2026, 12, 8), "2026-12", False, date(2026, 12, 25), date(2027, 1, 11)),
        (date(2026, 12, 25), "2026-12", True, date(2026, 12, 25), date(2027, 1, 11)),
        (date(2027, 1, 11), "2026-12", True, date(2026, 12, 25), date(2027, 1, 11)),
        # January 2027 ends on Sunday 31: opens Monday 25. February: 1-4 (1st-4th), 5 cuti bersama Imlek,
        # 6 Imlek (Saturday), 7 Sunday, 8 (5th).
        (date(2027, 1, 12), "2027-01", False, date(2027, 1, 25), date(2027, 2, 8)),
    ],
)
def test_the_month_rated_and_its_window(today: date, rated: str, is_open: bool, opens: date, closes: date) -> None:
    window = behaviour.window(today, Calendar())
    assert (window.rated.label, window.period is not None, window.opens, window.closes) == (
        rated,
        is_open,
        opens,
        closes,
    )
    if is_open:
        assert window.period == window.rated


def test_a_day_off_in_harilibur_moves_the_close() -> None:
    # Thursday 3 December 2026 made a day off: the fifth working day becomes Tuesday 8 December.
    calendar = Calendar(extra_holidays=[date(2026, 12, 3)])
    assert behaviour.window(date(2026, 12, 8), calendar).period is not None
    assert behaviour.window(date(2026, 12, 8), calendar).closes == date(2026, 12, 8)
    assert behaviour.window(date(2026, 12, 9), calendar).period is None

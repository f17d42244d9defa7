from datetime import date

import pytest

from functions.rules.workdays import holiday_name, is_workday, workdays_between


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 20),  # Friday, cuti bersama before Idul Fitri
        date(2026, 3, 23),  # Monday, cuti bersama after Idul Fitri
        date(2026, 8, 17),  # Monday, Independence Day
        date(2026, 11, 28),  # Saturday
        date(2026, 11, 29),  # Sunday
    ],
)
def test_is_workday_excludes_weekends_holidays_and_cuti_bersama(day):
    assert not is_workday(day)


def test_is_workday_accepts_an_ordinary_weekday():
    assert is_workday(date(2026, 11, 25))  # Wednesday


def test_holiday_name_is_indonesian():
    assert "Idul Fitri" in holiday_name(date(2026, 3, 20))
    assert "Cuti Bersama" in holiday_name(date(2026, 3, 23))
    assert holiday_name(date(2026, 11, 25)) is None


def test_extra_holidays_and_workdays_override_the_package():
    assert not is_workday(date(2026, 11, 25), extra_holidays=[date(2026, 11, 25)])
    assert is_workday(date(2026, 3, 23), extra_workdays=[date(2026, 3, 23)])
    both = [date(2026, 11, 25)]
    assert is_workday(date(2026, 11, 25), extra_holidays=both, extra_workdays=both)


def test_workdays_between_is_inclusive_and_skips_the_idul_fitri_break():
    assert workdays_between(date(2026, 3, 16), date(2026, 3, 27)) == [
        date(2026, 3, 16),
        date(2026, 3, 17),
        date(2026, 3, 25),
        date(2026, 3, 26),
        date(2026, 3, 27),
    ]


def test_workdays_between_spans_years_and_honours_overrides():
    days = workdays_between(date(2026, 12, 28), date(2027, 1, 6), extra_holidays=[date(2027, 1, 4)])
    assert days[0] == date(2026, 12, 28)
    assert date(2027, 1, 1) not in days  # Tahun Baru Masehi
    assert date(2027, 1, 4) not in days  # the override
    assert date(2027, 1, 5) not in days  # Isra Mikraj
    assert days[-1] == date(2027, 1, 6)


def test_workdays_between_returns_nothing_for_a_reversed_range():
    assert workdays_between(date(2026, 11, 30), date(2026, 11, 1)) == []

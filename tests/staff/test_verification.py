"""Verification in the domain: weeks named for people."""

from __future__ import annotations

from datetime import date

import pytest

from functions.staff import verification


@pytest.mark.parametrize(
    "monday, text",
    [
        (date(2026, 11, 23), "Minggu 23-29 November 2026"),
        (date(2026, 11, 30), "Minggu 30 November-6 Desember 2026"),
        (date(2026, 12, 28), "Minggu 28 Desember 2026-3 Januari 2027"),
    ],
)
def test_a_week_reads_with_its_days(monday: date, text: str) -> None:
    assert verification.week_text(monday) == text

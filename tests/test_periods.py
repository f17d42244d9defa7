"""Period labels: only the plain forms, in ASCII digits."""

from __future__ import annotations

from datetime import date

import pytest

from functions import periods
from functions.errors import ValidationError


@pytest.mark.parametrize(
    "label, start, kind",
    [
        ("2026-W48", date(2026, 11, 23), "Minggu"),
        (" 2026-w48 ", date(2026, 11, 23), "Minggu"),
        ("2026-11", date(2026, 11, 1), "Bulan"),
        ("2026-Q4", date(2026, 10, 1), "Triwulan"),
        ("2026", date(2026, 1, 1), "Tahun"),
    ],
)
def test_a_plain_label_is_a_period(label: str, start: date, kind: str) -> None:
    period = periods.parse(label)
    assert (period.start, period.kind) == (start, kind)


@pytest.mark.parametrize(
    "label",
    [
        "٢٠٢٦-W48",
        "2026-W٤٨",
        "２０２６",
        "2026-W48\x00",
        "2026-W48x",
        "2026-W4_8",
        "2026W48",
        "2026-W99",
        "2026-13",
        "",
    ],
)
def test_any_other_label_is_refused_naming_the_field(label: str) -> None:
    with pytest.raises(ValidationError) as refused:
        periods.parse(label, field="periode")
    assert list(refused.value.fields) == ["periode"] and refused.value.fields["periode"].startswith("Periode: ")


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2026, 11, 23), date(2026, 11, 29), "23–29 November 2026"),
        (date(2026, 11, 30), date(2026, 12, 6), "30 November – 6 Desember 2026"),
        (date(2026, 12, 28), date(2027, 1, 3), "28 Desember 2026 – 3 Januari 2027"),
    ],
)
def test_span_text_spans_months_and_years(start: date, end: date, text: str) -> None:
    assert periods.span_text(start, end) == text


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("2026-W48", "Minggu 23–29 November 2026"),
        ("2026-W53", "Minggu 28 Desember 2026 – 3 Januari 2027"),
        ("2026-11", "November 2026"),
        ("2026-Q4", "Triwulan IV 2026"),
        ("2027-Q1", "Triwulan I 2027"),
        ("2026", "Tahun 2026"),
    ],
)
def test_people_read_periods_by_their_dates_never_by_label(label: str, text: str) -> None:
    assert periods.text(periods.parse(label)) == text
    assert periods.label_text(label) == text


def test_a_cell_that_is_no_period_label_is_shown_as_it_is() -> None:
    assert periods.label_text("bukan periode") == "bukan periode"

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

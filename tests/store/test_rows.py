"""The in-memory row filter every non-SQLite backend shares: the fast text look-up gives what cell() comparison does."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from functions import schema
from functions.store.rows import cell, select

SHEET = schema.sheet("LaporanHarian")
NIPS = ["199003032015031003", "199104042016022004"]


def naive(rows: list[dict[str, Any]], where: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        r for r in rows if all(cell(SHEET.column(k), r.get(k)) == cell(SHEET.column(k), v) for k, v in where.items())
    ]


def row(n: int, nip: Any, day: date = date(2026, 11, 30)) -> dict[str, Any]:
    return {"id": f"kiriman{n:04d}-1", "nip": nip, "tanggal": day, "durasi_menit": 30}


def test_a_look_up_by_nip_also_finds_a_value_a_person_typed_as_a_number() -> None:
    rows = [row(1, NIPS[0]), row(2, int(NIPS[0])), row(3, NIPS[1]), row(4, None)]
    found = select(SHEET, rows, {"nip": NIPS[0]}, None, None, None)
    assert [r["id"] for r in found] == ["kiriman0001-1", "kiriman0002-1"]


@given(
    st.lists(st.tuples(st.sampled_from([*NIPS, None, int(NIPS[1])]), st.integers(1, 3)), max_size=30),
    st.sampled_from(NIPS),
    st.booleans(),
)
def test_the_fast_look_up_gives_what_comparing_every_cell_gives(
    cells: list[tuple[Any, int]], nip: str, by_day: bool
) -> None:
    rows = [row(n, value, date(2026, 11, day)) for n, (value, day) in enumerate(cells)]
    where: dict[str, Any] = {"nip": nip, "tanggal": date(2026, 11, 2)} if by_day else {"nip": nip}
    assert select(SHEET, rows, where, None, None, None) == naive(rows, where)

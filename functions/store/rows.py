"""Row conversion and checks shared by every store backend, driven by the schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from functions.errors import Conflict, ValidationError
from functions.schema import Sheet

CONFLICT_MESSAGE = (
    "Kiriman dengan ID ini sudah diterima dengan isi yang berbeda. Muat ulang formulir untuk membuat kiriman baru."
)


def to_cells(sheet: Sheet, row: Mapping[str, Any]) -> list[Any]:
    """A row as cell values in schema column order."""
    return [col.to_cell(row.get(col.key)) for col in sheet.columns]


def from_cells(sheet: Sheet, cells: Sequence[Any]) -> dict[str, Any]:
    """Cell values in schema order back to a typed row."""
    row = {}
    for col, raw in zip(sheet.columns, cells, strict=False):
        try:
            row[col.key] = col.parse(raw)
        except ValueError:
            # A person typed something odd into the sheet: keep it as text.
            row[col.key] = raw
    for col in sheet.columns[len(cells) :]:
        row[col.key] = None
    return row


def check_complete(sheet: Sheet, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validate rows against the schema before any write; refuse the lot on a problem."""
    clean_rows = []
    for number, row in enumerate(rows, start=1):
        clean, problems = sheet.validate(dict(row))
        if problems:
            fields = {f"{sheet.name}[{number}].{key}": text for key, text in problems.items()}
            raise ValidationError(fields)
        clean_rows.append(clean)
    return clean_rows


def group_key(sheet: Sheet, row: Mapping[str, Any]) -> Any:
    return row[sheet.batch_key or sheet.key]


def same_content(sheet: Sheet, new: Sequence[Mapping[str, Any]], old: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a retried group carries the content already stored."""
    keys = sheet.compared_keys

    def signature(rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        cols = [sheet.column(k) for k in keys]
        return sorted(tuple(_comparable(c.to_cell(r.get(c.key))) for c in cols) for r in rows)

    return signature(new) == signature(old)


def conflict() -> Conflict:
    return Conflict(CONFLICT_MESSAGE)


def _comparable(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    return repr(value)

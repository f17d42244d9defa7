"""Row conversion and checks shared by every store backend, driven by the schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from functions.errors import Conflict, ValidationError
from functions.schema import Column, Sheet
from functions.store.protocol import Row

CONFLICT_MESSAGE = (
    "Formulir ini sudah pernah dikirim dengan isi yang berbeda, jadi kiriman ini tidak disimpan. Kirim sekali lagi "
    "untuk menyimpannya sebagai kiriman baru, atau muat ulang halaman untuk mulai dari awal."
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


def cell(col: Column, value: Any) -> Any:
    """``col.to_cell(value)``, or the value itself when a person typed something the column cannot hold."""
    try:
        return col.to_cell(value)
    except (AttributeError, TypeError, ValueError):
        return value


def check_filter(
    sheet: Sheet, where: Mapping[str, Any] | None, start: date | None, end: date | None, unit: object
) -> None:
    """Refuse a filter the sheet cannot answer (an unknown column, dates or units on a sheet without them), as
    every backend does, before any work and even when there are no rows."""
    for key in where or {}:
        sheet.column(key)
    if (start is not None or end is not None) and not sheet.date_column:
        raise ValueError(f"{sheet.name} has no date column to filter by")
    if unit is not None and not sheet.unit_column:
        raise ValueError(f"{sheet.name} has no unit column to filter by")


# Column types whose cell is the text itself (``Column.to_cell`` gives ``str(value)``).
TEXT_CELLS = frozenset({"string", "text", "url", "enum", "nip", "email"})


def select(
    sheet: Sheet,
    rows: Iterable[Row],
    where: Mapping[str, Any] | None,
    start: date | None,
    end: date | None,
    unit: str | Iterable[str] | None,
    copy: bool = True,
) -> list[Row]:
    """The rows matching the filters, compared as stored cells (as the SQLite store compares them); ``copy``:
    copies of the rows (``False`` gives the rows themselves, for a caller that only reads them, such as a frame)."""
    check_filter(sheet, where, start, end, unit)
    tests: list[tuple[Column, Any]] = [(sheet.column(k), v) for k, v in (where or {}).items()]
    wanted = [(col, None if value is None else cell(col, value)) for col, value in tests]
    low = start.isoformat() if start else None
    high = (end + timedelta(days=1)).isoformat() if end else None
    units: set[Any] | None = None
    if unit is not None:
        units = {unit} if isinstance(unit, str) else set(unit)
    # A look-up by a text value (one employee's NIP, an id) first compares the stored text directly, in one tight
    # pass: a cell of a text column is the text itself. Only a value of another type (a person typed something odd
    # into the sheet) goes through cell(). The full test below then runs on the few rows left.
    for col, value in wanted:
        if isinstance(value, str) and col.type in TEXT_CELLS:
            key = col.key
            rows = [
                r
                for r in rows
                if (raw := r.get(key)) == value
                or (raw is not None and type(raw) is not str and cell(col, raw) == value)
            ]
            break
    out = []
    for row in rows:
        if any(
            (row.get(col.key) is not None) if value is None else cell(col, row.get(col.key)) != value
            for col, value in wanted
        ):
            continue
        if low is not None or high is not None:
            day = cell(sheet.column(sheet.date_column or ""), row.get(sheet.date_column or ""))
            if not isinstance(day, str) or (low is not None and day < low) or (high is not None and day >= high):
                continue
        if units is not None and row.get(sheet.unit_column or "") not in units:
            continue
        out.append(dict(row) if copy else row)
    return out

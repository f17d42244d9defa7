"""One worksheet held in memory, and the requests that change it on Google.

``Table.rows[i]`` is sheet row ``i + 2`` (row 1 holds the headers); ``None`` marks a blank row a person left.
Cells go out as ``Column.to_cell`` gives them and come back, read with ``UNFORMATTED_VALUE``, through
``rows.from_cells``: numbers as numbers, booleans as the words ``Ya``/``Tidak``, dates as ISO text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from functions.errors import ConfigurationError
from functions.schema import Sheet
from functions.store.protocol import Row
from functions.store.rows import cell, from_cells, to_cells

UNIQUE = frozenset({"text", "datetime", "url"})  # column types whose values seldom repeat (see Table.parse)


def col_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quoted(title: str) -> str:
    """A worksheet title as A1 notation wants it: in single quotes, quotes doubled."""
    return "'" + title.replace("'", "''") + "'"


def a1(title: str, first_row: int, last_row: int | None, width: int, first_col: int = 0) -> str:
    """``'Title'!A2:S9`` (1-based rows; ``last_row`` None for open-ended)."""
    end = f"{col_letters(first_col + width - 1)}{last_row if last_row is not None else ''}"
    return f"{quoted(title)}!{col_letters(first_col)}{first_row}:{end}"


def extended(cell: Any) -> dict[str, Any]:
    """A cell value as an ExtendedValue of ``updateCells``: taken literally, as ``RAW`` would."""
    if cell is None:
        return {}
    if isinstance(cell, bool):
        return {"userEnteredValue": {"boolValue": cell}}
    if isinstance(cell, (int, float)):
        return {"userEnteredValue": {"numberValue": cell}}
    return {"userEnteredValue": {"stringValue": str(cell)}}


@dataclass
class Table:
    sheet: Sheet
    spreadsheet_id: str
    sheet_id: int
    row_count: int  # rows of the grid, header included
    rows: list[Row | None]
    loaded_at: float
    generation: int
    complete: bool = True  # False: rows hold only the key and batch columns (see Catalog.table)

    @classmethod
    def parse(cls, sheet: Sheet, values: Sequence[Sequence[Any]]) -> list[Row | None]:
        """Rows from a ``values.get`` of the whole sheet; the header row must be the schema's."""
        header = [str(h) for h in (values[0] if values else [])]
        while header and header[-1] == "":
            header.pop()
        if header != sheet.headers:
            raise ConfigurationError(
                f"Baris judul lembar {sheet.name} di Google Sheets tidak sesuai skema (harus: "
                f"{', '.join(sheet.headers)}). Jalankan `python -m functions init`, atau perbaiki baris judulnya."
            )
        width = len(sheet.columns)
        # Values that repeat down a column (a NIP, a unit, a day, a status) share one object: a quarter of
        # LaporanHarian is millions of rows, and a separate str or date per cell would be most of its memory.
        shared = [c.key for c in sheet.columns if c.key not in (sheet.key, sheet.batch_key) and c.type not in UNIQUE]
        seen: dict[tuple[str, type, Any], Any] = {}  # the type too: 1, 1.0 and True are equal keys
        out: list[Row | None] = []
        for raw in values[1:]:
            cells = [None if c == "" else c for c in list(raw)[:width]]
            if not any(c is not None for c in cells):
                out.append(None)
                continue
            row = from_cells(sheet, cells)
            for key in shared:
                value = row[key]
                if value is not None:
                    row[key] = seen.setdefault((key, type(value), value), value)
            out.append(row)
        return out

    @classmethod
    def parse_columns(cls, sheet: Sheet, keys: Sequence[str], columns: Sequence[Sequence[Any]]) -> list[Row | None]:
        """Rows holding only ``keys``, from a ``values.batchGet`` of those whole columns (``COLUMNS`` major)."""
        cols = [sheet.column(k) for k in keys]
        found = [str(c[0]) if c else "" for c in columns]
        if found != [col.header for col in cols]:
            raise ConfigurationError(
                f"Baris judul lembar {sheet.name} di Google Sheets tidak sesuai skema (kolom "
                f"{', '.join(col.header for col in cols)}). Jalankan `python -m functions init`, atau perbaiki baris "
                "judulnya."
            )
        height = max((len(c) for c in columns), default=1) - 1
        out: list[Row | None] = []
        for i in range(1, height + 1):
            raw = [c[i] if i < len(c) and c[i] != "" else None for c in columns]
            if all(v is None for v in raw):
                out.append(None)
                continue
            row: Row = {}
            for col, value in zip(cols, raw, strict=True):
                try:
                    row[col.key] = col.parse(value)
                except ValueError:
                    row[col.key] = value
            out.append(row)
        return out

    @property
    def title(self) -> str:
        return self.sheet.name

    @property
    def width(self) -> int:
        return len(self.sheet.columns)

    def present(self) -> Iterator[tuple[int, Row]]:
        for i, row in enumerate(self.rows):
            if row is not None:
                yield i, row

    def find(self, key: str, value: Any) -> list[tuple[int, Row]]:
        col = self.sheet.column(key)
        wanted = cell(col, value)
        return [(i, r) for i, r in self.present() if cell(col, r.get(key)) == wanted]

    def index(self, key: str) -> dict[Any, list[int]]:
        """Row indexes by the cell of column ``key``: what :meth:`find` gives, for many values in one pass."""
        col = self.sheet.column(key)
        out: dict[Any, list[int]] = {}
        for i, r in self.present():
            out.setdefault(cell(col, r.get(key)), []).append(i)
        return out

    def key_cells(self) -> set[Any]:
        col = self.sheet.column(self.sheet.key)
        return {cell(col, r.get(col.key)) for _i, r in self.present()}

    # -- writes, as requests ----------------------------------------------------------------------------------

    def rewrite(self, start: int, new_rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Requests that replace the rows from ``start`` to the end with ``new_rows`` (blanking what is left over),
        growing the grid first when needed; idempotent, so safe to repeat. Updates the table."""
        old_end = len(self.rows)
        cells = [to_cells(self.sheet, r) for r in new_rows]
        cells += [[None] * self.width] * max(0, old_end - start - len(new_rows))
        if not cells:
            return []
        requests: list[dict[str, Any]] = []
        needed = 1 + start + len(cells)
        if needed > self.row_count:
            grow = needed - self.row_count
            requests.append({"appendDimension": {"sheetId": self.sheet_id, "dimension": "ROWS", "length": grow}})
            self.row_count = needed
        rows = [{"values": [extended(c) for c in row_cells]} for row_cells in cells]
        start_at = {"sheetId": self.sheet_id, "rowIndex": start + 1, "columnIndex": 0}
        requests.append({"updateCells": {"start": start_at, "rows": rows, "fields": "userEnteredValue"}})
        self.rows[start:] = [dict(r) for r in new_rows]
        return requests

    def replace_period(self, period: Any, new_rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Requests that put ``new_rows`` in place of the period's rows: everything from the period's first row
        down is rewritten (the other periods' rows there move up), so the sheet stays without gaps."""
        column = self.sheet.column(self.sheet.period_column or "")
        wanted = cell(column, period)
        hits = [i for i, r in self.present() if cell(column, r.get(column.key)) == wanted]
        start = hits[0] if hits else len(self.rows)
        kept = [r for r in self.rows[start:] if r is not None and cell(column, r.get(column.key)) != wanted]
        return self.rewrite(start, [*kept, *new_rows])

    def upsert(self, rows: Sequence[Mapping[str, Any]], counts: list[int]) -> list[dict[str, Any]]:
        """updateCells for changed rows and one appendCells for new ones (not safe to repeat); ``counts`` gains
        [inserted, updated, unchanged]. Rows are taken in order, as the SQLite store takes them: a key repeated in
        the batch updates its first row. Updates the table."""
        key = self.sheet.column(self.sheet.key)
        index = {cell(key, r.get(key.key)): i for i, r in self.present()}
        first_new = len(self.rows)
        changed: set[int] = set()
        for row in rows:
            k = cell(key, row[key.key])
            if k not in index:
                index[k] = len(self.rows)
                self.rows.append(dict(row))
                counts[0] += 1
                continue
            i = index[k]
            stored = self.rows[i]
            if stored is not None and to_cells(self.sheet, stored) == to_cells(self.sheet, row):
                counts[2] += 1
                continue
            self.rows[i] = dict(row)
            changed.add(i)
            counts[1] += 1
        requests: list[dict[str, Any]] = []
        for i in sorted(c for c in changed if c < first_new):
            start = {"sheetId": self.sheet_id, "rowIndex": i + 1, "columnIndex": 0}
            rows_data = [self._row_data(self.rows[i])]
            requests.append({"updateCells": {"start": start, "rows": rows_data, "fields": "userEnteredValue"}})
        if len(self.rows) > first_new:
            rows_data = [self._row_data(r) for r in self.rows[first_new:]]
            requests.append(
                {"appendCells": {"sheetId": self.sheet_id, "rows": rows_data, "fields": "userEnteredValue"}}
            )
            self.row_count = max(self.row_count, len(self.rows) + 1)
        return requests

    def _row_data(self, row: Mapping[str, Any] | None) -> dict[str, Any]:
        return {"values": [extended(c) for c in to_cells(self.sheet, row or {})]}

    def delete_rows(self, indexes: Iterable[int]) -> list[dict[str, Any]]:
        """deleteDimension requests for the rows at ``indexes``, bottom first (not safe to repeat). Updates the
        table."""
        requests = []
        spans: list[list[int]] = []
        for i in sorted(set(indexes), reverse=True):
            if spans and spans[-1][0] == i + 1:
                spans[-1][0] = i
            else:
                spans.append([i, i + 1])
        for first, end in spans:
            span = {"sheetId": self.sheet_id, "dimension": "ROWS", "startIndex": first + 1, "endIndex": end + 1}
            requests.append({"deleteDimension": {"range": span}})
            del self.rows[first:end]
            self.row_count -= end - first
        return requests

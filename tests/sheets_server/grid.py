"""The cell values of one sheet: sparse rows, and the "table" search of values.append.

Rows are lists without trailing empties (``None``) and are replaced, never changed in place, so a shallow copy of
the row dict is a consistent snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

Region = tuple[int, int, int, int]  # top, bottom, left, right: half-open


class Grid:
    def __init__(self) -> None:
        self.rows: dict[int, list[Any]] = {}
        self.col_counts: dict[int, int] = {}
        self._max_row: int | None = -1
        self._regions: dict[tuple[int, int], Region] = {}

    def copy(self) -> Grid:
        other = Grid()
        other.rows = dict(self.rows)
        other.col_counts = dict(self.col_counts)
        other._max_row = self._max_row
        other._regions = dict(self._regions)
        return other

    # -- reading -------------------------------------------------------------------------------------------------

    def get(self, row: int, col: int) -> Any:
        cells = self.rows.get(row)
        return cells[col] if cells is not None and col < len(cells) else None

    def max_row(self) -> int:
        """Index of the last row holding a value, -1 when the sheet is empty."""
        if self._max_row is None:
            self._max_row = max(self.rows, default=-1)
        return self._max_row

    def max_col(self) -> int:
        return max((c for c, n in self.col_counts.items() if n), default=-1)

    def row_indexes(self, start: int, end: int) -> Iterator[int]:
        """Indexes of non-empty rows in [start, end), ascending, whichever way is cheaper."""
        end = min(end, self.max_row() + 1)
        if end - start <= len(self.rows):
            yield from (r for r in range(start, end) if r in self.rows)
        else:
            yield from sorted(r for r in self.rows if start <= r < end)

    def read(self, top: int, bottom: int, left: int, right: int) -> list[list[Any]]:
        """The block as rows of stored values, trailing empty cells and rows trimmed, gaps as None / []."""
        out: list[list[Any]] = []
        for r in self.row_indexes(top, bottom):
            cells = self.rows[r][left:right]
            while cells and cells[-1] is None:
                cells.pop()
            if not cells:
                continue
            out.extend([] for _ in range(r - top - len(out)))
            out.append(cells)
        return out

    # -- writing -------------------------------------------------------------------------------------------------

    def write_row(self, row: int, start_col: int, values: Iterable[Any], skip: object) -> None:
        """Write values from ``start_col``; ``skip`` marks values to leave unchanged, ``None`` empties a cell."""
        old = self.rows.get(row, [])
        cells = list(old)
        emptied: list[int] = []
        for offset, value in enumerate(values):
            if value is skip:
                continue
            col = start_col + offset
            before = cells[col] if col < len(cells) else None
            if value is None:
                if before is None:
                    continue
                cells[col] = None
                self.col_counts[col] -= 1
                emptied.append(col)
                continue
            if col >= len(cells):
                cells.extend([None] * (col + 1 - len(cells)))
            if before is None:
                self.col_counts[col] = self.col_counts.get(col, 0) + 1
            cells[col] = value
        self._store_row(row, cells)
        if emptied:
            self._forget_regions(lambda t, b, left, right: t <= row < b and any(left <= c < right for c in emptied))

    def clear(self, top: int, bottom: int, left: int, right: int) -> None:
        for r in list(self.row_indexes(top, bottom)):
            width = min(right, len(self.rows[r])) - left
            if width > 0:
                self.write_row(r, left, [None] * width, skip=object())

    def _store_row(self, row: int, cells: list[Any]) -> None:
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            self.rows[row] = cells
            if self._max_row is not None and row > self._max_row:
                self._max_row = row
        elif row in self.rows:
            del self.rows[row]
            if row == self._max_row:
                self._max_row = None

    # -- moving --------------------------------------------------------------------------------------------------

    def insert_rows(self, at: int, count: int) -> None:
        self.rows = {(r + count if r >= at else r): cells for r, cells in self.rows.items()}
        self._max_row = None
        self._forget_regions(lambda t, b, left, right: b > at)

    def delete_rows(self, start: int, end: int) -> None:
        self.clear(start, end, 0, 1 << 30)
        self.rows = {(r - (end - start) if r >= end else r): cells for r, cells in self.rows.items()}
        self._max_row = None
        self._forget_regions(lambda t, b, left, right: b > start)

    def insert_cols(self, at: int, count: int) -> None:
        for r, cells in list(self.rows.items()):
            if len(cells) > at:
                self.rows[r] = cells[:at] + [None] * count + cells[at:]
        self._recount()
        self._forget_regions(lambda t, b, left, right: right > at)

    def delete_cols(self, start: int, end: int) -> None:
        for r, cells in list(self.rows.items()):
            if len(cells) > start:
                self._store_row(r, cells[:start] + cells[end:])
        self._recount()
        self._max_row = None
        self._forget_regions(lambda t, b, left, right: right > start)

    def truncate(self, row_count: int, col_count: int) -> None:
        """Drop values outside a grid shrunk to ``row_count`` x ``col_count``."""
        if self.max_row() >= row_count:
            self.delete_rows(row_count, self.max_row() + 1)
        if self.max_col() >= col_count:
            self.delete_cols(col_count, self.max_col() + 1)

    def _recount(self) -> None:
        counts: dict[int, int] = {}
        for cells in self.rows.values():
            for c, value in enumerate(cells):
                if value is not None:
                    counts[c] = counts.get(c, 0) + 1
        self.col_counts = counts

    # -- the table of values.append ------------------------------------------------------------------------------

    def last_cell(self, top: int, bottom: int, left: int, right: int) -> tuple[int, int] | None:
        """The last non-empty cell of a block in reading order (last row, then rightmost)."""
        for r in range(min(bottom, self.max_row() + 1) - 1, top - 1, -1):
            cells = self.rows.get(r)
            if not cells:
                continue
            for c in range(min(right, len(cells)) - 1, left - 1, -1):
                if cells[c] is not None:
                    return r, c
        return None

    def region(self, row: int, col: int) -> Region:
        """The table around a cell: grow a rectangle while a non-empty cell touches it (diagonals included).

        Growth only depends on cells inside the result, so a cached result stays a valid starting point until one
        of its cells is emptied or moved; appends below it only make it grow.
        """
        top, bottom, left, right = self._regions.get((row, col), (row, row + 1, col, col + 1))
        changed = True
        while changed:
            changed = False
            while (span := self._span(bottom, left - 1, right + 1)) is not None:
                left, right, bottom, changed = min(left, span[0]), max(right, span[1] + 1), bottom + 1, True
            while top > 0 and (span := self._span(top - 1, left - 1, right + 1)) is not None:
                left, right, top, changed = min(left, span[0]), max(right, span[1] + 1), top - 1, True
            if left > 0 and self._col_touches(left - 1, top - 1, bottom + 1):
                left, changed = left - 1, True
            if self._col_touches(right, top - 1, bottom + 1):
                right, changed = right + 1, True
        if len(self._regions) > 64:
            self._regions.clear()
        self._regions[(row, col)] = (top, bottom, left, right)
        return top, bottom, left, right

    def _span(self, row: int, left: int, right: int) -> tuple[int, int] | None:
        cells = self.rows.get(row)
        if not cells:
            return None
        found = [c for c in range(max(left, 0), min(right, len(cells))) if cells[c] is not None]
        return (found[0], found[-1]) if found else None

    def _col_touches(self, col: int, top: int, bottom: int) -> bool:
        if not self.col_counts.get(col):
            return False
        return any(self.get(r, col) is not None for r in self.row_indexes(max(top, 0), bottom))

    def _forget_regions(self, affected: Any) -> None:
        self._regions = {seed: reg for seed, reg in self._regions.items() if not affected(*reg)}

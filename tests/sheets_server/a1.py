"""A1 notation: parse what clients send, format what Google answers.

A parsed range keeps its sheet name (``None`` when absent) and zero-based, half-open row and column bounds; ``None``
for an end means "to the edge of the grid" (``A:C``, ``1:2``, ``A1:C``, ``A1:1``, a bare sheet name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]+)?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)$")


class A1Error(ValueError):
    """The text is not A1 notation."""


@dataclass(frozen=True)
class A1:
    sheet: str | None
    start_row: int
    end_row: int | None
    start_col: int
    end_col: int | None
    cells: str | None  # the cells part as written; None for a bare sheet name (the whole sheet)

    @property
    def single_cell(self) -> bool:
        return self.end_row == self.start_row + 1 and self.end_col == self.start_col + 1


def col_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote_title(title: str) -> str:
    """The sheet name as Google writes it in a range it returns: bare when unambiguous, else quoted."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def cell_name(row: int, col: int) -> str:
    return f"{col_letters(col)}{row + 1}"


def cells_text(start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    first = cell_name(start_row, start_col)
    if end_row - start_row == 1 and end_col - start_col == 1:
        return first
    return f"{first}:{cell_name(end_row - 1, end_col - 1)}"


def format_range(title: str, start_row: int, end_row: int, start_col: int, end_col: int) -> str:
    """``Sheet1!A1:D4``; a single cell is ``Sheet1!A1``."""
    return f"{quote_title(title)}!{cells_text(start_row, end_row, start_col, end_col)}"


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split ``'My ''sheet'''!A1:B2`` into the sheet name and the cells part (either may be None)."""
    if text.startswith("'"):
        i, name = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    name.append("'")
                    i += 2
                    continue
                break
            name.append(text[i])
            i += 1
        else:
            raise A1Error(text)
        rest = text[i + 1 :]
        if not rest:
            return "".join(name), None
        if not rest.startswith("!") or len(rest) == 1:
            raise A1Error(text)
        return "".join(name), rest[1:]
    if "!" in text:
        sheet, cells = text.rsplit("!", 1)
        if not sheet or not cells:
            raise A1Error(text)
        return sheet, cells
    return None, text


def parse_cells(text: str) -> tuple[int, int | None, int, int | None]:
    """``A1:B2`` -> (start_row, end_row, start_col, end_col), half-open, ends None when open."""
    parts = text.split(":")
    if len(parts) > 2 or not all(parts):
        raise A1Error(text)
    refs = []
    for part in parts:
        m = _REF.match(part)
        if not m or not (m.group(1) or m.group(2)):
            raise A1Error(text)
        col = col_index(m.group(1)) if m.group(1) else None
        row = int(m.group(2)) - 1 if m.group(2) else None
        if row is not None and row < 0:
            raise A1Error(text)
        refs.append((row, col))
    if len(refs) == 1:
        row, col = refs[0]
        if row is None or col is None:
            raise A1Error(text)
        return row, row + 1, col, col + 1
    (r1, c1), (r2, c2) = refs
    if (c1 is None) != (c2 is None) and r1 is None:
        raise A1Error(text)  # "1:B2" mixes a whole row with a cell
    start_row = min(r1, r2) if r1 is not None and r2 is not None else (r1 if r1 is not None else 0)
    end_row = max(r1, r2) + 1 if r1 is not None and r2 is not None else None
    start_col = min(c1, c2) if c1 is not None and c2 is not None else (c1 if c1 is not None else 0)
    end_col = max(c1, c2) + 1 if c1 is not None and c2 is not None else None
    return start_row, end_row, start_col, end_col


def parse(text: str, titles: list[str]) -> A1:
    """Parse a range; a text without ``!`` is a sheet name when a sheet has that title, else cells on the first."""
    sheet, cells = split_sheet(text)
    if sheet is None and cells is not None and cells in titles:
        sheet, cells = cells, None
    if cells is None:
        return A1(sheet, 0, None, 0, None, cells=None)
    return A1(sheet, *parse_cells(cells), cells=cells.replace("$", "").upper())

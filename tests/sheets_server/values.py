"""The spreadsheets.values operations on the model: read, write, append, clear."""

from __future__ import annotations

from typing import Any

from . import a1, cells, dimensions
from .errors import invalid
from .limits import Limits, check_cells, check_chars
from .model import Bounds, Sheet, Spreadsheet, exceeds_grid

SKIP = object()  # a JSON null in the input: leave the cell as it is


def prepare(payload: Any, major: str, user_entered: bool, field: str, limits: Limits) -> list[list[Any]]:
    """Validate ``values`` and turn them into stored values, row-major, ``SKIP`` for nulls."""
    rows = cells.check_row_values(payload, field)
    if major == "COLUMNS":
        height = max((len(col) for col in rows), default=0)
        rows = [[col[r] if r < len(col) else None for col in rows] for r in range(height)]
    out = []
    for row in rows:
        converted = []
        for value in row:
            stored = SKIP if value is None else cells.from_input(value, user_entered)
            if stored is not SKIP:
                check_chars(cells.chars(stored), limits)
            converted.append(stored)
        out.append(converted)
    return out


def render_block(sheet: Sheet, bounds: Bounds, major: str, render: str, datetime_render: str) -> dict[str, Any]:
    """A ValueRange of stored values, trailing empties trimmed; absent ``values`` when there is nothing."""
    top, bottom, left, right = bounds
    block = sheet.grid.read(top, bottom, left, right)
    if major == "COLUMNS":
        width = max((len(row) for row in block), default=0)
        block = [[row[c] if c < len(row) else None for row in block] for c in range(width)]
        for column in block:
            while column and column[-1] is None:
                column.pop()
    body: dict[str, Any] = {"range": a1.format_range(sheet.title, *bounds), "majorDimension": major}
    if block:
        body["values"] = [[cells.render(v, render, datetime_render) for v in row] for row in block]
    return body


def read(spreadsheet: Spreadsheet, text: str, major: str, render: str, datetime_render: str) -> dict[str, Any]:
    sheet, parsed = spreadsheet.resolve(text)
    return render_block(sheet, spreadsheet.bounds(sheet, parsed), major, render, datetime_render)


def _put(sheet: Sheet, top: int, left: int, matrix: list[list[Any]]) -> dict[str, Any]:
    """Write the matrix at (top, left) and count what Google counts as updated."""
    rows_touched, cols_touched, count = 0, set(), 0
    for offset, row in enumerate(matrix):
        written = [c for c, value in enumerate(row) if value is not SKIP]
        if written:
            sheet.grid.write_row(top + offset, left, row, SKIP)
            rows_touched += 1
            cols_touched.update(written)
            count += len(written)
    width = max((len(row) for row in matrix), default=0)
    response: dict[str, Any] = {
        "updatedRange": a1.format_range(sheet.title, top, top + len(matrix), left, left + width)
    }
    if count:
        response.update(updatedRows=rows_touched, updatedColumns=len(cols_touched), updatedCells=count)
    return response


def write(spreadsheet: Spreadsheet, text: str, matrix: list[list[Any]]) -> tuple[Sheet, dict[str, Any]]:
    """values.update: the range's top-left anchors the values; a multi-cell range also bounds them."""
    sheet, parsed = spreadsheet.resolve(text)
    top, left = parsed.start_row, parsed.start_col
    height, width = len(matrix), max((len(row) for row in matrix), default=0)
    if not parsed.single_cell and parsed.cells is not None:
        if parsed.end_col is not None and left + width > parsed.end_col:
            raise invalid(
                f"Requested writing within range [{text}], but tried writing to column "
                f"[{a1.col_letters(parsed.end_col)}]"
            )
        if parsed.end_row is not None and top + height > parsed.end_row:
            raise invalid(f"Requested writing within range [{text}], but tried writing to row [{parsed.end_row + 1}]")
    if top >= sheet.row_count or left >= sheet.col_count:
        raise exceeds_grid(sheet, parsed.cells or "")
    if top + height > sheet.row_count or left + width > sheet.col_count:
        raise exceeds_grid(sheet, a1.cells_text(top, top + max(height, 1), left, left + max(width, 1)))
    if not height:
        return sheet, {"updatedRange": a1.format_range(sheet.title, top, top + 1, left, left + 1)}
    return sheet, _put(sheet, top, left, matrix)


def append(
    spreadsheet: Spreadsheet, text: str, matrix: list[list[Any]], insert_rows: bool, limits: Limits
) -> tuple[Sheet, str | None, dict[str, Any]]:
    """values.append: find the table from the range, write after its last row from its first column.

    The table is the block around the last non-empty cell of the range (see :meth:`Grid.region`); with no value
    in the range the values go to the range's top-left. The grid grows to fit; INSERT_ROWS inserts the rows first.
    """
    sheet, parsed = spreadsheet.resolve(text)
    top, bottom, left, right = spreadsheet.bounds(sheet, parsed)
    seed = sheet.grid.last_cell(top, bottom, left, right)
    table_range = None
    if seed is not None:
        t, b, lft, rgt = sheet.grid.region(*seed)
        table_range = a1.format_range(sheet.title, t, b, lft, rgt)
        top, left = b, lft
    height, width = len(matrix), max((len(row) for row in matrix), default=0)
    rows = sheet.row_count + height if insert_rows else max(sheet.row_count, top + height)
    cols = max(sheet.col_count, left + width)
    check_cells(spreadsheet.cell_count(), rows * cols - sheet.row_count * sheet.col_count, limits)
    if insert_rows:
        dimensions.insert(sheet, "ROWS", top, height)
    sheet.grid_properties["rowCount"], sheet.grid_properties["columnCount"] = rows, cols
    if not height:
        return sheet, table_range, {}
    return sheet, table_range, _put(sheet, top, left, matrix)


def clear(spreadsheet: Spreadsheet, text: str) -> str:
    sheet, parsed = spreadsheet.resolve(text)
    bounds = spreadsheet.bounds(sheet, parsed)
    sheet.grid.clear(*bounds)
    return a1.format_range(sheet.title, *bounds)


def updated_data(sheet: Sheet, updated_range: str, render: str, datetime_render: str) -> dict[str, Any]:
    """``updatedData`` of a write answered with includeValuesInResponse."""
    cells_part = updated_range.rsplit("!", 1)[1]
    start_row, end_row, start_col, end_col = a1.parse_cells(cells_part)
    bounds = (start_row, end_row or start_row + 1, start_col, end_col or start_col + 1)
    return render_block(sheet, bounds, "ROWS", render, datetime_render)

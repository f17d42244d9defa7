"""batchUpdate requests about sheets and their grids: add, delete, duplicate, properties, rows and columns."""

from __future__ import annotations

import copy
from typing import Any

from . import dimensions, fields, render
from .batch import Context, handles
from .model import new_sheet

_DIMENSIONS = ("ROWS", "COLUMNS")


def _title_taken(context: Context, title: str, except_id: int | None = None) -> bool:
    return any(s.title.lower() == title.lower() and s.id != except_id for s in context.spreadsheet.sheets)


def _taken_message(title: str) -> str:
    return f'A sheet with the name "{title}" already exists. Please enter another name.'


@handles("addSheet")
def add_sheet(context: Context, params: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(params.get("properties") or {})
    sheets = context.spreadsheet.sheets
    title = props.pop("title", None)
    if not title:
        n = len(sheets) + 1
        while _title_taken(context, f"Sheet{n}"):
            n += 1
        title = f"Sheet{n}"
    if _title_taken(context, title):
        raise context.fail(_taken_message(title))
    taken = {s.id for s in sheets}
    sheet_id = props.pop("sheetId", None)
    if sheet_id is None:
        sheet_id = context.store.new_number(taken)
    elif int(sheet_id) in taken:
        raise context.fail(f"Sheet with id {sheet_id} already exists.")
    grid = props.pop("gridProperties", {}) or {}
    rows, cols = int(grid.get("rowCount") or 1000), int(grid.get("columnCount") or 26)
    context.grow(rows * cols)
    index = props.pop("index", None)
    index = len(sheets) if index is None else max(0, min(int(index), len(sheets)))
    props.pop("sheetType", None)
    sheet = new_sheet(int(sheet_id), title, index, rows, cols, gridProperties=grid, **props)
    sheets.insert(index, sheet)
    context.spreadsheet.reindex()
    return {"properties": render.sheet_properties(sheet)}


@handles("deleteSheet")
def delete_sheet(context: Context, params: dict[str, Any]) -> None:
    sheet = context.sheet(params.get("sheetId", 0), noun="sheet")
    if len(context.spreadsheet.sheets) == 1:
        raise context.fail("You can't remove all the sheets in a document.")
    context.spreadsheet.sheets.remove(sheet)
    context.spreadsheet.reindex()


@handles("duplicateSheet")
def duplicate_sheet(context: Context, params: dict[str, Any]) -> dict[str, Any]:
    source = context.sheet(params.get("sourceSheetId", 0), noun="sheet")
    sheets = context.spreadsheet.sheets
    title = params.get("newSheetName") or f"Copy of {source.title}"
    if _title_taken(context, title):
        raise context.fail(_taken_message(title))
    taken = {s.id for s in sheets}
    sheet_id = params.get("newSheetId")
    if sheet_id is not None and int(sheet_id) in taken:
        raise context.fail(f"Sheet with id {sheet_id} already exists.")
    context.grow(source.row_count * source.col_count)
    copy_ = source.clone()
    new_id = int(sheet_id) if sheet_id is not None else context.store.new_number(taken)
    copy_.properties.update(sheetId=new_id, title=title)
    for holder in (copy_.protected_ranges, copy_.banded_ranges):
        for item in holder:
            if "range" in item:
                item["range"]["sheetId"] = new_id
    copy_.cell_ops = [({**r, "sheetId": new_id}, s, m) for r, s, m in copy_.cell_ops]
    index = params.get("insertSheetIndex")
    sheets.insert(len(sheets) if index is None else int(index), copy_)
    context.spreadsheet.reindex()
    return {"properties": render.sheet_properties(copy_)}


@handles("updateSheetProperties")
def update_sheet_properties(context: Context, params: dict[str, Any]) -> None:
    given = params.get("properties") or {}
    sheet = context.sheet(given.get("sheetId", 0), noun="sheet")
    mask = context.mask(params)
    mask.pop("sheetId", None)
    updated = copy.deepcopy(sheet.properties)
    fields.apply(updated, given, mask)
    if not updated.get("title"):
        raise context.fail("Sheet name can't be empty.")
    if _title_taken(context, updated["title"], except_id=sheet.id):
        raise context.fail(_taken_message(updated["title"]))
    grid = updated.setdefault("gridProperties", {})
    rows = int(grid.get("rowCount") or sheet.row_count)
    cols = int(grid.get("columnCount") or sheet.col_count)
    if int(grid.get("frozenRowCount") or 0) >= rows:
        raise context.fail("You can't freeze all visible rows on the sheet.")
    if int(grid.get("frozenColumnCount") or 0) >= cols:
        raise context.fail("You can't freeze all visible columns on the sheet.")
    context.grow(rows * cols - sheet.row_count * sheet.col_count)
    grid["rowCount"], grid["columnCount"] = sheet.row_count, sheet.col_count
    sheet.properties = updated
    dimensions.resize(sheet, rows, cols)
    if mentions_index(mask):
        sheets = context.spreadsheet.sheets
        sheets.remove(sheet)
        sheets.insert(max(0, min(int(updated.get("index") or 0), len(sheets))), sheet)
        context.spreadsheet.reindex()


def mentions_index(mask: fields.Mask) -> bool:
    return "index" in mask or "*" in mask


@handles("updateSpreadsheetProperties")
def update_spreadsheet_properties(context: Context, params: dict[str, Any]) -> None:
    fields.apply(context.spreadsheet.properties, params.get("properties") or {}, context.mask(params))


def _dimension_range(context: Context, spec: dict[str, Any]) -> tuple[Any, str, int, int]:
    sheet = context.sheet(spec.get("sheetId", 0))
    dim = spec.get("dimension")
    if dim not in _DIMENSIONS:
        raise context.fail("range.dimension must be ROWS or COLUMNS.")
    size = sheet.row_count if dim == "ROWS" else sheet.col_count
    start = int(spec.get("startIndex", 0))
    end = int(spec.get("endIndex", size))
    if start < 0 or end <= start:
        raise context.fail(f"range.startIndex[{start}] must be less than range.endIndex[{end}].")
    return sheet, dim, start, end


@handles("insertDimension")
def insert_dimension(context: Context, params: dict[str, Any]) -> None:
    sheet, dim, start, end = _dimension_range(context, params.get("range") or {})
    size = sheet.row_count if dim == "ROWS" else sheet.col_count
    if start > size:
        noun = "row" if dim == "ROWS" else "column"
        raise context.fail(f"range.startIndex[{start}] is after last {noun} in grid[{size - 1}]")
    other = sheet.col_count if dim == "ROWS" else sheet.row_count
    context.grow((end - start) * other)
    dimensions.insert(sheet, dim, start, end - start)


@handles("deleteDimension")
def delete_dimension(context: Context, params: dict[str, Any]) -> None:
    sheet, dim, start, end = _dimension_range(context, params.get("range") or {})
    size = sheet.row_count if dim == "ROWS" else sheet.col_count
    noun = "row" if dim == "ROWS" else "column"
    if end > size:
        raise context.fail(
            f"Cannot delete a {noun} that doesn't exist. Tried to delete {noun} index {end - 1} but there are only "
            f"{size} {noun}s."
        )
    if start == 0 and end == size:
        raise context.fail(f"You can't delete all the {noun}s on the sheet.")
    dimensions.delete(sheet, dim, start, end)


@handles("appendDimension")
def append_dimension(context: Context, params: dict[str, Any]) -> None:
    sheet = context.sheet(params.get("sheetId", 0))
    dim = params.get("dimension")
    length = int(params.get("length", 0))
    if dim not in _DIMENSIONS or length <= 0:
        raise context.fail("length must be positive and dimension ROWS or COLUMNS.")
    other = sheet.col_count if dim == "ROWS" else sheet.row_count
    context.grow(length * other)
    key = "rowCount" if dim == "ROWS" else "columnCount"
    sheet.grid_properties[key] = int(sheet.grid_properties[key]) + length


@handles("updateDimensionProperties")
def update_dimension_properties(context: Context, params: dict[str, Any]) -> None:
    sheet, dim, start, end = _dimension_range(context, params.get("range") or {})
    mask = context.mask(params)
    given = params.get("properties") or {}
    size = sheet.row_count if dim == "ROWS" else sheet.col_count
    for index in range(start, min(end, size)):
        current = dict(sheet.dimensions[dim].get(index, {}))
        fields.apply(current, given, mask)
        sheet.dimensions[dim][index] = current


@handles("autoResizeDimensions")
def auto_resize_dimensions(context: Context, params: dict[str, Any]) -> None:
    """Accepted; the server measures no text, so pixel sizes stay as they are."""
    _dimension_range(context, params.get("dimensions") or {})

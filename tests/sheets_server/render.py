"""The Spreadsheet resource as spreadsheets.get returns it: properties, sheets, optional grid data.

Google leaves out fields at their default (a frozen count of 0, a sheetId of 0 inside a GridRange, false flags), so
this does too; the recorded exchanges depend on it.
"""

from __future__ import annotations

import copy
from typing import Any

from . import cells, defaults, fields
from .model import Bounds, Sheet, Spreadsheet

_DROP_WHEN_FALSE = ("hidden", "rightToLeft")
_GRID_DROP_WHEN_DEFAULT = {
    "frozenRowCount": 0,
    "frozenColumnCount": 0,
    "hideGridlines": False,
    "rowGroupControlAfter": False,
    "columnGroupControlAfter": False,
}


def clean_range(grid_range: dict[str, Any]) -> dict[str, Any]:
    out = dict(grid_range)
    if not out.get("sheetId"):
        out.pop("sheetId", None)
    return out


def sheet_properties(sheet: Sheet) -> dict[str, Any]:
    props = copy.deepcopy(sheet.properties)
    for key in _DROP_WHEN_FALSE:
        if not props.get(key, True):
            props.pop(key)
    grid = props.get("gridProperties", {})
    for key, default in _GRID_DROP_WHEN_DEFAULT.items():
        if key in grid and grid[key] == default:
            grid.pop(key)
    return props


def protected_range(stored: dict[str, Any], in_reply: bool = False) -> dict[str, Any]:
    """A protected range; Google's reply to addProtectedRange omits the editors it adds (the requesting user)."""
    out = {k: v for k, v in stored.items() if not k.startswith("_")}
    if "range" in out:
        out["range"] = clean_range(out["range"])
    if in_reply:
        out["editors"] = copy.deepcopy(stored.get("_requested_editors", {}))
    return out


def covers(grid_range: dict[str, Any], row: int, col: int) -> bool:
    return grid_range.get("startRowIndex", 0) <= row < grid_range.get("endRowIndex", 1 << 30) and grid_range.get(
        "startColumnIndex", 0
    ) <= col < grid_range.get("endColumnIndex", 1 << 30)


def cell_data(sheet: Sheet, row: int, col: int) -> dict[str, Any]:
    cell: dict[str, Any] = {}
    value = sheet.grid.get(row, col)
    if value is not None:
        cell["userEnteredValue"] = cells.extended(value)
        cell["effectiveValue"] = cells.effective(value)
        cell["formattedValue"] = cells.render(value, "FORMATTED_VALUE", "SERIAL_NUMBER")
    extras: dict[str, Any] = {}
    for grid_range, source, mask in sheet.cell_ops:
        if covers(grid_range, row, col):
            fields.apply(extras, source, mask)
    extras.pop("userEnteredValue", None)
    cell.update(extras)
    return cell


def grid_data(sheet: Sheet, bounds: Bounds) -> dict[str, Any]:
    top, bottom, left, right = bounds
    data: dict[str, Any] = {}
    if top:
        data["startRow"] = top
    if left:
        data["startColumn"] = left
    last = sheet.grid.max_row()
    for grid_range, _source, _mask in sheet.cell_ops:
        last = max(last, min(grid_range.get("endRowIndex", sheet.row_count), sheet.row_count) - 1)
    rows: list[dict[str, Any]] = []
    for r in range(top, min(bottom, last + 1)):
        values = [cell_data(sheet, r, c) for c in range(left, right)]
        while values and not values[-1]:
            values.pop()
        rows.append({"values": values} if values else {})
    while rows and not rows[-1]:
        rows.pop()
    if rows:
        data["rowData"] = rows
    data["rowMetadata"] = [dimension(sheet, "ROWS", r) for r in range(top, bottom)]
    data["columnMetadata"] = [dimension(sheet, "COLUMNS", c) for c in range(left, right)]
    return data


def dimension(sheet: Sheet, dim: str, index: int) -> dict[str, Any]:
    default = defaults.DEFAULT_ROW_PIXELS if dim == "ROWS" else defaults.DEFAULT_COLUMN_PIXELS
    props = {"pixelSize": default}
    props.update(sheet.dimensions[dim].get(index, {}))
    if not props.get("hiddenByUser", True):
        props.pop("hiddenByUser")
    return props


def sheet_resource(sheet: Sheet, data_bounds: list[Bounds] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"properties": sheet_properties(sheet)}
    if data_bounds is not None:
        out["data"] = [grid_data(sheet, b) for b in data_bounds]
    if sheet.merges:
        out["merges"] = [clean_range(m) for m in sheet.merges]
    if sheet.conditional_formats:
        out["conditionalFormats"] = [
            {**rule, "ranges": [clean_range(r) for r in rule.get("ranges", [])]} for rule in sheet.conditional_formats
        ]
    if sheet.protected_ranges:
        out["protectedRanges"] = [protected_range(p) for p in sheet.protected_ranges]
    if sheet.basic_filter:
        out["basicFilter"] = {**sheet.basic_filter, "range": clean_range(sheet.basic_filter.get("range", {}))}
    if sheet.banded_ranges:
        out["bandedRanges"] = [{**b, "range": clean_range(b.get("range", {}))} for b in sheet.banded_ranges]
    return out


def spreadsheet_resource(
    spreadsheet: Spreadsheet, data: dict[int, list[Bounds]] | None = None, only: set[int] | None = None
) -> dict[str, Any]:
    """``data`` maps sheet ids to the blocks whose grid data to include; ``only`` limits the sheets listed."""
    sheets = [
        sheet_resource(sheet, data.get(sheet.id, []) if data is not None else None)
        for sheet in spreadsheet.sheets
        if only is None or sheet.id in only
    ]
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.id,
        "properties": copy.deepcopy(spreadsheet.properties),
        "sheets": sheets,
    }
    if spreadsheet.named_ranges:
        out["namedRanges"] = [{**n, "range": clean_range(n["range"])} for n in spreadsheet.named_ranges]
    out["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{spreadsheet.id}/edit"
    return out

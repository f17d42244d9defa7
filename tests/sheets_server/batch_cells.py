"""batchUpdate requests about cells: values and formats, validation, protection, merges, filters, banding.

Formats, notes and validation rules are stored as ordered (range, cell data, field mask) operations and resolved
per cell when grid data is read; nothing is drawn, so borders and formats are kept, never interpreted.
"""

from __future__ import annotations

import copy
from typing import Any

from . import cells, fields, render
from .batch import Context, grid_bounds, handles, normal_range
from .limits import check_chars
from .model import Sheet, user_email


def _write_cell(context: Context, sheet: Sheet, row: int, col: int, data: dict[str, Any], mask: fields.Mask) -> None:
    if fields.mentions(mask, "userEnteredValue"):
        value = cells.from_extended(data.get("userEnteredValue"))
        check_chars(cells.chars(value), context.store.limits, context.prefix)
        sheet.grid.write_row(row, col, [value], skip=object())


def _store_op(sheet: Sheet, grid_range: dict[str, Any], data: dict[str, Any], mask: fields.Mask) -> None:
    rest = {k: v for k, v in mask.items() if k != "userEnteredValue"}
    if rest:
        sheet.cell_ops.append((normal_range(grid_range), copy.deepcopy(data), rest))


@handles("repeatCell")
def repeat_cell(context: Context, params: dict[str, Any]) -> None:
    grid_range = params.get("range") or {}
    sheet, top, bottom, left, right = grid_bounds(context, grid_range)
    mask = context.mask(params)
    data = params.get("cell") or {}
    if fields.mentions(mask, "userEnteredValue"):
        for row in range(top, bottom):
            for col in range(left, right):
                _write_cell(context, sheet, row, col, data, mask)
    _store_op(sheet, {**grid_range, "sheetId": sheet.id}, data, mask)


def _write_rows(context: Context, sheet: Sheet, top: int, left: int, rows: list[Any], mask: fields.Mask) -> None:
    if top + len(rows) > sheet.row_count:
        raise context.fail(
            f"GridCoordinate.rowIndex[{top + len(rows) - 1}] is after last row in grid[{sheet.row_count - 1}]"
        )
    for r, row in enumerate(rows):
        values = (row or {}).get("values") or []
        if left + len(values) > sheet.col_count:
            raise context.fail(
                f"GridCoordinate.columnIndex[{left + len(values) - 1}] is after last column in grid"
                f"[{sheet.col_count - 1}]"
            )
        for c, data in enumerate(values):
            data = data or {}
            _write_cell(context, sheet, top + r, left + c, data, mask)
            cell_range = {"sheetId": sheet.id, "startRowIndex": top + r, "endRowIndex": top + r + 1}
            cell_range.update(startColumnIndex=left + c, endColumnIndex=left + c + 1)
            _store_op(sheet, cell_range, data, mask)


@handles("updateCells")
def update_cells(context: Context, params: dict[str, Any]) -> None:
    mask = context.mask(params)
    rows = params.get("rows") or []
    if "range" in params:
        grid_range = params["range"] or {}
        sheet, top, bottom, left, right = grid_bounds(context, grid_range)
        if fields.mentions(mask, "userEnteredValue"):
            sheet.grid.clear(top, bottom, left, right)
        _store_op(sheet, {**grid_range, "sheetId": sheet.id}, {}, mask)
    else:
        start = params.get("start") or {}
        sheet = context.sheet(start.get("sheetId", 0))
        top, left = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    _write_rows(context, sheet, top, left, rows, mask)


@handles("appendCells")
def append_cells(context: Context, params: dict[str, Any]) -> None:
    sheet = context.sheet(params.get("sheetId", 0))
    rows = params.get("rows") or []
    top = sheet.grid.max_row() + 1
    width = max((len((row or {}).get("values") or []) for row in rows), default=0)
    new_rows, new_cols = max(sheet.row_count, top + len(rows)), max(sheet.col_count, width)
    context.grow(new_rows * new_cols - sheet.row_count * sheet.col_count)
    sheet.grid_properties.update(rowCount=new_rows, columnCount=new_cols)
    _write_rows(context, sheet, top, 0, rows, context.mask(params))


@handles("setDataValidation")
def set_data_validation(context: Context, params: dict[str, Any]) -> None:
    grid_range = params.get("range") or {}
    sheet, *_ = grid_bounds(context, grid_range)
    rule = params.get("rule")
    data = {"dataValidation": rule} if rule else {}
    _store_op(sheet, {**grid_range, "sheetId": sheet.id}, data, {"dataValidation": {}})


@handles("addProtectedRange")
def add_protected_range(context: Context, params: dict[str, Any]) -> dict[str, Any]:
    given = params.get("protectedRange") or {}
    sheet, *_ = grid_bounds(context, given.get("range") or {})
    taken = {p["protectedRangeId"] for s in context.spreadsheet.sheets for p in s.protected_ranges}
    protected_id = given.get("protectedRangeId") or context.store.new_number(taken)
    requested = {k: v for k, v in (given.get("editors") or {}).items() if v not in ([], None, False)}
    editors = copy.deepcopy(requested)
    if not given.get("warningOnly"):
        users = editors.setdefault("users", [])
        if user_email(context.user) not in users:
            users.insert(0, user_email(context.user))
    stored: dict[str, Any] = {"protectedRangeId": protected_id, "range": normal_range(given.get("range") or {})}
    if given.get("description"):
        stored["description"] = given["description"]
    if given.get("warningOnly"):
        stored["warningOnly"] = True
    stored["requestingUserCanEdit"] = True
    if given.get("unprotectedRanges"):
        stored["unprotectedRanges"] = [normal_range(r) for r in given["unprotectedRanges"]]
    if not given.get("warningOnly"):
        stored["editors"] = editors
    stored["_requested_editors"] = requested
    sheet.protected_ranges.append(stored)
    return {"protectedRange": render.protected_range(stored, in_reply=True)}


@handles("deleteProtectedRange")
def delete_protected_range(context: Context, params: dict[str, Any]) -> None:
    wanted = params.get("protectedRangeId")
    for sheet in context.spreadsheet.sheets:
        for item in sheet.protected_ranges:
            if item["protectedRangeId"] == wanted:
                sheet.protected_ranges.remove(item)
                return
    raise context.fail(f"No protected range with id: {wanted}")


@handles("addConditionalFormatRule")
def add_conditional_format_rule(context: Context, params: dict[str, Any]) -> None:
    rule = copy.deepcopy(params.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise context.fail("ConditionalFormatRule must have at least one range.")
    sheet, *_ = grid_bounds(context, ranges[0])
    rule["ranges"] = [normal_range(r) for r in ranges]
    index = params.get("index")
    sheet.conditional_formats.insert(len(sheet.conditional_formats) if index is None else int(index), rule)


@handles("deleteConditionalFormatRule")
def delete_conditional_format_rule(context: Context, params: dict[str, Any]) -> dict[str, Any]:
    sheet = context.sheet(params.get("sheetId", 0))
    index = int(params.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise context.fail(f"No conditional format on sheet: {sheet.id} at index: {index}")
    rule = sheet.conditional_formats.pop(index)
    return {"rule": {**rule, "ranges": [render.clean_range(r) for r in rule["ranges"]]}}


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def span(r: dict[str, Any], start: str, end: str) -> tuple[int, int]:
        return int(r.get(start, 0)), int(r.get(end, 1 << 30))

    a_rows, b_rows = span(a, "startRowIndex", "endRowIndex"), span(b, "startRowIndex", "endRowIndex")
    a_cols, b_cols = span(a, "startColumnIndex", "endColumnIndex"), span(b, "startColumnIndex", "endColumnIndex")
    return a_rows[0] < b_rows[1] and b_rows[0] < a_rows[1] and a_cols[0] < b_cols[1] and b_cols[0] < a_cols[1]


@handles("mergeCells")
def merge_cells(context: Context, params: dict[str, Any]) -> None:
    sheet, top, bottom, left, right = grid_bounds(context, params.get("range") or {})
    kind = params.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_ROWS":
        pieces = [(r, r + 1, left, right) for r in range(top, bottom)]
    elif kind == "MERGE_COLUMNS":
        pieces = [(top, bottom, c, c + 1) for c in range(left, right)]
    else:
        pieces = [(top, bottom, left, right)]
    for t, b, lft, rgt in pieces:
        merged = {"sheetId": sheet.id, "startRowIndex": t, "endRowIndex": b}
        merged.update(startColumnIndex=lft, endColumnIndex=rgt)
        if any(_overlaps(merged, m) for m in sheet.merges):
            raise context.fail("You can't merge cells that are already partially merged.")
        sheet.merges.append(merged)


@handles("unmergeCells")
def unmerge_cells(context: Context, params: dict[str, Any]) -> None:
    grid_range = params.get("range") or {}
    sheet, *_ = grid_bounds(context, grid_range)
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, grid_range)]


@handles("updateBorders")
def update_borders(context: Context, params: dict[str, Any]) -> None:
    grid_range = params.get("range") or {}
    sheet, *_ = grid_bounds(context, grid_range)
    borders = {side: params[side] for side in ("top", "bottom", "left", "right") if side in params}
    mask: fields.Mask = {"userEnteredFormat": {"borders": {side: {} for side in borders}}}
    if borders:
        data = {"userEnteredFormat": {"borders": borders}}
        sheet.cell_ops.append((normal_range({**grid_range, "sheetId": sheet.id}), data, mask))


@handles("setBasicFilter")
def set_basic_filter(context: Context, params: dict[str, Any]) -> None:
    given = copy.deepcopy(params.get("filter") or {})
    sheet, *_ = grid_bounds(context, given.get("range") or {})
    given["range"] = normal_range({**(given.get("range") or {}), "sheetId": sheet.id})
    sheet.basic_filter = given


@handles("clearBasicFilter")
def clear_basic_filter(context: Context, params: dict[str, Any]) -> None:
    context.sheet(params.get("sheetId", 0)).basic_filter = None


@handles("addBanding")
def add_banding(context: Context, params: dict[str, Any]) -> dict[str, Any]:
    given = copy.deepcopy(params.get("bandedRange") or {})
    sheet, *_ = grid_bounds(context, given.get("range") or {})
    taken = {b["bandedRangeId"] for s in context.spreadsheet.sheets for b in s.banded_ranges}
    banded: dict[str, Any] = {"bandedRangeId": given.pop("bandedRangeId", None) or context.store.new_number(taken)}
    banded["range"] = normal_range({**(given.pop("range", None) or {}), "sheetId": sheet.id})
    banded.update(given)
    sheet.banded_ranges.append(banded)
    return {"bandedRange": {**banded, "range": render.clean_range(banded["range"])}}


@handles("deleteBanding")
def delete_banding(context: Context, params: dict[str, Any]) -> None:
    wanted = params.get("bandedRangeId")
    for sheet in context.spreadsheet.sheets:
        for item in sheet.banded_ranges:
            if item["bandedRangeId"] == wanted:
                sheet.banded_ranges.remove(item)
                return
    raise context.fail(f"No banded range with id: {wanted}")


@handles("addNamedRange")
def add_named_range(context: Context, params: dict[str, Any]) -> dict[str, Any]:
    given = copy.deepcopy(params.get("namedRange") or {})
    name = given.get("name") or ""
    if any(n["name"].lower() == name.lower() for n in context.spreadsheet.named_ranges) or not name:
        raise context.fail(f"A named range with the name '{name}' already exists or the name is empty.")
    sheet, *_ = grid_bounds(context, given.get("range") or {})
    named: dict[str, Any] = {
        "namedRangeId": given.get("namedRangeId") or f"{context.store.new_number():x}",
        "name": name,
        "range": normal_range({**(given.get("range") or {}), "sheetId": sheet.id}),
    }
    context.spreadsheet.named_ranges.append(named)
    return {"namedRange": {**named, "range": render.clean_range(named["range"])}}


@handles("deleteNamedRange")
def delete_named_range(context: Context, params: dict[str, Any]) -> None:
    wanted = params.get("namedRangeId")
    before = len(context.spreadsheet.named_ranges)
    context.spreadsheet.named_ranges = [n for n in context.spreadsheet.named_ranges if n["namedRangeId"] != wanted]
    if len(context.spreadsheet.named_ranges) == before:
        raise context.fail(f"No named range with id: {wanted}")

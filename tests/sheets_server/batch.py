"""spreadsheets.batchUpdate: dispatch each request to its handler, collect the replies.

Handlers live in :mod:`batch_sheets` (sheets, dimensions) and :mod:`batch_cells` (values, formats, validation,
protection). A handler returns the body of its reply (``{"addSheet": <body>}``) or None for an empty reply ``{}``.
Errors are worded ``Invalid requests[i].<kind>: <message>`` as Google words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import fields
from .errors import ApiError, invalid, unknown_field
from .limits import check_cells
from .model import Sheet, Spreadsheet, Store

# Every request kind of the Sheets API v4; the ones without a handler answer 501 so a test notices.
_KNOWN_TEXT = """
updateSpreadsheetProperties updateSheetProperties updateDimensionProperties updateNamedRange repeatCell
addNamedRange deleteNamedRange addSheet deleteSheet autoFill cutPaste copyPaste mergeCells unmergeCells
updateBorders updateCells addFilterView appendCells clearBasicFilter deleteDimension deleteEmbeddedObject
deleteFilterView duplicateFilterView duplicateSheet findReplace insertDimension insertRange moveDimension
updateEmbeddedObjectPosition pasteData textToColumns updateFilterView deleteRange appendDimension
addConditionalFormatRule updateConditionalFormatRule deleteConditionalFormatRule sortRange setDataValidation
setBasicFilter addProtectedRange updateProtectedRange deleteProtectedRange autoResizeDimensions addChart
updateChartSpec updateBanding addBanding deleteBanding createDeveloperMetadata updateDeveloperMetadata
deleteDeveloperMetadata randomizeRange addDimensionGroup deleteDimensionGroup updateDimensionGroup
trimWhitespace deleteDuplicates updateEmbeddedObjectBorder addSlicer updateSlicerSpec addDataSource
updateDataSource deleteDataSource refreshDataSource cancelDataSourceRefresh addTable updateTable deleteTable
"""
KNOWN = frozenset(_KNOWN_TEXT.split())


@dataclass
class Context:
    spreadsheet: Spreadsheet
    store: Store
    user: str
    prefix: str = ""

    def fail(self, message: str) -> ApiError:
        return invalid(self.prefix + message)

    def sheet(self, sheet_id: Any, noun: str = "grid") -> Sheet:
        return self.spreadsheet.by_id(sheet_id, self.prefix, noun)

    def grow(self, added_cells: int) -> None:
        check_cells(self.spreadsheet.cell_count(), added_cells, self.store.limits, self.prefix)

    def mask(self, params: dict[str, Any]) -> fields.Mask:
        text = params.get("fields")
        if not text:
            raise self.fail("At least one field must be specified in 'fields'.")
        try:
            return fields.parse(str(text))
        except fields.MaskError:
            raise self.fail(f"Invalid field mask: {text}") from None


Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def apply(spreadsheet: Spreadsheet, requests: Any, store: Store, user: str) -> list[dict[str, Any]]:
    """Run the requests in order on ``spreadsheet`` (a clone: the caller commits it only on success)."""
    if not isinstance(requests, list) or not requests:
        raise invalid("Must specify at least one request.")
    context = Context(spreadsheet, store, user)
    replies = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or not request:
            raise invalid(f"Invalid requests[{i}]: No request set.")
        kinds = list(request)
        for kind in kinds:
            if kind not in KNOWN:
                raise unknown_field(kind, f"requests[{i}]")
        if len(kinds) > 1:
            raise invalid(f"Invalid value at 'requests[{i}]' (oneof), oneof field 'kind' is already set.")
        kind = kinds[0]
        handler = HANDLERS.get(kind)
        if handler is None:
            raise ApiError(501, f"The Sheets API test server does not implement requests[{i}].{kind}.")
        context.prefix = f"Invalid requests[{i}].{kind}: "
        reply = handler(context, request[kind] or {})
        replies.append({kind: reply} if reply is not None else {})
    return replies


def grid_bounds(context: Context, grid_range: dict[str, Any]) -> tuple[Sheet, int, int, int, int]:
    """A GridRange clamped to its sheet's grid (open ends reach the edge)."""
    sheet = context.sheet(grid_range.get("sheetId", 0))
    top = int(grid_range.get("startRowIndex", 0))
    left = int(grid_range.get("startColumnIndex", 0))
    bottom = min(int(grid_range.get("endRowIndex", sheet.row_count)), sheet.row_count)
    right = min(int(grid_range.get("endColumnIndex", sheet.col_count)), sheet.col_count)
    if top < 0 or left < 0:
        raise context.fail("GridRange indexes must be non-negative.")
    return sheet, top, bottom, left, right


def normal_range(grid_range: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as stored: integer fields only, in Google's key order."""
    keys = ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    return {key: int(grid_range[key]) for key in keys if grid_range.get(key) is not None}

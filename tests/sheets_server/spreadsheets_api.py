"""HTTP routes of spreadsheets: create, get (includeGridData, ranges, fields), batchUpdate."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from . import batch, batch_cells, batch_sheets, cells, fields, render
from .errors import invalid
from .limits import check_cells
from .model import SPREADSHEET_MIME, Bounds, Spreadsheet, new_sheet, user_email
from .params import body, control, flag, respond, user

blueprint = Blueprint("spreadsheets", __name__)
_HANDLERS = (batch_cells, batch_sheets)  # imported for their @handles registrations


def _mask() -> fields.Mask | None:
    text = request.args.get("fields")
    if not text:
        return None
    try:
        return fields.parse(text)
    except fields.MaskError:
        raise invalid(f"Invalid field selection {text}") from None


@blueprint.post("/v4/spreadsheets")
def create() -> Response:
    payload = body()
    store = control().store
    props = dict(payload.get("properties") or {})
    title = props.pop("title", None) or "Untitled spreadsheet"
    with store.lock:
        file = store.create_file(title, SPREADSHEET_MIME, user_email(user()))
        spreadsheet = store.spreadsheets[file.id]
        spreadsheet.properties.update({k: v for k, v in props.items() if k in spreadsheet.properties})
        if payload.get("sheets"):
            try:
                _initial_sheets(spreadsheet, payload["sheets"])
            except Exception:
                store.delete(file.id)
                raise
        store.commit(spreadsheet)
        return respond(render.spreadsheet_resource(spreadsheet))


def _initial_sheets(spreadsheet: Spreadsheet, given: list[dict[str, Any]]) -> None:
    store = control().store
    spreadsheet.sheets = []
    for i, item in enumerate(given):
        props = dict(item.get("properties") or {})
        taken = {s.id for s in spreadsheet.sheets}
        sheet_id = props.pop("sheetId", None)
        sheet_id = (0 if i == 0 else store.new_number(taken)) if sheet_id is None else int(sheet_id)
        title = props.pop("title", None) or f"Sheet{i + 1}"
        grid = props.pop("gridProperties", {}) or {}
        props.pop("index", None)
        props.pop("sheetType", None)
        rows, cols = int(grid.get("rowCount") or 1000), int(grid.get("columnCount") or 26)
        check_cells(spreadsheet.cell_count(), rows * cols, store.limits)
        sheet = new_sheet(sheet_id, title, i, rows, cols, gridProperties=grid, **props)
        spreadsheet.sheets.append(sheet)
        for data in item.get("data") or []:
            top, left = int(data.get("startRow", 0)), int(data.get("startColumn", 0))
            for r, row in enumerate(data.get("rowData") or []):
                stored = [
                    cells.from_extended((v or {}).get("userEnteredValue")) for v in (row or {}).get("values") or []
                ]
                sheet.grid.write_row(top + r, left, stored, skip=object())


@blueprint.get("/v4/spreadsheets/<spreadsheet_id>")
def get(spreadsheet_id: str) -> Response:
    store = control().store
    mask = _mask()
    with_data = fields.mentions(mask, "sheets", "data") if mask is not None else flag("includeGridData")
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id)
        only: set[int] | None = None
        blocks: dict[int, list[Bounds]] = {}
        texts = request.args.getlist("ranges")
        if texts:
            only = set()
            for text in texts:
                sheet, parsed = spreadsheet.resolve(text)
                only.add(sheet.id)
                blocks.setdefault(sheet.id, []).append(spreadsheet.bounds(sheet, parsed))
        else:
            blocks = {s.id: [(0, s.row_count, 0, s.col_count)] for s in spreadsheet.sheets}
        resource = render.spreadsheet_resource(spreadsheet, blocks if with_data else None, only)
        return respond(fields.select(resource, mask) if mask is not None else resource)


@blueprint.post("/v4/spreadsheets/<spreadsheet_id>:batchUpdate")
def batch_update(spreadsheet_id: str) -> Response:
    store = control().store
    payload = body()
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id).clone()
        replies = batch.apply(spreadsheet, payload.get("requests"), store, user())
        store.commit(spreadsheet)
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id, "replies": replies}
        if payload.get("includeSpreadsheetInResponse"):
            blocks = None
            if payload.get("responseIncludeGridData"):
                blocks = {s.id: [(0, s.row_count, 0, s.col_count)] for s in spreadsheet.sheets}
            out["updatedSpreadsheet"] = render.spreadsheet_resource(spreadsheet, blocks)
        return respond(out)

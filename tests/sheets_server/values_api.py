"""HTTP routes of spreadsheets.values: get, batchGet, update, batchUpdate, append, clear, batchClear."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from . import values
from .a1 import parse_cells
from .errors import ApiError
from .params import body, choice, control, flag, path_range, respond, value_input

blueprint = Blueprint("values", __name__)

DIMENSIONS = ("ROWS", "COLUMNS")
RENDERS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATETIME_RENDERS = ("SERIAL_NUMBER", "FORMATTED_STRING")


def _read_options(prefix: str = "") -> tuple[str, str]:
    def name(base: str) -> str:
        return prefix + base[0].upper() + base[1:] if prefix else base

    render = choice(name("valueRenderOption"), RENDERS, "FORMATTED_VALUE", "ValueRenderOption")
    datetime_render = choice(name("dateTimeRenderOption"), DATETIME_RENDERS, "SERIAL_NUMBER", "DateTimeRenderOption")
    return render, datetime_render


@blueprint.route("/v4/spreadsheets/<spreadsheet_id>/values/<path:_range>", methods=["GET", "PUT", "POST"])
def single_range(spreadsheet_id: str, _range: str) -> Response:
    text, action = path_range()
    if request.method == "GET" and action is None:
        return _get(spreadsheet_id, text)
    if request.method == "PUT" and action is None:
        return _update(spreadsheet_id, text)
    if request.method == "POST" and action == "append":
        return _append(spreadsheet_id, text)
    if request.method == "POST" and action == "clear":
        return _clear(spreadsheet_id, text)
    raise ApiError(404, "Method not found.")


def _get(spreadsheet_id: str, text: str) -> Response:
    store = control().store
    major = choice("majorDimension", DIMENSIONS, "ROWS", "Dimension")
    render, datetime_render = _read_options()
    with store.lock:
        return respond(values.read(store.spreadsheet(spreadsheet_id), text, major, render, datetime_render))


def _update(spreadsheet_id: str, text: str) -> Response:
    store = control().store
    user_entered = value_input(request.args.get("valueInputOption"))
    payload = body()
    major = choice("majorDimension", DIMENSIONS, "ROWS", "Dimension", payload.get("majorDimension"))
    matrix = values.prepare(payload.get("values"), major, user_entered, "data.values", store.limits)
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id)
        sheet, result = values.write(spreadsheet, text, matrix)
        store.touch(spreadsheet_id)
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id, **result}
        if flag("includeValuesInResponse"):
            render, datetime_render = _read_options("response")
            out["updatedData"] = values.updated_data(sheet, result["updatedRange"], render, datetime_render)
        return respond(out)


def _append(spreadsheet_id: str, text: str) -> Response:
    store = control().store
    user_entered = value_input(request.args.get("valueInputOption"))
    insert = choice("insertDataOption", ("OVERWRITE", "INSERT_ROWS"), "OVERWRITE", "InsertDataOption")
    payload = body()
    major = choice("majorDimension", DIMENSIONS, "ROWS", "Dimension", payload.get("majorDimension"))
    matrix = values.prepare(payload.get("values"), major, user_entered, "data.values", store.limits)
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id)
        sheet, table_range, result = values.append(spreadsheet, text, matrix, insert == "INSERT_ROWS", store.limits)
        store.touch(spreadsheet_id)
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
        if table_range:
            out["tableRange"] = table_range
        updates: dict[str, Any] = {"spreadsheetId": spreadsheet_id, **result}
        if flag("includeValuesInResponse") and "updatedRange" in result:
            render, datetime_render = _read_options("response")
            updates["updatedData"] = values.updated_data(sheet, result["updatedRange"], render, datetime_render)
        out["updates"] = updates
        return respond(out)


def _clear(spreadsheet_id: str, text: str) -> Response:
    store = control().store
    with store.lock:
        cleared = values.clear(store.spreadsheet(spreadsheet_id), text)
        store.touch(spreadsheet_id)
        return respond({"spreadsheetId": spreadsheet_id, "clearedRange": cleared})


@blueprint.get("/v4/spreadsheets/<spreadsheet_id>/values:batchGet")
def batch_get(spreadsheet_id: str) -> Response:
    store = control().store
    major = choice("majorDimension", DIMENSIONS, "ROWS", "Dimension")
    render, datetime_render = _read_options()
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id)
        ranges = [
            values.read(spreadsheet, text, major, render, datetime_render) for text in request.args.getlist("ranges")
        ]
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
        if ranges:
            out["valueRanges"] = ranges
        return respond(out)


@blueprint.post("/v4/spreadsheets/<spreadsheet_id>/values:batchUpdate")
def batch_update(spreadsheet_id: str) -> Response:
    store = control().store
    payload = body()
    user_entered = value_input(payload.get("valueInputOption"))
    data = payload.get("data") or []
    prepared = []
    for i, item in enumerate(data):
        major = choice("majorDimension", DIMENSIONS, "ROWS", "Dimension", item.get("majorDimension"))
        matrix = values.prepare(item.get("values"), major, user_entered, f"data[{i}].values", store.limits)
        prepared.append((item.get("range", ""), matrix))
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id).clone()
        responses, rows, cols, sheets, total = [], set(), set(), set(), 0
        for text, matrix in prepared:
            sheet, result = values.write(spreadsheet, text, matrix)
            response = {"spreadsheetId": spreadsheet_id, **result}
            if flag("includeValuesInResponse", payload.get("includeValuesInResponse")):
                render = payload.get("responseValueRenderOption") or "FORMATTED_VALUE"
                datetime_render = payload.get("responseDateTimeRenderOption") or "SERIAL_NUMBER"
                response["updatedData"] = values.updated_data(sheet, result["updatedRange"], render, datetime_render)
            responses.append(response)
            if result.get("updatedCells"):
                top, left = _anchor(result["updatedRange"])
                for r, row in enumerate(matrix):
                    for c, value in enumerate(row):
                        if value is not values.SKIP:
                            rows.add((sheet.id, top + r))
                            cols.add((sheet.id, left + c))
                sheets.add(sheet.id)
                total += result["updatedCells"]
        store.commit(spreadsheet)
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
        if total:
            out.update(
                totalUpdatedRows=len(rows),
                totalUpdatedColumns=len(cols),
                totalUpdatedCells=total,
                totalUpdatedSheets=len(sheets),
            )
        if responses:
            out["responses"] = responses
        return respond(out)


def _anchor(updated_range: str) -> tuple[int, int]:
    start_row, _end_row, start_col, _end_col = parse_cells(updated_range.rsplit("!", 1)[1])
    return start_row, start_col


@blueprint.post("/v4/spreadsheets/<spreadsheet_id>/values:batchClear")
def batch_clear(spreadsheet_id: str) -> Response:
    store = control().store
    ranges = body().get("ranges") or []
    with store.lock:
        spreadsheet = store.spreadsheet(spreadsheet_id).clone()
        cleared = [values.clear(spreadsheet, text) for text in ranges]
        store.commit(spreadsheet)
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id}
        if cleared:
            out["clearedRanges"] = cleared
        return respond(out)

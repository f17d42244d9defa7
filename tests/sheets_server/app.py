"""The Flask app: authentication, injected faults and delay, quota, then the routes; errors as Google words them."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from . import control as control_module
from . import drive_api, spreadsheets_api, values_api
from .control import Control
from .errors import ApiError, injected, unauthenticated
from .params import respond

_SHEETS_SERVICE = "sheets.googleapis.com"
_DRIVE_SERVICE = "drive.googleapis.com"
_READ_POSTS = (":batchGetByDataFilter", ":getByDataFilter", "developerMetadata:search")


def kind_of(method: str, path: str) -> str:
    """read, write or drive: the Sheets API counts GETs as reads, everything else as writes."""
    if path.startswith(("/drive/", "/upload/drive/")):
        return "drive"
    if method in ("GET", "HEAD") or path.endswith(_READ_POSTS):
        return "read"
    return "write"


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


def create_app(control: Control | None = None) -> Flask:
    """The server; pass a :class:`Control` to share it with the test that drives the server."""
    app = Flask(__name__)
    app.extensions["sheets_server"] = control or Control()
    for blueprint in (control_module.blueprint, spreadsheets_api.blueprint, values_api.blueprint, drive_api.blueprint):
        app.register_blueprint(blueprint)

    @app.before_request
    def gate() -> None:
        g.started = time.monotonic()
        g.kind = None
        if request.path.startswith("/_control"):
            return
        state: Control = app.extensions["sheets_server"]
        g.kind = kind_of(request.method, request.path)
        token = _bearer_token()
        if token is None:
            drive = g.kind == "drive"
            method = "google.apps.drive.v3.DriveFiles" if drive else "google.apps.sheets.v4.SpreadsheetsService"
            raise unauthenticated(_DRIVE_SERVICE if drive else _SHEETS_SERVICE, method, drive)
        g.user = token
        if state.delay:
            time.sleep(state.pause())
        status = state.take_fault(g.kind)
        if status is not None:
            limit = getattr(state.limits, f"{'read' if g.kind == 'read' else 'write'}_per_minute_per_user")
            raise injected(status, g.kind, state.limits.project_number, limit)
        state.quota.admit(token, g.kind)

    @app.errorhandler(ApiError)
    def api_error(err: ApiError) -> Response:
        if g.get("kind") == "drive" and not err.drive:
            err = err.for_drive()
        return respond(err.body(), err.code, err.headers)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        code = err.code or 500
        message = "Method not found." if code in (404, 405) else err.description
        return respond(ApiError(404 if code == 405 else code, message).body(), 404 if code == 405 else code)

    @app.after_request
    def record(response: Response) -> Response:
        if g.get("kind"):
            state: Control = app.extensions["sheets_server"]
            entry: dict[str, Any] = {
                "method": request.method,
                "path": request.path,
                "kind": g.kind,
                "user": g.get("user"),
                "status": response.status_code,
                "minute": state.clock.minute(),
                "seconds": round(time.monotonic() - g.started, 4),
            }
            state.record(entry)
        return response

    return app

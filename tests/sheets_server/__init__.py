"""A Google Sheets API v4 (and the Drive v3 calls gspread makes) test server: Flask, in memory, thread-safe.

The real, unchanged gspread talks to it over real HTTP on loopback (see ``tests/support/sheets_client.py``)::

    with running_server() as server:
        gc = sheets_client.client(server.url)
        sh = gc.create("Uji")
        server.control.fail_next(2, status=503)     # the next two API requests fail
        server.control.advance_clock(60)            # a new quota minute
        server.control.stats()["max_per_minute_per_user"]["write"]

Or standalone: ``python -m tests.sheets_server --port 8090`` (``SHEETS_PORT`` overrides the default port), driven
over HTTP through ``/_control`` (see :mod:`tests.sheets_server.control`).

What it enforces, as Google does: per-minute read and write quotas per user (the bearer token) and per project
(a batch request counts once), 10,000,000 cells per spreadsheet, 50,000 characters per cell, "Unable to parse range",
"exceeds grid limits", 404 for unknown spreadsheets, 401 without a bearer token; atomic batchUpdate.

Simplifications: formulas are stored, never evaluated (FORMATTED_VALUE and UNFORMATTED_VALUE return the formula
text, FORMULA too); USER_ENTERED parses numbers, TRUE/FALSE, percentages, ISO and M/D/YYYY dates and a leading
apostrophe, nothing else; number formats are not applied (numbers render like the "Automatic" format); formats,
borders, validation rules and protection are stored and returned, never enforced; any token sees every file;
values.append finds its table by growing a rectangle from the last value of the given range (Google's exact rule is
undocumented; this one reproduces every recorded exchange).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import create_app
from .control import Control
from .limits import Clock, Limits

__all__ = ["Clock", "Control", "Limits", "SheetsServer", "create_app", "running_server"]


@dataclass
class SheetsServer:
    """A server running on a background thread: its base URL, its control object and its Flask app."""

    url: str
    control: Control
    app: Flask
    _server: BaseWSGIServer

    @property
    def port(self) -> int:
        return int(self._server.server_port)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def running_server(
    control: Control | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    limits: Limits | None = None,
    clock: Clock | Callable[[], float] | None = None,
    quiet: bool = True,
) -> Iterator[SheetsServer]:
    """Serve on a free loopback port (or ``port``) on a daemon thread; stop and join on exit.

    ``quiet`` leaves out werkzeug's line per request (the control's ``log`` keeps them).
    """
    control = control or Control(limits=limits, clock=clock)
    app = create_app(control)
    handler = _QuietHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="sheets-server", daemon=True)
    thread.start()
    try:
        yield SheetsServer(f"http://{host}:{server.server_port}", control, app, server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def pytest_fixture(scope: str = "function", **options: Any) -> Any:
    """A pytest fixture yielding a running :class:`SheetsServer`: ``sheets_server = pytest_fixture()`` in a test
    module. With a wider scope, call ``server.control.reset()`` where a test needs a clean server.
    """
    import pytest

    @pytest.fixture(scope=scope)  # type: ignore[call-overload]
    def sheets_server() -> Iterator[SheetsServer]:
        with running_server(**options) as server:
            yield server

    return sheets_server

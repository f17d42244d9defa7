"""A real, unchanged gspread client whose requests go to a Sheets API test server instead of Google.

gspread builds its URLs from ``gspread.urls`` (``https://sheets.googleapis.com/...``,
``https://www.googleapis.com/drive/...``). Nothing of gspread is patched: the requests session it is given carries a
transport adapter, mounted on those two origins, that swaps scheme and host for the test server's while keeping the
path and query, so every call still crosses real HTTP on loopback. The adapter is production code
(``functions.store.google_http``): ``KINERJA_SHEETS_API_URL`` points the Google Sheets store at a test server the
same way.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

import gspread
import requests
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.credentials import Credentials
from gspread.http_client import HTTPClient

from functions.store.google_http import GOOGLE_ORIGINS, TEST_TOKEN, LoopbackAdapter
from functions.store.gsheets import GSheetsStore
from tests.sheets_server import SheetsServer, running_server

__all__ = ["GOOGLE_ORIGINS", "TEST_TOKEN", "LoopbackAdapter", "ServedStore", "client", "served_store", "session"]


def session(base_url: str, token: str | None = TEST_TOKEN) -> requests.Session:
    """A requests session for gspread: bearer ``token`` (none when None), Google origins sent to ``base_url``."""
    http: requests.Session = AuthorizedSession(Credentials(token)) if token else requests.Session()
    http.trust_env = False  # no proxy from the environment between us and loopback
    adapter = LoopbackAdapter(base_url)
    for origin in GOOGLE_ORIGINS:
        http.mount(origin, adapter)
    return http


def client(base_url: str, token: str | None = TEST_TOKEN, http_client: type[HTTPClient] = HTTPClient) -> gspread.Client:
    """A gspread client against the test server at ``base_url`` (e.g. ``http://127.0.0.1:8090``).

    ``http_client`` is gspread's HTTP client class, e.g. ``gspread.BackOffHTTPClient`` for its retrying variant.
    """
    credentials = Credentials(token) if token else None
    return gspread.Client(auth=credentials, session=session(base_url, token), http_client=http_client)  # type: ignore[arg-type]


def new_admin(base_url: str, title: str = "Pantau Kinerja — Admin") -> str:
    """A fresh, empty admin spreadsheet on the test server (what an operator makes before ``init``)."""
    return client(base_url).create(title).id


class ServedStore(GSheetsStore):
    """A Google Sheets store on its own test server, which stops when the store is closed."""

    def __init__(self, stack: ExitStack, server: SheetsServer, **options: Any) -> None:
        self.server = server
        self._stack = stack
        options.setdefault("deadline", 5.0)
        super().__init__(new_admin(server.url), api_url=server.url, **options)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._stack.close()


def served_store(**options: Any) -> ServedStore:
    """Start a Sheets API test server and open a Google Sheets store on a fresh layout there."""
    stack = ExitStack()
    server = stack.enter_context(running_server())
    try:
        return ServedStore(stack, server, **options)
    except BaseException:
        stack.close()
        raise

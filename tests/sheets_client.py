"""A real, unchanged gspread client whose requests go to a Sheets API test server instead of Google.

gspread builds its URLs from ``gspread.urls`` (``https://sheets.googleapis.com/...``,
``https://www.googleapis.com/drive/...``). Nothing of gspread is patched: the requests session it is given carries a
transport adapter, mounted on those two origins, that swaps scheme and host for the test server's while keeping the
path and query, so every call still crosses real HTTP on loopback.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import gspread
import requests
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.credentials import Credentials
from gspread.http_client import HTTPClient
from requests.adapters import HTTPAdapter

GOOGLE_ORIGINS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")
TEST_TOKEN = "test"  # any bearer token is accepted; the token is the "user" of the per-user quotas


class LoopbackAdapter(HTTPAdapter):
    """Sends a request meant for a Google origin to ``base_url`` (same path and query)."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        target = urlsplit(base_url)
        self.scheme, self.netloc = target.scheme, target.netloc

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        request.url = urlunsplit((self.scheme, self.netloc, parts.path, parts.query, parts.fragment))
        return super().send(request, *args, **kwargs)


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

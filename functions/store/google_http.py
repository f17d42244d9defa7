"""Talking to Google: credentials, the HTTP session, and when to retry.

Credentials, in this order:

* a Sheets API test server on loopback (``api_url``, ``KINERJA_SHEETS_API_URL``): a static bearer token;
* a service-account JSON file (``credentials_file``, ``KINERJA_GOOGLE_CREDENTIALS``): the local home;
* otherwise Application Default Credentials (``google.auth.default``): the runtime service account on Cloud
  Functions.

With ``api_url`` the session mounts :class:`LoopbackAdapter` on Google's origins: every request keeps its path and
query and goes to that base URL instead, so an unchanged client (gspread) talks to ``tests/sheets_server``.

Retries (:class:`RetryPolicy`): 408, 429, 500, 502, 503, 504 and connection errors, with capped exponential
backoff and full jitter, until a total deadline; then :class:`~functions.errors.StoreUnavailable`. Other answers
are not retried: :class:`SheetsApiError` keeps Google's code and message. A write that is not safe to repeat
(values.append, a structural batchUpdate) is not repeated after an answer that leaves its fate unknown (5xx, a
lost connection): :class:`AmbiguousWrite` tells the caller to read again and decide.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from functions.errors import ConfigurationError, KinerjaError, StoreUnavailable

log = logging.getLogger(__name__)

SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
GOOGLE_ORIGINS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")
TEST_TOKEN = "test"  # noqa: S105 - what a loopback test server accepts; the token is the "user" of its per-user quotas
RETRIED = frozenset({408, 429, 500, 502, 503, 504})
NOT_APPLIED = frozenset({408, 429})  # refused before any work: safe to repeat even for a write
PLANS = 3  # how often a write that got an unclear answer is planned again from a fresh read


class SheetsApiError(KinerjaError):
    """Google refused a request in a way that retrying will not fix (a 4xx other than 408 and 429)."""

    status = 502

    def __init__(self, code: int, google_message: str, google_status: str = "") -> None:
        hint = {
            401: "Kredensial Google ditolak; periksa KINERJA_GOOGLE_CREDENTIALS atau akun layanan fungsi.",
            403: "Akun layanan tidak punya akses; bagikan spreadsheet ke akun layanan sebagai Editor.",
            404: "Spreadsheet tidak ditemukan; periksa KINERJA_SHEETS_ADMIN_ID lalu jalankan `python -m functions "
            "init`.",
        }.get(code, "Google Sheets menolak permintaan.")
        super().__init__(f"{hint} (Google {code} {google_status}: {google_message})".replace("  ", " "))
        self.code = code
        self.google_message = google_message
        self.google_status = google_status


class AmbiguousWrite(StoreUnavailable):
    """A write that must not be repeated blindly got no clear answer: it may or may not have been applied."""


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


def is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in ("127.0.0.1", "localhost", "::1")


def load_credentials(
    credentials_file: str | Path | None = None, api_url: str | None = None, scopes: tuple[str, ...] = SCOPES
) -> Any:
    """Google credentials for ``scopes``, the Sheets and Drive ones by default (see the module docstring for the
    order)."""
    if api_url and is_loopback(api_url):
        from google.oauth2.credentials import Credentials

        return Credentials(TEST_TOKEN)
    if credentials_file:
        from google.oauth2 import service_account

        path = Path(credentials_file)
        if not path.is_file():
            raise ConfigurationError(
                f"KINERJA_GOOGLE_CREDENTIALS: berkas {path} tidak ada; unduh kunci JSON akun layanan dari Google "
                "Cloud Console, atau kosongkan agar memakai Application Default Credentials."
            )
        return service_account.Credentials.from_service_account_file(str(path), scopes=list(scopes))
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    try:
        credentials, _project = google.auth.default(scopes=list(scopes))
    except DefaultCredentialsError as err:
        raise ConfigurationError(
            "Kredensial Google tidak ditemukan: setel KINERJA_GOOGLE_CREDENTIALS ke berkas JSON akun layanan, atau "
            "jalankan di Cloud Functions dengan akun layanan runtime."
        ) from err
    return credentials


def authorized_session(credentials: Any, api_url: str | None = None) -> requests.Session:
    """A requests session that signs every request; with ``api_url`` Google's origins are redirected there."""
    from google.auth.transport.requests import AuthorizedSession

    session: requests.Session = AuthorizedSession(credentials)
    if api_url:
        if is_loopback(api_url):
            session.trust_env = False  # no proxy from the environment between us and loopback
        adapter = LoopbackAdapter(api_url)
        for origin in GOOGLE_ORIGINS:
            session.mount(origin, adapter)
    return session


def _google_error(response: requests.Response) -> tuple[str, str]:
    try:
        error = response.json()["error"]
        return str(error.get("message", "")), str(error.get("status", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.text[:500], ""


@dataclass
class RetryPolicy:
    """Capped exponential backoff with full jitter and a total deadline, for one request.

    ``sleep``, ``clock`` and ``rng`` are injectable so tests need not wait.
    """

    deadline: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random = field(default_factory=random.Random)

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2^attempt)]."""
        return self.rng.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))

    def send(self, call: Callable[[float], requests.Response], *, safe: bool, what: str) -> requests.Response:
        """Run ``call(timeout)`` until it answers 2xx, retrying what is worth retrying within the deadline.

        ``safe`` says the request may be repeated even when an earlier attempt might have been applied.
        """
        started = self.clock()
        attempt = 0
        while True:
            remaining = self.deadline - (self.clock() - started)
            code: int | None = None
            try:
                response = call(max(remaining, 1.0))
            except (requests.ConnectionError, requests.Timeout) as err:
                google_message = f"{type(err).__name__}: {err}"
                if not safe and not isinstance(err, requests.ConnectTimeout):
                    raise AmbiguousWrite(
                        _unavailable(what, None, google_message), google_message=google_message
                    ) from err
            else:
                if response.ok:
                    return response
                code = response.status_code
                google_message, google_status = _google_error(response)
                if code not in RETRIED:
                    raise SheetsApiError(code, google_message, google_status)
                if not safe and code not in NOT_APPLIED:
                    raise AmbiguousWrite(
                        _unavailable(what, code, google_message), code=code, google_message=google_message
                    )
            delay = self.backoff(attempt)
            attempt += 1
            if self.clock() - started + delay > self.deadline:
                log.warning("%s: giving up after %d attempts (last: %s %s)", what, attempt, code, google_message)
                raise StoreUnavailable(
                    _unavailable(what, code, google_message), code=code, google_message=google_message
                )
            log.info("%s: attempt %d answered %s; retrying in %.2f s", what, attempt, code, delay)
            self.sleep(delay)


def _unavailable(what: str, code: int | None, google_message: str) -> str:
    answer = f"{code} {google_message}" if code else google_message
    return f"Google Sheets sedang tidak dapat dipakai ({what}: {answer}); coba lagi beberapa saat lagi."

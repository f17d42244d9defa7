"""The few Firestore REST (v1) calls the spool makes, through a google-auth session; and Firestore's JSON values.

Only this module talks HTTP to Firestore, and the session is passed in (``AuthorizedSession`` in production, a plain
session to ``tests/support/firestore_fake.py`` in tests). 429, 5xx, 409 ABORTED (contention) and network errors are
retried with capped, jittered backoff until ``deadline`` seconds; then ``StoreUnavailable`` (503). 401/403 is a
``ConfigurationError`` saying what to grant; any other answer a ``FirestoreError`` with Firestore's status and
message (409 ALREADY_EXISTS, 404 NOT_FOUND, 400 FAILED_PRECONDITION are how preconditions fail).
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from functions.errors import ConfigurationError, StoreUnavailable

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

API = "https://firestore.googleapis.com/v1"
SCOPES = ("https://www.googleapis.com/auth/datastore",)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
UNAVAILABLE = "Penyimpanan antrean kiriman sedang tidak dapat dihubungi. Kirim ulang beberapa saat lagi."


class FirestoreError(Exception):
    """An answer of the Firestore API that is not retried: its HTTP status, gRPC status name and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"Firestore {status} {code}: {message}")
        self.status, self.code = status, code


class Firestore:
    """One database: ``projects/<project>/databases/<database>/documents`` at ``base_url``."""

    def __init__(
        self,
        project: str,
        session: requests.Session,
        *,
        database: str = "(default)",
        base_url: str = API,
        deadline: float = 20.0,
        timeout: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.documents = f"projects/{project}/databases/{database}/documents"
        self.url = f"{base_url.rstrip('/')}/{self.documents}"
        self.deadline, self.timeout, self.sleep = deadline, timeout, sleep

    def close(self) -> None:
        self.session.close()

    def commit(self, writes: list[dict[str, Any]], failing: tuple[str, ...] = ()) -> bool:
        """One atomic commit; False when it was refused with a status in ``failing`` (a precondition)."""
        try:
            self.call("POST", ":commit", {"writes": writes})
        except FirestoreError as err:
            if err.code not in failing:
                raise
            return False
        return True

    def get(self, path: str) -> dict[str, Any] | None:
        """A document by its path under ``documents``; None when there is none."""
        try:
            return dict(self.call("GET", f"/{path}", None))
        except FirestoreError as err:
            if err.code == "NOT_FOUND":
                return None
            raise

    def batch_get(self, names: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The fields of the documents that exist, by full name."""
        answer = self.call("POST", ":batchGet", {"documents": list(names)})
        return {item["found"]["name"]: decode(item["found"]) for item in answer if "found" in item}

    def query(self, structured: dict[str, Any]) -> list[dict[str, Any]]:
        """``runQuery``: each document's fields, with its full ``name``."""
        answer = self.call("POST", ":runQuery", {"structuredQuery": structured})
        docs = [item["document"] for item in answer if "document" in item]
        return [{"name": d["name"], **decode(d)} for d in docs]

    def call(self, method: str, suffix: str, body: dict[str, Any] | None) -> Any:
        """One API call, retried on 429, 5xx, ABORTED and network errors until the deadline."""
        import requests

        give_up = time.monotonic() + self.deadline
        for attempt in itertools.count():
            try:
                answer = self.session.request(method, self.url + suffix, json=body, timeout=self.timeout)
            except requests.RequestException as err:
                reason = type(err).__name__
            else:
                if answer.status_code == 200:
                    return answer.json()
                error = _error(answer)
                if answer.status_code in (401, 403):
                    raise ConfigurationError(
                        "The spool's Firestore refused the service account: give it roles/datastore.user in "
                        f"the project and create the Firestore database in Native mode ({error})."
                    ) from error
                if answer.status_code not in RETRY_STATUSES and error.code != "ABORTED":
                    raise error
                reason = f"{answer.status_code} {error.code}"
            pause = min(8.0, 0.2 * 2**attempt) * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret
            if time.monotonic() + pause > give_up:
                log.warning("Firestore unavailable after %d attempts: %s", attempt + 1, reason)
                raise StoreUnavailable(UNAVAILABLE)
            self.sleep(pause)
        raise AssertionError("unreachable")


def authorized_session() -> requests.Session:
    """A session signed with the runtime's service account (``google.auth.default``)."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError
    from google.auth.transport.requests import AuthorizedSession

    try:
        credentials, _ = google.auth.default(scopes=list(SCOPES))
    except DefaultCredentialsError as err:
        raise ConfigurationError(
            "Kredensial Google untuk antrean Firestore tidak ditemukan: jalankan di Cloud Functions dengan akun "
            "layanan runtime, atau setel GOOGLE_APPLICATION_CREDENTIALS ke berkas JSON akun layanan."
        ) from err
    session: requests.Session = AuthorizedSession(credentials)
    return session


# -- Firestore's JSON ----------------------------------------------------------------------------------------------


class Time(float):
    """A POSIX time to send as a timestampValue."""


def value(python: Any) -> dict[str, Any]:
    if isinstance(python, list):
        return {"arrayValue": {"values": [value(v) for v in python]}}
    if python is None:
        return {"nullValue": None}
    if isinstance(python, Time):
        return {"timestampValue": datetime.fromtimestamp(python, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    if isinstance(python, bool):
        return {"booleanValue": python}
    if isinstance(python, int):
        return {"integerValue": str(python)}
    if isinstance(python, float):
        return {"doubleValue": python}
    return {"stringValue": str(python)}


def plain(field: Mapping[str, Any]) -> Any:
    """A field's value: integers as int, timestamps as their text, null as None."""
    if "integerValue" in field:
        return int(field["integerValue"])
    kind = next((k for k in field if k.endswith("Value") and k != "nullValue"), None)
    return field[kind] if kind else None


def posix_time(stamp: Any) -> float:
    """A timestamp's text as POSIX time (0 when absent)."""
    if not isinstance(stamp, str):
        return 0.0
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def document(name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": name, "fields": {k: value(v) for k, v in fields.items()}}


def decode(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in doc.get("fields", {}).items()}


def update(name: str, fields: Mapping[str, Any], mask: list[str]) -> dict[str, Any]:
    """A write changing the masked fields of an existing document; masked fields absent from ``fields`` go."""
    return {"update": document(name, fields), "updateMask": {"fieldPaths": mask}, "currentDocument": {"exists": True}}


def field_filter(field: str, op: str, wanted: Any) -> dict[str, Any]:
    return {"fieldFilter": {"field": {"fieldPath": field}, "op": op, "value": value(wanted)}}


def _error(answer: requests.Response) -> FirestoreError:
    try:
        body = answer.json()
        error = (body[0] if isinstance(body, list) else body)["error"]
        return FirestoreError(answer.status_code, str(error.get("status", "")), str(error.get("message", "")))
    except (ValueError, KeyError, IndexError, TypeError):
        return FirestoreError(answer.status_code, "", answer.text[:200])

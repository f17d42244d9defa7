"""The contract of the Sheets API test server: it answers gspread's recorded exchanges with Google as Google did.

Every interaction of every recording (real exchanges of gspread with the Sheets and Drive APIs, MIT licence, see
``tests/sheets_server/recordings/LICENSE.txt``) is replayed in order over HTTP. Identifiers differ between Google
and the server, so the ids Google returned are mapped to the ones the server returned and substituted into later
requests. Each answer must have the recorded status and the recorded body shape: the same keys at every level, the
same JSON types, lists of the same length, and the same values except identifiers, timestamps, URLs and the
e-mail addresses of editors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.sheets_server import SheetsServer, pytest_fixture

RECORDINGS = Path(__file__).resolve().parents[1] / "sheets_server" / "recordings"
ORIGINS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
# Values that differ between Google and the server by nature; their type and presence still count.
UNCOMPARED = {"id", "spreadsheetId", "sheetId", "protectedRangeId", "createdTime", "modifiedTime", "spreadsheetUrl"}
UNCOMPARED_LISTS = {"users"}  # editors' e-mail addresses: the requesting account differs

sheets_server = pytest_fixture()


class IdMap:
    """Identifiers seen in recorded answers, mapped to the ones the server gave in the same place."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.sheets: dict[int, int] = {}

    def learn(self, key: str, recorded: Any, actual: Any) -> None:
        if key in ("id", "spreadsheetId") and isinstance(recorded, str) and isinstance(actual, str):
            self.files.setdefault(recorded, actual)
        if key == "sheetId" and isinstance(recorded, int) and isinstance(actual, int):
            self.sheets.setdefault(recorded, actual)

    def uri(self, uri: str, base_url: str) -> str:
        for origin in ORIGINS:
            if uri.startswith(origin):
                uri = base_url + uri[len(origin) :]
        for recorded, actual in self.files.items():
            uri = uri.replace(recorded, actual)
        return uri

    def body(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.body(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v, key) for v in value]
        if key == "sheetId" and isinstance(value, int):
            return self.sheets.get(value, value)
        if isinstance(value, str):
            return self.files.get(value, value)
        return value


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def compare(recorded: Any, actual: Any, ids: IdMap, path: str = "$", key: str = "") -> list[str]:
    """Differences in shape (keys, types, list lengths) and in values outside ``UNCOMPARED``."""
    if kind(recorded) != kind(actual):
        return [f"{path}: {kind(recorded)} recorded, {kind(actual)} answered ({actual!r})"]
    if isinstance(recorded, dict):
        problems = []
        if set(recorded) != set(actual):
            missing, extra = sorted(set(recorded) - set(actual)), sorted(set(actual) - set(recorded))
            problems.append(f"{path}: keys missing {missing}, unexpected {extra}")
        for k in recorded.keys() & actual.keys():
            problems += compare(recorded[k], actual[k], ids, f"{path}.{k}", k)
        return problems
    if isinstance(recorded, list):
        if len(recorded) != len(actual):
            return [f"{path}: {len(recorded)} items recorded, {len(actual)} answered"]
        if key in UNCOMPARED_LISTS:
            return [
                f"{path}[{i}]: {kind(r)} vs {kind(a)}"
                for i, (r, a) in enumerate(zip(recorded, actual, strict=True))
                if kind(r) != kind(a)
            ]
        return [
            p
            for i, (r, a) in enumerate(zip(recorded, actual, strict=True))
            for p in compare(r, a, ids, f"{path}[{i}]", key)
        ]
    ids.learn(key, recorded, actual)
    if key not in UNCOMPARED and recorded != actual:
        return [f"{path}: {recorded!r} recorded, {actual!r} answered"]
    return []


def interactions(path: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for item in json.loads(path.read_text())["interactions"]:
        yield item["request"], item["response"]


@pytest.mark.parametrize("recording", sorted(RECORDINGS.glob("*.json")), ids=lambda p: p.stem)
def test_server_answers_recorded_exchange_like_google(recording: Path, sheets_server: SheetsServer) -> None:
    ids = IdMap()
    http = requests.Session()
    http.trust_env = False
    for n, (request, response) in enumerate(interactions(recording)):
        data = None
        headers = {"Authorization": "Bearer recorded-user"}
        if request.get("body"):
            data = json.dumps(ids.body(json.loads(request["body"])))
            headers["Content-Type"] = "application/json"
        url = ids.uri(request["uri"], sheets_server.url)
        answer = http.request(request["method"], url, data=data, headers=headers, timeout=30)
        where = f"interaction {n}: {request['method']} {request['uri']}"
        assert answer.status_code == response["status"]["code"], f"{where}\n{answer.text}"
        recorded_text = response["body"]["string"]
        if not recorded_text:
            assert answer.content == b"", where
            continue
        problems = compare(json.loads(recorded_text), answer.json(), ids)
        assert not problems, where + "\n" + "\n".join(problems)
    http.close()


def test_every_recording_is_replayed() -> None:
    assert len(list(RECORDINGS.glob("*.json"))) == 18

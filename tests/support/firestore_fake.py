"""A tiny fake of the Firestore REST API (v1), only the calls ``functions.store.spool_firestore`` makes. For tests.

``documents:commit`` (update with or without ``updateMask``, delete; preconditions ``exists`` and ``updateTime``;
atomic), ``documents:batchGet``, ``documents:runQuery`` (one collection; field filters with ARRAY_CONTAINS, AND,
orderBy, limit, startAt, select) and ``GET`` of one document, with Firestore's error bodies: 409 ALREADY_EXISTS,
404 NOT_FOUND, 400 FAILED_PRECONDITION. A query that real Firestore would only serve with a composite index is
refused as it would be (400 FAILED_PRECONDITION, "The query requires an index"): the spool must run on the
automatic single-field indexes. Faults (``fail_next``; ``lose_next``: done, then answered 503) and a ``delay``
are set on the ``FakeFirestore`` object::

    with running_fake() as fake:
        spool = FirestoreSpool("uji", fake.session(), base_url=fake.url)
        fake.fail_next(2, 503)
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from flask import Flask, Response, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

PREFIX = "/v1/projects/<project>/databases/<database>/documents"
STATUS_CODES = {400: "FAILED_PRECONDITION", 404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED"}
RANGE_OPS = {"LESS_THAN", "LESS_THAN_OR_EQUAL", "GREATER_THAN", "GREATER_THAN_OR_EQUAL", "NOT_EQUAL"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or STATUS_CODES.get(status, "UNAVAILABLE" if status >= 500 else "INVALID_ARGUMENT")


@dataclass
class FakeFirestore:
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    delay: float = 0.0
    url: str = ""
    _faults: list[list[Any]] = field(default_factory=list)  # [remaining, status, code]
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _tick: int = 0
    _lose: int = 0

    def lose_next(self, count: int = 1) -> None:
        """Do the next ``count`` requests, then answer 503 as if the answer was lost on the way back."""
        with self._lock:
            self._lose += count

    def fail_next(self, count: int = 1, status: int = 503, code: str | None = None) -> None:
        """Answer the next ``count`` API requests with ``status`` (``code``: the gRPC status name)."""
        with self._lock:
            self._faults.append([count, status, code])

    def session(self) -> requests.Session:
        http = requests.Session()
        http.trust_env = False
        return http

    def _stamp(self) -> str:
        self._tick += 1
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(microseconds=self._tick)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def _fault(self) -> ApiError | None:
        with self._lock:
            for fault in self._faults:
                if fault[0] > 0:
                    fault[0] -= 1
                    self._faults = [f for f in self._faults if f[0] > 0]
                    return ApiError(fault[1], "injected fault", fault[2])
        return None

    # -- the API ---------------------------------------------------------------------------------------------------
    def commit(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            changed: dict[str, dict[str, Any] | None] = {}  # applied only when every write passes: atomic
            stamp = self._stamp()
            results = []
            for write in body.get("writes", []):
                name = write.get("update", {}).get("name") or write.get("delete")
                if not name:
                    raise ApiError(400, "write needs update or delete", "INVALID_ARGUMENT")
                old = changed[name] if name in changed else self.docs.get(name)
                _check(old, write.get("currentDocument"), name)
                if "delete" in write:
                    changed[name] = None
                else:
                    given = write["update"].get("fields", {})
                    mask = write.get("updateMask", {}).get("fieldPaths")
                    fields = dict(old["fields"]) if old and mask is not None else {}
                    for path in mask if mask is not None else list(given):
                        if path in given:
                            fields[path] = copy.deepcopy(given[path])
                        else:
                            fields.pop(path, None)
                    created = old["createTime"] if old else stamp
                    changed[name] = {"name": name, "fields": fields, "createTime": created, "updateTime": stamp}
                results.append({"updateTime": stamp})
            for name, doc in changed.items():
                if doc is None:
                    self.docs.pop(name, None)
                else:
                    self.docs[name] = doc
            return {"writeResults": results, "commitTime": stamp}

    def batch_get(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            return [
                {"found": copy.deepcopy(self.docs[n])} if n in self.docs else {"missing": n}
                for n in body.get("documents", [])
            ]

    def get(self, name: str) -> dict[str, Any]:
        with self._lock:
            if name not in self.docs:
                raise ApiError(404, f"Document {name} not found")
            return copy.deepcopy(self.docs[name])

    def run_query(self, parent: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        query = body["structuredQuery"]
        collection = query["from"][0]["collectionId"]
        filters = _flatten(query.get("where"))
        order = [o["field"]["fieldPath"] for o in query.get("orderBy", [])]
        _require_single_field_index(filters, order)
        with self._lock:
            found = [
                copy.deepcopy(d)
                for n, d in self.docs.items()
                if n.rsplit("/", 1)[0] == f"{parent}/{collection}" and all(_passes(d, f) for f in filters)
            ]
        keys = order or [f["field"]["fieldPath"] for f in filters if f["op"] in RANGE_OPS][:1]
        found = [d for d in found if all(k in d["fields"] for k in keys)]
        found.sort(key=lambda d: ([_sortable(d["fields"][k]) for k in keys], d["name"]))
        if "startAt" in query:
            cursor = [_sortable(v) for v in query["startAt"]["values"]]
            before = query["startAt"].get("before", False)
            position = lambda d: [_sortable(d["fields"][k]) for k in keys]  # noqa: E731
            found = [d for d in found if (position(d) >= cursor if before else position(d) > cursor)]
        if "limit" in query:
            found = found[: int(query["limit"])]
        if "select" in query:
            wanted = {f["fieldPath"] for f in query["select"].get("fields", [])}
            for d in found:
                d["fields"] = {k: v for k, v in d["fields"].items() if k in wanted}
        return [{"document": d, "readTime": "2026-01-01T00:00:00Z"} for d in found] or [{"readTime": "x"}]


def _check(doc: dict[str, Any] | None, precondition: dict[str, Any] | None, name: str) -> None:
    if not precondition:
        return
    if "exists" in precondition:
        if precondition["exists"] and doc is None:
            raise ApiError(404, f"No document to update: {name}")
        if not precondition["exists"] and doc is not None:
            raise ApiError(409, f"Document already exists: {name}")
    if "updateTime" in precondition and (doc is None or doc["updateTime"] != precondition["updateTime"]):
        raise ApiError(400, "the stored version does not match the required base version")


def _flatten(where: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not where:
        return []
    if "fieldFilter" in where:
        return [where["fieldFilter"]]
    composite = where["compositeFilter"]
    if composite["op"] != "AND":
        raise ApiError(400, "only AND is supported by this fake", "INVALID_ARGUMENT")
    return [f for sub in composite["filters"] for f in _flatten(sub)]


def _require_single_field_index(filters: list[dict[str, Any]], order: list[str]) -> None:
    ranged = {f["field"]["fieldPath"] for f in filters if f["op"] in RANGE_OPS} | {o for o in order if o != "__name__"}
    equal = {f["field"]["fieldPath"] for f in filters if f["op"] not in RANGE_OPS}
    if len(ranged) > 1 or (ranged and equal):
        raise ApiError(400, "The query requires an index. You can create it here: https://console.firebase.google.com")


def _sortable(value: dict[str, Any]) -> tuple[int, Any]:
    if "nullValue" in value:
        return (0, 0)
    if "booleanValue" in value:
        return (1, value["booleanValue"])
    if "integerValue" in value or "doubleValue" in value:
        return (2, float(value.get("integerValue", value.get("doubleValue"))))
    if "timestampValue" in value:
        return (3, datetime.fromisoformat(value["timestampValue"].replace("Z", "+00:00")))
    if "stringValue" in value:
        return (4, value["stringValue"])
    if "arrayValue" in value:
        return (5, tuple(_sortable(v) for v in value["arrayValue"].get("values", [])))
    raise ApiError(400, f"value type not supported by this fake: {sorted(value)}", "INVALID_ARGUMENT")


def _passes(doc: dict[str, Any], flt: dict[str, Any]) -> bool:
    name = flt["field"]["fieldPath"]
    if name not in doc["fields"]:
        return False
    if flt["op"] == "ARRAY_CONTAINS":
        values = doc["fields"][name].get("arrayValue", {}).get("values", [])
        return any(_sortable(v) == _sortable(flt["value"]) for v in values)
    have, want = _sortable(doc["fields"][name]), _sortable(flt["value"])
    if have[0] != want[0]:
        return flt["op"] == "NOT_EQUAL"
    return {
        "EQUAL": have == want,
        "NOT_EQUAL": have != want,
        "LESS_THAN": have < want,
        "LESS_THAN_OR_EQUAL": have <= want,
        "GREATER_THAN": have > want,
        "GREATER_THAN_OR_EQUAL": have >= want,
    }[flt["op"]]


def create_app(fake: FakeFirestore) -> Flask:
    app = Flask(__name__)

    def answer(kind: str, work: Any) -> Response | tuple[Response, int]:
        fake.calls[kind] = fake.calls.get(kind, 0) + 1
        if fake.delay:
            time.sleep(fake.delay)
        if not request.headers.get("Content-Type", "").startswith("application/json") and request.method == "POST":
            return jsonify({"error": {"code": 400, "message": "JSON expected", "status": "INVALID_ARGUMENT"}}), 400
        try:
            fault = fake._fault()
            if fault:
                raise fault
            result = work()
            with fake._lock:
                lost, fake._lose = fake._lose > 0, max(0, fake._lose - 1)
            if lost:
                raise ApiError(503, "the answer was lost (injected)")
            return jsonify(result)
        except ApiError as err:
            return jsonify({"error": {"code": err.status, "message": err.message, "status": err.code}}), err.status

    def root(project: str, database: str) -> str:
        return f"projects/{project}/databases/{database}/documents"

    @app.post(PREFIX + ":commit")
    def commit(project: str, database: str) -> Any:
        return answer("commit", lambda: fake.commit(request.get_json()))

    @app.post(PREFIX + ":batchGet")
    def batch_get(project: str, database: str) -> Any:
        return answer("batchGet", lambda: fake.batch_get(request.get_json()))

    @app.post(PREFIX + ":runQuery")
    def run_query(project: str, database: str) -> Any:
        return answer("runQuery", lambda: fake.run_query(root(project, database), request.get_json()))

    @app.get(PREFIX + "/<path:doc>")
    def get(project: str, database: str, doc: str) -> Any:
        return answer("get", lambda: fake.get(f"{root(project, database)}/{doc}"))

    return app


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def running_fake() -> Iterator[FakeFirestore]:
    """The fake on a free loopback port, on a daemon thread; ``fake.url`` is its API base (``.../v1``)."""
    fake = FakeFirestore()
    server = make_server("127.0.0.1", 0, create_app(fake), threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="firestore-fake", daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

"""The spool on Firestore (Native mode), for Cloud Functions: its REST API through a google-auth session.

Why Firestore: the functions' disk is in memory and per instance, so the spool must be a managed service. Firestore
is durable (replicated before a write returns), serves many instances at once, needs no server or connection pool,
and is reached with the runtime service account through ``google.auth.transport.requests.AuthorizedSession`` (the
same google-auth the Sheets store uses), so no client library is added (``functions.store.firestore_rest``). Cloud Tasks
or Pub/Sub could carry the submissions too, but neither can answer "is this submission already here, with what
content?", which idempotent intake needs on every retry, nor list what is pending for the confirmation page.

One document per group in the collection ``kinerja_spool``, its id the entry id (sheet and group value):

* ``put``: one ``documents:commit`` creating every group with the precondition ``exists: false`` (atomic). When a
  group exists Firestore answers 409 ALREADY_EXISTS (409 ABORTED is contention and is retried): the existing
  documents are read (``batchGet``) and compared by digest, then the rest is created. A commit whose answer was
  lost is retried and meets ALREADY_EXISTS with the same digest: a no-op.
* pending groups carry ``queue`` = ``<sheet>/<arrival stamp>``; ``pending`` is a range query ordered by that one
  field, served by the automatic single-field index (no composite index to deploy), and ``tags``
  (``LaporanHarian|nip=1990...``, one per short text cell): a read such as "this employee's reports" fetches only
  the matching groups, with one ``array-contains`` query, not every pending document (each read is billed).
  Flushing removes ``queue``, ``tags`` and ``rows`` and keeps the digest; ``prune`` deletes flushed and rejected
  documents after the keep period (or set a TTL policy on ``expire_at``:
  ``gcloud firestore fields ttls update expire_at --collection-group=kinerja_spool --enable-ttl``).
* the flush lease is the document ``kinerja_spool_lease/flush``, changed only under an ``updateTime`` precondition.

The service account needs the role ``roles/datastore.user``; the database is the project's ``(default)``.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from functions import schema
from functions.errors import ConfigurationError, StoreUnavailable
from functions.schema import Sheet
from functions.store.firestore_rest import (
    UNAVAILABLE,
    Firestore,
    Time,
    authorized_session,
    decode,
    document,
    field_filter,
    posix_time,
    update,
)
from functions.store.protocol import AppendResult, Row
from functions.store.rows import check_filter, select
from functions.store.spool import (
    FLUSHED,
    KEEP_DAYS,
    PENDING,
    REJECTED,
    Group,
    compare,
    decode_rows,
    digest,
    encode_rows,
    entry_id,
    prepare,
)

if TYPE_CHECKING:
    import requests

COLLECTION = "kinerja_spool"
LEASE = "kinerja_spool_lease/flush"
MAX_WRITES = 500  # writes per commit
PAGE = 1000
TAKEN = ("ALREADY_EXISTS", "FAILED_PRECONDITION")  # a create or updateTime precondition failed
GONE = ("NOT_FOUND", "FAILED_PRECONDITION")
TAGGED = frozenset({"string", "nip", "enum", "email", "url", "date", "datetime", "boolean"})  # cells that are text


class FirestoreSpool:
    def __init__(
        self,
        project: str,
        session: requests.Session,
        *,
        database: str = "(default)",
        base_url: str | None = None,
        sheets: Mapping[str, Sheet] | None = None,
        clock: Callable[[], float] = time.time,
        deadline: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not project:
            raise ConfigurationError("KINERJA_FIRESTORE_PROJECT (or KINERJA_GCP_PROJECT) is needed for the spool.")
        options: dict[str, Any] = {"base_url": base_url} if base_url else {}
        self.db = Firestore(project, session, database=database, deadline=deadline, sleep=sleep, **options)
        self.sheets = dict(sheets or schema.load_all())
        self.clock = clock
        self._counter = itertools.count()

    def close(self) -> None:
        self.db.close()

    def _sheet(self, name: str) -> Sheet:
        return schema.sheet_of(self.sheets, name)

    def _name(self, entry: str) -> str:
        return f"{self.db.documents}/{COLLECTION}/{quote(entry, safe=':-_.~')}"

    @staticmethod
    def _entry(name: str) -> str:
        return unquote(name.rsplit("/", 1)[1])

    # -- intake --------------------------------------------------------------------------------------------------
    def put(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        spec = self._sheet(sheet)
        todo: dict[str, dict[str, Any]] = {}
        now = self.clock()
        for group, members in prepare(spec, rows).items():
            stamp = f"{int(now * 1e6):017d}.{next(self._counter) % 10**9:09d}"
            todo[self._name(entry_id(sheet, group))] = {
                "sheet": sheet,
                "group": group,
                "digest": digest(spec, members),
                "rows": encode_rows(spec, members),
                "count": len(members),
                "state": PENDING,
                "queue": f"{sheet}/{stamp}",
                "tags": tags(spec, members),
                "spooled_at": Time(now),
            }
        inserted = duplicates = 0
        for start in range(0, len(todo), MAX_WRITES):
            waiting = list(todo)[start : start + MAX_WRITES]
            for _attempt in range(5):
                writes = [{"update": document(n, todo[n]), "currentDocument": {"exists": False}} for n in waiting]
                if not waiting or self.db.commit(writes, TAKEN):
                    inserted += sum(todo[n]["count"] for n in waiting)
                    waiting = []
                    break
                found = self.db.batch_get(waiting)  # some exist: same content is a retry, other is a Conflict
                for name, stored in found.items():
                    compare(stored["digest"], todo[name]["digest"])
                    duplicates += todo[name]["count"]
                waiting = [n for n in waiting if n not in found]
            if waiting:
                raise StoreUnavailable(UNAVAILABLE)
        return AppendResult(inserted=inserted, duplicates=duplicates)

    # -- reads and the flush -------------------------------------------------------------------------------------
    def _pending_docs(self, sheet: str, limit: int, after: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {
            "from": [{"collectionId": COLLECTION}],
            "where": {
                "compositeFilter": {
                    "op": "AND",
                    "filters": [
                        field_filter("queue", "GREATER_THAN", f"{sheet}/"),
                        field_filter("queue", "LESS_THAN", f"{sheet}0"),  # "0" follows "/"
                    ],
                }
            },
            "orderBy": [{"field": {"fieldPath": "queue"}, "direction": "ASCENDING"}],
            "limit": int(limit),
        }
        if after is not None:
            query["startAt"] = {"values": [{"stringValue": after}], "before": False}
        return self.db.query(query)

    def pending(self, sheet: str, limit: int) -> list[Group]:
        spec = self._sheet(sheet)
        return [
            Group(self._entry(d["name"]), sheet, d["group"], decode_rows(spec, d["rows"]), posix_time(d["spooled_at"]))
            for d in self._pending_docs(sheet, limit)
        ]

    def pending_rows(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        spec = self._sheet(sheet)
        check_filter(spec, where, start, end, unit)
        tagged = [k for k, v in (where or {}).items() if v is not None and spec.column(k).type in TAGGED]
        if tagged:  # only the groups holding that value: one employee's, one complaint's
            tag = f"{sheet}|{tagged[0]}={spec.column(tagged[0]).to_cell((where or {})[tagged[0]])}"
            docs = self.db.query(
                {"from": [{"collectionId": COLLECTION}], "where": field_filter("tags", "ARRAY_CONTAINS", tag)}
            )
            docs = sorted((d for d in docs if d.get("queue")), key=lambda d: str(d["queue"]))
        else:
            docs, after = [], None
            while True:
                page = self._pending_docs(sheet, PAGE, after)
                docs += page
                if len(page) < PAGE:
                    break
                after = page[-1]["queue"]
        rows = [r for d in docs for r in decode_rows(spec, d["rows"])]
        return select(spec, rows, where, start, end, unit, copy=False)

    def mark_flushed(self, ids: Sequence[str]) -> None:
        now = self.clock()
        fields = {"state": FLUSHED, "flushed_at": Time(now), "expire_at": Time(now + KEEP_DAYS * 86400)}
        self._finish(ids, fields, ["state", "flushed_at", "expire_at", "rows", "queue", "tags"])

    def mark_rejected(self, ids: Sequence[str], reason: str) -> None:
        fields = {"state": REJECTED, "rejected_at": Time(self.clock()), "note": reason}
        self._finish(ids, fields, ["state", "rejected_at", "note", "queue", "tags"])

    def _finish(self, ids: Sequence[str], fields: dict[str, Any], mask: list[str]) -> None:
        names = [self._name(i) for i in ids]
        for start in range(0, len(names), MAX_WRITES):
            writes = [update(n, fields, mask) for n in names[start : start + MAX_WRITES]]
            if not self.db.commit(writes, GONE):
                for write in writes:  # a document pruned meanwhile: update the others one by one
                    self.db.commit([write], GONE)

    def rejected(self) -> list[tuple[str, str]]:
        query = {
            "from": [{"collectionId": COLLECTION}],
            "where": field_filter("state", "EQUAL", REJECTED),
            "limit": PAGE,
        }
        return [(self._entry(d["name"]), d.get("note") or "") for d in self.db.query(query)]

    def prune(self, keep_days: int = KEEP_DAYS) -> int:
        before = Time(self.clock() - keep_days * 86400)
        deleted = 0
        for stamp in ("flushed_at", "rejected_at"):  # a rejected group may hold a citizen's contact: not forever
            for _page in range(20):
                docs = self.db.query(
                    {
                        "select": {"fields": [{"fieldPath": "__name__"}]},
                        "from": [{"collectionId": COLLECTION}],
                        "where": field_filter(stamp, "LESS_THAN", before),
                        "limit": MAX_WRITES,
                    }
                )
                if not docs:
                    break
                self.db.commit([{"delete": d["name"]} for d in docs])
                deleted += len(docs)
        return deleted

    # -- the lease -----------------------------------------------------------------------------------------------
    def acquire(self, owner: str, seconds: float) -> bool:
        now = self.clock()
        held = self.db.get(LEASE)
        if held is None:
            precondition: dict[str, Any] = {"exists": False}
        else:
            state = decode(held)
            if state.get("owner") != owner and posix_time(state.get("until")) > now:
                return False
            precondition = {"updateTime": held["updateTime"]}
        fields = {"owner": owner, "until": Time(now + seconds)}
        write = {"update": document(f"{self.db.documents}/{LEASE}", fields), "currentDocument": precondition}
        return self.db.commit([write], TAKEN)  # False: another flush took it in between

    def release(self, owner: str) -> None:
        held = self.db.get(LEASE)
        if held is None or decode(held).get("owner") != owner:
            return
        self.db.commit([{"delete": held["name"], "currentDocument": {"updateTime": held["updateTime"]}}], GONE)


def tags(spec: Sheet, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """``<sheet>|<column>=<cell>`` of every short text-like cell: what ``pending_rows`` finds a group by."""
    found = set()
    for row in rows:
        for col in spec.columns:
            cell = col.to_cell(row.get(col.key)) if col.type in TAGGED else None
            if cell is not None and len(str(cell)) <= 200:
                found.add(f"{spec.name}|{col.key}={cell}")
    return sorted(found)


def open_firestore_spool(project: str, database: str = "(default)") -> FirestoreSpool:
    """The spool with the runtime's service account (``google.auth.default``)."""
    if not project:
        raise ConfigurationError("KINERJA_FIRESTORE_PROJECT (or KINERJA_GCP_PROJECT) is needed for the spool.")
    return FirestoreSpool(project, authorized_session(), database=database)


if TYPE_CHECKING:
    from functions.store.spool import Spool

    def _conforms(spool: FirestoreSpool) -> Spool:  # mypy checks that a FirestoreSpool is a Spool
        return spool

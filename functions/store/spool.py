"""The intake spool: where a submission waits, durable, until the scheduled flush writes it to the sheets.

Google Sheets allows 60 write requests a minute per user and answers 429 (or 5xx, or slowly) when pushed; most
daily reports arrive between 15:00 and 16:30. So an intake submission is not written to Sheets while the person
waits: it is put into a spool, which answers at once and keeps it, and ``functions.store.flush`` appends everything
pending in one request per sheet per batch (see ``functions.store.spooled_store`` for how the two are joined).

A spool entry is one *group*: the rows of one submission, grouped by the sheet's batch key (else its key), as the
store groups them. ``put`` has the store's idempotency: a group already spooled with the same content is a no-op,
with other content a Conflict (409). The content is compared through a digest of the columns that make up a
submission (``Sheet.compared_keys``, as ``rows.same_content``), which an entry keeps after it is flushed while
its rows are dropped: a retry after the flush is still recognised, and the spool holds no personal data for
longer than it must. Flushed and rejected entries are pruned after ``KEEP_DAYS``. A row key repeated inside a group is a
Conflict; a clash of row keys between different groups is left to the target store, which refuses it at flush
time (the entry is then marked rejected and logged, never retried in a loop).

Two backends with one contract (``tests/store/test_spool.py`` runs against both):

* ``SQLiteSpool`` (here): one file, WAL, ``synchronous=FULL`` (a put is on disk when it returns), one writer.
  For the local home and any single machine running with ``KINERJA_STORE=gsheets``.
* ``FirestoreSpool`` (``functions.store.spool_firestore``): for Cloud Functions, whose disk is neither durable nor
  shared between instances. Firestore is managed, durable and multi-instance, is reached through its REST API with
  the runtime service account's google-auth session (no extra library), and its create-if-absent write gives
  idempotency without a transaction.

A *lease* lets one flush run at a time (a scheduled run and a flush started inline by ``set_cells`` must not
append the same groups concurrently). It expires, so a flush killed without releasing it blocks only until then.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from functions import schema
from functions.schema import Sheet
from functions.store.protocol import AppendResult, Row
from functions.store.rows import check_complete, check_filter, conflict, group_key, select
from functions.store.sqlite_connections import Connections

# Derived sheets that are logs a scheduled job writes one row at a time. The weekly mail records each email in
# Terkirim the moment the mail server accepts it (about 17,500 a week in Semarang): one write request each would
# take five hours of the 60-a-minute quota, so these rows go through the spool like intake and are flushed in
# batches (a spool put is durable at once, so the exactly-once record is kept per email).
LOGS = frozenset({"Terkirim"})


def spooled_sheets(sheets: Mapping[str, Sheet]) -> list[str]:
    """The sheets whose appends go through the spool: every intake sheet, and :data:`LOGS`."""
    return [name for name, sheet in sheets.items() if sheet.kind == "intake" or name in LOGS]


KEEP_DAYS = 35  # flushed entries remember their digest this long, so a late retry is still recognised
PENDING, FLUSHED, REJECTED = "pending", "flushed", "rejected"


@dataclass(frozen=True)
class Group:
    """One pending submission: its entry id, sheet, group value (as cell text), typed rows, when it was spooled."""

    id: str
    sheet: str
    group: str
    rows: list[Row]
    spooled_at: float = 0.0  # POSIX time of the spool's clock


class Spool(Protocol):
    clock: Callable[[], float]  # POSIX time: the age of entries, the lease

    @property
    def sheets(self) -> Mapping[str, Sheet]:
        """The schema's sheets, by name."""

    def put(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        """Keep rows durably, all or nothing, idempotent per group (same content: no-op; other: Conflict)."""

    def pending(self, sheet: str, limit: int) -> list[Group]:
        """The oldest ``limit`` groups of a sheet waiting for the flush, in arrival order."""

    def pending_rows(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        """Rows still waiting, in arrival order, filtered as ``Store.records`` filters."""

    def mark_flushed(self, ids: Sequence[str]) -> None:
        """The target holds these groups now: drop their rows, keep their digests."""

    def mark_rejected(self, ids: Sequence[str], reason: str) -> None:
        """The target refused these groups: keep them out of the flush, for an operator to look at."""

    def rejected(self) -> list[tuple[str, str]]:
        """Entries the target refused: ``(entry id, reason)``."""

    def acquire(self, owner: str, seconds: float) -> bool:
        """Take (or renew) the flush lease for ``seconds``; False while another owner holds it."""

    def release(self, owner: str) -> None:
        """Give the lease back if ``owner`` holds it."""

    def prune(self, keep_days: int = KEEP_DAYS) -> int:
        """Forget flushed and rejected entries older than ``keep_days``; returns how many."""

    def close(self) -> None:
        """Release connections."""


# -- shared by the backends ---------------------------------------------------------------------------------------


def entry_id(sheet: str, group: str) -> str:
    return f"{sheet}:{group}"


def cell_text(spec: Sheet, value: Any) -> str:
    """A group value as text (the batch key's cell)."""
    return str(spec.column(spec.batch_key or spec.key).to_cell(value))


def digest(spec: Sheet, rows: Sequence[Mapping[str, Any]]) -> str:
    """A fingerprint of a group's content: equal exactly when ``rows.same_content`` holds."""
    cols = [spec.column(k) for k in spec.compared_keys]
    signature = sorted([_comparable(c.to_cell(r.get(c.key))) for c in cols] for r in rows)  # row order is no content
    return hashlib.sha256(json.dumps(signature, ensure_ascii=False).encode()).hexdigest()


def _comparable(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(float(value))
    return repr(value)


def prepare(spec: Sheet, rows: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Validate rows (all or nothing) and group them by cell text; a key twice in a group is a Conflict."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in check_complete(spec, rows):
        groups.setdefault(cell_text(spec, group_key(spec, row)), []).append(row)
    for group in groups.values():
        keys = [str(r[spec.key]) for r in group]
        if len(set(keys)) != len(keys):
            raise conflict()
    return groups


def encode_rows(spec: Sheet, rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as JSON: one object of cell values per row, keyed by column key."""
    return json.dumps([{c.key: c.to_cell(r.get(c.key)) for c in spec.columns} for r in rows], ensure_ascii=False)


def decode_rows(spec: Sheet, text: str) -> list[Row]:
    rows = []
    for cells in json.loads(text):
        rows.append({c.key: c.parse(cells.get(c.key)) for c in spec.columns})
    return rows


def compare(existing_digest: str, new_digest: str) -> None:
    if existing_digest != new_digest:
        raise conflict()


# -- SQLite --------------------------------------------------------------------------------------------------------

_DDL = (
    """CREATE TABLE IF NOT EXISTS spool (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        sheet TEXT NOT NULL,
        grp TEXT NOT NULL,
        digest TEXT NOT NULL,
        rows TEXT,
        state TEXT NOT NULL,
        spooled_at REAL NOT NULL,
        done_at REAL,
        note TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS ix_spool_queue ON spool (sheet, state, seq)",
    "CREATE INDEX IF NOT EXISTS ix_spool_done ON spool (state, done_at)",
    "CREATE TABLE IF NOT EXISTS lease (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until REAL NOT NULL)",
)


class SQLiteSpool:
    """The spool in one SQLite file: WAL, every write through one lock and an immediate transaction."""

    def __init__(
        self,
        path: Path | str,
        sheets: Mapping[str, Sheet] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.sheets = dict(sheets or schema.load_all())
        self.clock = clock
        self._db = Connections(self.path, synchronous="FULL")  # a put that returned survives a power cut
        with self._write() as conn:
            for statement in _DDL:
                conn.execute(statement)

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.write()

    def _reader(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.read()

    def close(self) -> None:
        self._db.close()

    def _sheet(self, name: str) -> Sheet:
        return schema.sheet_of(self.sheets, name)

    # -- intake --------------------------------------------------------------------------------------------------
    def put(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        spec = self._sheet(sheet)
        groups = prepare(spec, rows)
        inserted = duplicates = 0
        now = self.clock()
        with self._write() as conn:
            for group, members in groups.items():
                new = digest(spec, members)
                found = conn.execute("SELECT digest FROM spool WHERE id = ?", [entry_id(sheet, group)]).fetchone()
                if found:
                    compare(found[0], new)
                    duplicates += len(members)
                    continue
                conn.execute(
                    "INSERT INTO spool (id, sheet, grp, digest, rows, state, spooled_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [entry_id(sheet, group), sheet, group, new, encode_rows(spec, members), PENDING, now],
                )
                inserted += len(members)
        return AppendResult(inserted=inserted, duplicates=duplicates)

    # -- the flush -----------------------------------------------------------------------------------------------
    def pending(self, sheet: str, limit: int) -> list[Group]:
        spec = self._sheet(sheet)
        with self._reader() as conn:
            found = conn.execute(
                "SELECT id, grp, rows, spooled_at FROM spool WHERE sheet = ? AND state = ? ORDER BY seq LIMIT ?",
                [sheet, PENDING, int(limit)],
            ).fetchall()
        return [Group(i, sheet, g, decode_rows(spec, text), at) for i, g, text, at in found]

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
        # Only the groups whose JSON holds each text value asked for (one employee's, one complaint's) are decoded:
        # a page or a submission then reads its own few rows, not every waiting group. select() still decides.
        needles = [
            json.dumps(cell, ensure_ascii=False)
            for key, value in (where or {}).items()
            if value is not None and isinstance(cell := spec.column(key).to_cell(value), str)
        ]
        with self._reader() as conn:
            found = conn.execute(
                "SELECT rows FROM spool WHERE sheet = ? AND state = ?"
                + " AND instr(rows, ?) > 0" * len(needles)
                + " ORDER BY seq",
                [sheet, PENDING, *needles],
            ).fetchall()
        rows = [row for (text,) in found for row in decode_rows(spec, text)]
        return select(spec, rows, where, start, end, unit, copy=False)

    def mark_flushed(self, ids: Sequence[str]) -> None:
        self._finish(ids, FLUSHED, None)

    def mark_rejected(self, ids: Sequence[str], reason: str) -> None:
        self._finish(ids, REJECTED, reason)

    def _finish(self, ids: Sequence[str], state: str, note: str | None) -> None:
        now = self.clock()
        keep_rows = state == REJECTED  # an operator needs a refused group's content
        with self._write() as conn:
            conn.executemany(
                "UPDATE spool SET state = ?, done_at = ?, note = ?, rows = CASE WHEN ? THEN rows END "
                "WHERE id = ? AND state = ?",
                [(state, now, note, keep_rows, i, PENDING) for i in ids],
            )

    def rejected(self) -> list[tuple[str, str]]:
        """Entries the target refused, with the reason: ``(entry id, reason)``."""
        with self._reader() as conn:
            return [(i, n or "") for i, n in conn.execute("SELECT id, note FROM spool WHERE state = ?", [REJECTED])]

    def acquire(self, owner: str, seconds: float) -> bool:
        now = self.clock()
        with self._write() as conn:
            held = conn.execute("SELECT owner, until FROM lease WHERE name = 'flush'").fetchone()
            if held and held[0] != owner and held[1] > now:
                return False
            conn.execute(
                "INSERT OR REPLACE INTO lease (name, owner, until) VALUES ('flush', ?, ?)", [owner, now + seconds]
            )
            return True

    def release(self, owner: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM lease WHERE name = 'flush' AND owner = ?", [owner])

    def prune(self, keep_days: int = KEEP_DAYS) -> int:
        before = self.clock() - keep_days * 86400
        with self._write() as conn:  # a rejected group may hold a citizen's contact: not kept forever either
            sql = "DELETE FROM spool WHERE state IN (?, ?) AND done_at < ?"
            return conn.execute(sql, [FLUSHED, REJECTED, before]).rowcount


if TYPE_CHECKING:

    def _conforms(spool: SQLiteSpool) -> Spool:  # mypy checks that an SQLiteSpool is a Spool
        return spool

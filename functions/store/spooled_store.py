"""A store that takes intake through a spool: submissions never wait for Google's quota.

``SpooledStore(target, spool)`` is a ``Store``. ``append`` to an intake sheet (``kind: intake`` in the schema), or
to a log written row by row such as Terkirim (``functions.store.spool.spooled_sheets``), puts the rows into the
spool only and answers at once: the row is durable from then on, and ``functions.store.flush`` appends it to the target
later, in batches. Everything else (master and derived sheets, ``upsert``, ``replace_period``) goes straight to the
target.

Reads of an intake sheet return the target's rows followed by the rows still in the spool, in arrival order, a row
already in the target (flushed, not yet marked) counted once; so a report just sent shows on the confirmation and in
the "recent" list, and a complaint has its tracking page at once. The spool is read before the target, so a flush
running in between can only make a row appear twice (and it is deduplicated), never vanish.

Idempotency spans both places: the spool recognises a retry before and after the flush (it keeps each group's
content digest); the target's append is idempotent by key, so a retry older than the spool's memory, or a flush
repeated after a crash, appends nothing twice.

``set_cells`` and ``delete`` of a row still in the spool first flush that sheet (under the flush lease), then change
the target: a supervisor may verify a report sent a minute ago, and the edit lands on the real row, never on a copy
that a concurrent flush could overwrite. If the row cannot be flushed in ``settle_seconds`` (Google unavailable)
the change is refused with 503 and may be repeated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from functions.errors import ConfigurationError, StoreUnavailable
from functions.store.flush import BUSY, UNAVAILABLE, FlushReport, Policy, flush
from functions.store.protocol import AppendResult, Row, Store, UpsertResult
from functions.store.spool import Spool, spooled_sheets

if TYPE_CHECKING:
    import pandas as pd

STILL_SPOOLED = "Kiriman ini masih dalam antrean penyimpanan ke lembar kerja. Coba lagi dalam satu-dua menit."


class SpooledStore:
    def __init__(
        self,
        target: Store,
        spool: Spool,
        *,
        spooled: Iterable[str] | None = None,
        settle_seconds: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.target = target
        self.spool = spool
        self.sheets = spool.sheets
        if spooled is None:
            spooled = spooled_sheets(self.sheets)
        self.spooled = frozenset(spooled)
        self.settle_seconds = settle_seconds
        self.sleep = sleep

    # -- intake --------------------------------------------------------------------------------------------------
    def append(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        if sheet not in self.spooled:
            return self.target.append(sheet, rows)
        return self.spool.put(sheet, rows)

    # -- reads ---------------------------------------------------------------------------------------------------
    def records(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        if sheet not in self.spooled:
            return self.target.records(sheet, where=where, start=start, end=end, unit=unit)
        waiting = self.spool.pending_rows(sheet, where=where, start=start, end=end, unit=unit)  # first: see above
        return self._merge(sheet, self.target.records(sheet, where=where, start=start, end=end, unit=unit), waiting)

    def frame(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        waiting = (
            self.spool.pending_rows(sheet, where=where, start=start, end=end, unit=unit)
            if sheet in self.spooled
            else []
        )
        if not waiting:
            return self.target.frame(sheet, where=where, start=start, end=end, unit=unit)
        import pandas as pd

        stored = self.target.records(sheet, where=where, start=start, end=end, unit=unit)
        return pd.DataFrame.from_records(self._merge(sheet, stored, waiting), columns=self.sheets[sheet].keys)

    def _merge(self, sheet: str, stored: list[Row], waiting: list[Row]) -> list[Row]:
        """The target's rows, then the waiting ones it does not hold yet (by key)."""
        if not waiting:
            return stored
        key = self.sheets[sheet].column(self.sheets[sheet].key)
        present = {key.to_cell(r[key.key]) for r in stored}
        return stored + [r for r in waiting if key.to_cell(r[key.key]) not in present]

    def count(self, sheet: str) -> int:
        if sheet in self.spooled and self.spool.pending_rows(sheet):
            return len(self.records(sheet))
        return self.target.count(sheet)

    # -- other writes --------------------------------------------------------------------------------------------
    def set_cells(self, sheet: str, key: Any, values: Mapping[str, Any]) -> None:
        self._settle(sheet, [key])
        self.target.set_cells(sheet, key, values)

    def delete(self, sheet: str, keys: Sequence[Any]) -> int:
        self._settle(sheet, keys)
        return self.target.delete(sheet, keys)

    def replace_period(self, sheet: str, period: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        self.target.replace_period(sheet, period, rows)

    def upsert(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        return self.target.upsert(sheet, rows)

    def upsert_many(self, batches: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, UpsertResult]:
        return self.target.upsert_many(batches)

    def begin_job(self) -> None:
        """Passed on to the target: the Google Sheets store reads its sheets afresh from here on."""
        begin = getattr(self.target, "begin_job", None)
        if callable(begin):
            begin()

    def close(self) -> None:
        try:
            self.target.close()
        finally:
            self.spool.close()

    def _settle(self, sheet: str, keys: Sequence[Any]) -> None:
        """Flush ``sheet`` until none of ``keys`` is waiting in the spool; 503 when that takes too long."""
        if sheet not in self.spooled:
            return
        give_up = time.monotonic() + self.settle_seconds
        while self._waiting(sheet, keys):
            left = give_up - time.monotonic()
            if left <= 0:
                raise StoreUnavailable(STILL_SPOOLED)
            report = flush(self.spool, self.target, sheets=[sheet], deadline=left)
            if report.stopped == UNAVAILABLE:
                raise StoreUnavailable(STILL_SPOOLED)
            if report.stopped == BUSY:  # the scheduled flush is at it: wait for it
                self.sleep(min(0.5, left))

    def _waiting(self, sheet: str, keys: Sequence[Any]) -> bool:
        col = self.sheets[sheet].column(self.sheets[sheet].key)
        if len(keys) <= 20:  # a supervisor's verification: a query by key each
            return any(self.spool.pending_rows(sheet, where={col.key: k}) for k in keys)
        wanted = {col.to_cell(k) for k in keys}
        return any(col.to_cell(r[col.key]) in wanted for r in self.spool.pending_rows(sheet))


def run_flush(store: Store, policy: Policy | None = None) -> FlushReport | None:
    """The scheduled flush of the runtime's store if it is spooled; None when it writes directly."""
    if not isinstance(store, SpooledStore):
        return None
    policy = policy or Policy()
    return flush(
        store.spool,
        store.target,
        batch=policy.batch,
        deadline=policy.deadline,
        min_groups=policy.min_groups,
        max_wait=policy.max_wait,
        prune=True,
    )


def open_spool(kind: str, *, path: Path, project: str = "", database: str = "(default)") -> Spool:
    """The spool the settings name: ``sqlite`` (one file at ``path``) or ``firestore`` (Cloud Functions)."""
    if kind == "firestore":
        from functions.store.spool_firestore import open_firestore_spool

        return open_firestore_spool(project, database)
    if kind == "sqlite":
        from functions.store.spool import SQLiteSpool

        return SQLiteSpool(path)
    raise ConfigurationError(f"KINERJA_SPOOL must be sqlite or firestore, not {kind!r}.")


if TYPE_CHECKING:

    def _conforms(store: SpooledStore) -> Store:  # mypy checks that a SpooledStore is a Store
        return store

"""The spooled Google Sheets store whose page reads come from the read model (Cloud Functions).

``ReadModelStore`` is a :class:`~functions.store.spooled_store.SpooledStore` (the flush and every write work as
before) whose ``records``, ``frame`` and ``count`` answer from :class:`~functions.readmodel.model.ReadModel` when it
holds what is asked, and whose writes patch the model after the sheets (or the spool) took them. What the model does
not hold (derived sheets such as Skor, days before its window, a per-person sheet asked by neither person nor id)
is read from the sheets as before. Scheduled jobs read the sheets (:meth:`ReadModelStore.job_session`): they are the
truth the model is made from.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from functions import schema
from functions.readmodel.model import ReadModel, RefreshReport, added, cells_set, removed, upserted
from functions.readmodel.refresh import refresh
from functions.store.protocol import AppendResult, Row, Store, UpsertResult, scheduled_job
from functions.store.rows import check_filter, select
from functions.store.spooled_store import SpooledStore

if TYPE_CHECKING:
    import pandas as pd

    from functions.settings import Settings


class ReadModelStore(SpooledStore):
    def __init__(self, target: Store, spool: Any, model: ReadModel, **options: Any) -> None:
        super().__init__(target, spool, **options)
        self.model = model
        self._jobs = threading.local()

    # -- requests and jobs -----------------------------------------------------------------------------------------
    def begin_request(self) -> None:
        """A page request starts: the manifest is read again (once), so other instances' writes show."""
        self.model.begin_request()

    @contextmanager
    def job_session(self, deadline: float) -> Iterator[None]:
        """A scheduled job on this thread reads the sheets themselves (see ``functions.store.scheduled_job``)."""
        self._jobs.depth = getattr(self._jobs, "depth", 0) + 1
        try:
            session = getattr(self.target, "job_session", None)
            if callable(session):
                with session(deadline):
                    yield
            else:
                yield
        finally:
            self._jobs.depth -= 1

    def _modelled(self, sheet: str, where: Mapping[str, Any] | None, start: date | None) -> list[Row] | None:
        if getattr(self._jobs, "depth", 0):
            return None
        return self.model.rows(sheet, where, start)

    # -- reads -----------------------------------------------------------------------------------------------------
    def records(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        spec = schema.sheet_of(self.sheets, sheet)
        check_filter(spec, where, start, end, unit)  # before any request, as every store
        rows = self._modelled(sheet, where, start)
        if rows is None:
            return super().records(sheet, where=where, start=start, end=end, unit=unit)
        return select(spec, rows, where, start, end, unit)

    def frame(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        spec = schema.sheet_of(self.sheets, sheet)
        check_filter(spec, where, start, end, unit)
        rows = self._modelled(sheet, where, start)
        if rows is None:
            return super().frame(sheet, where=where, start=start, end=end, unit=unit)
        import pandas as pd

        return pd.DataFrame.from_records(select(spec, rows, where, start, end, unit), columns=spec.keys)

    def count(self, sheet: str) -> int:
        rows = self._modelled(sheet, None, None)
        return super().count(sheet) if rows is None else len(rows)

    # -- writes: the sheets (or the spool) first, then the model ---------------------------------------------------
    def append(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        result = super().append(sheet, rows)
        self.model.patch(sheet, rows, added)  # a retry too: a lost patch comes back
        return result

    def set_cells(self, sheet: str, key: Any, values: Mapping[str, Any]) -> None:
        super().set_cells(sheet, key, values)
        spec = schema.sheet_of(self.sheets, sheet)
        self.model.patch_key(sheet, key, cells_set(spec, key, values))

    def upsert_many(self, batches: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, UpsertResult]:
        results = super().upsert_many(batches)
        for sheet, rows in batches.items():
            self.model.patch(sheet, rows, upserted)
        return results

    def upsert(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        return self.upsert_many({sheet: rows})[sheet]

    def replace_period(self, sheet: str, period: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """A scheduled job's derived rows (Skor, Peringatan, ...): into the sheets, then published into the model."""
        super().replace_period(sheet, period, rows)
        self.model.replace_period(sheet, period, rows)

    def delete(self, sheet: str, keys: Sequence[Any]) -> int:
        """Retention purges: a whole sheet's snapshot is patched; people's documents are left to the refresh (a
        purge of old rows may name thousands, mostly before the window)."""
        deleted = super().delete(sheet, keys)
        self.model.patch_whole_only(sheet, lambda spec: removed(spec, keys))
        return deleted

    # -- the scheduled refresh -------------------------------------------------------------------------------------
    def refresh(self, today: date) -> RefreshReport:
        """Bring the model in line with the sheets (the scheduled ``refresh_read_model``)."""
        with scheduled_job(self):
            return refresh(self.model, lambda sheet, since: self.records(sheet, start=since), today)


def run_refresh(store: Store, today: date) -> RefreshReport | None:
    """The scheduled refresh of the runtime's store if it has a read model; None when pages read it directly."""
    return store.refresh(today) if isinstance(store, ReadModelStore) else None


def with_read_model(store: Store, settings: Settings) -> Store:
    """The store with the read model where the spool is on Firestore (Cloud Functions); else ``store`` itself."""
    if not isinstance(store, SpooledStore) or settings.spool != "firestore":
        return store
    from functions.store.spool_firestore import FirestoreSpool

    spool = store.spool
    if not isinstance(spool, FirestoreSpool):
        return store
    return ReadModelStore(store.target, spool, ReadModel(spool.db, spool.sheets))

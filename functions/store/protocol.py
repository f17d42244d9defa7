"""The ``Store`` protocol that both backends implement, its result types, and a scheduled job's session.

Rows are dicts keyed by the schema's column keys, with Python values (``date``, ``datetime``, ``int``, ``float``,
``bool``, ``str`` or ``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, Any]


@dataclass(frozen=True)
class AppendResult:
    inserted: int
    duplicates: int

    @property
    def was_duplicate(self) -> bool:
        return self.inserted == 0 and self.duplicates > 0


@dataclass(frozen=True)
class UpsertResult:
    inserted: int
    updated: int
    unchanged: int


class Store(Protocol):
    def append(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        """Append intake rows idempotently, all or nothing.

        Rows are grouped by the sheet's batch key (else by its key). A group already
        stored with the same content is a no-op; with other content it raises Conflict.
        """

    def records(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        """Rows of a sheet in sheet order, filtered by exact column values, by the
        sheet's date column (``start``/``end`` inclusive) and by its unit column."""

    def frame(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """The same rows as a pandas DataFrame with the schema's columns."""

    def replace_period(self, sheet: str, period: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace every row of a derived sheet whose period column equals ``period``."""

    def set_cells(self, sheet: str, key: Any, values: Mapping[str, Any]) -> None:
        """Set person-editable cells of one row; other columns are refused."""

    def upsert(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        """Insert or update master rows by key, all or nothing."""

    def upsert_many(self, batches: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, UpsertResult]:
        """Upsert into several master sheets in one all-or-nothing write."""

    def delete(self, sheet: str, keys: Sequence[Any]) -> int:
        """Delete rows by key (retention purges only); returns how many were deleted."""

    def count(self, sheet: str) -> int:
        """Number of rows in a sheet."""

    def close(self) -> None:
        """Release connections."""


JOB_DEADLINE = 150.0  # seconds a Sheets request may take in a scheduled job, retries included: past a quota minute


@contextmanager
def scheduled_job(store: Store, deadline: float = JOB_DEADLINE) -> Iterator[None]:
    """A scheduled job's session with the store. On Google Sheets (also behind a spool): every sheet is read
    afresh and then kept for the whole job; a request may wait out Google's quota minute (429 answers are retried
    up to ``deadline`` seconds, not a form's few seconds); the per-OPD view writes of ``replace_period`` are held
    and sent once per view at the end (see :meth:`functions.store.gsheets.GSheetsStore.job_session`). On SQLite
    nothing changes."""
    target: Any = getattr(store, "target", store)  # a SpooledStore's Google Sheets store
    session = getattr(store, "job_session", None) or getattr(target, "job_session", None)  # the store's own first
    if callable(session):
        with session(deadline):
            yield
        return
    begin = getattr(store, "begin_job", None)
    if callable(begin):
        begin()
    yield

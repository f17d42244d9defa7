"""The Google Sheets store: the ``Store`` protocol on spreadsheets, through gspread's HTTP client.

A sheet is a worksheet named like the sheet, its schema headers in row 1, data from row 2. Where each sheet lives
(admin, monthly intake, contacts, monthly derived, per-OPD views) is :mod:`functions.store.layout`; how a worksheet
looks is :mod:`functions.store.sheet_format`; the calls are :mod:`functions.store.sheets_api`, and what the store
keeps between calls is :mod:`functions.store.catalog`. This is the only module that imports gspread: its HTTP client
carries the requests, with :class:`~functions.store.google_http.RetryPolicy` in place of gspread's retries (none, or
unbounded in ``BackOffHTTPClient``).

Quota economy (60 reads and 60 writes a minute per service account):

* Metadata (worksheet ids and sizes) and the ids of known spreadsheets are fetched once per process.
* Each worksheet is read once (``values.get`` of the whole table, ``UNFORMATTED_VALUE``) and kept in memory until
  :meth:`GSheetsStore.begin_job` or ``cache_seconds`` pass; the store's own writes keep the copy current. Call
  ``begin_job()`` at the start of every request or scheduled job, so a job sees what other processes wrote.
  An append needs only the key and batch columns: unless the table is in memory, it reads just those two columns
  (one ``values.batchGet``), and whole rows only of groups already stored (a retry: one more ``values.batchGet``).
* append: one ``values.append`` per worksheet and call, ``RAW``, ``INSERT_ROWS``, explicit table range
  ``'Sheet'!A1:<last>1`` (``OVERWRITE`` for the first rows of an empty sheet, so they land in the formatted rows
  instead of rows inserted under, and formatted like, the header). set_cells: one ``values.batchUpdate``. upsert,
  upsert_many, delete: one ``spreadsheets.batchUpdate`` per spreadsheet (all master sheets share one, so
  upsert_many is all or nothing). replace_period: one ``spreadsheets.batchUpdate`` rewriting the rows from the
  period's first row down, then one per affected OPD view (inside :meth:`GSheetsStore.views_batched`: one per view
  for the whole job).
* Writes that must not be repeated blindly (append, delete, appendCells) are not retried after an unclear answer;
  the store reads the sheet again and sends only what is missing (the operations are idempotent by key).

Limits: rows are checked for idempotency against the spreadsheet they belong to (a retried submission whose date
moved to another month is not recognised); concurrent writers in several processes can interleave between a read
and an append; a period written to the city sheet but not to a view (a crash between them) is healed by running
the job again. Views are written only when ``init`` has created them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from gspread.http_client import HTTPClient

from functions import schema
from functions.errors import Forbidden
from functions.schema import Sheet
from functions.store.catalog import Catalog
from functions.store.google_http import PLANS, AmbiguousWrite, RetryPolicy, authorized_session, load_credentials
from functions.store.layout import MONTHLY, SHARDS, Layout, Place
from functions.store.protocol import AppendResult, Row, UpsertResult
from functions.store.rows import cell, check_complete, check_filter, conflict, group_key, same_content, select
from functions.store.sheets_api import SheetsApi
from functions.store.tables import Table, a1
from functions.store.views import ViewWriter

if TYPE_CHECKING:
    import pandas as pd
    import requests

log = logging.getLogger(__name__)
_SAFE_POSTS = ("values:batchUpdate", ":clear", "values:batchClear", "values:batchGet", "/permissions")


class RetryingHTTPClient(HTTPClient):
    """gspread's HTTP client whose requests go through a :class:`RetryPolicy`.

    ``safe`` (default: GET, PUT, DELETE and the idempotent POSTs) says a request may be repeated after an unclear
    answer; ``what`` names it in logs and errors.
    """

    def __init__(self, session: requests.Session, policy: RetryPolicy) -> None:
        super().__init__(auth=None, session=session)  # type: ignore[arg-type]
        self.policy = policy

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: bytes | None = None,
        json: Any = None,
        files: Any = None,
        headers: Any = None,
        *,
        safe: bool | None = None,
        what: str = "",
    ) -> requests.Response:
        if safe is None:
            safe = method.upper() in ("GET", "HEAD", "PUT", "DELETE") or endpoint.endswith(_SAFE_POSTS)
        session, options = self.session, {"params": params, "data": data, "json": json, "files": files}

        def call(timeout: float) -> requests.Response:
            return session.request(method, endpoint, headers=headers, timeout=(10, timeout), **options)

        return self.policy.send(call, safe=safe, what=what or method.upper())


class GSheetsStore:
    """The store on Google Sheets; ``admin_id`` is the admin spreadsheet (``KINERJA_SHEETS_ADMIN_ID``).

    ``credentials_file``: a service-account JSON (locally); without it Application Default Credentials.
    ``api_url``: a Sheets API test server instead of Google (tests, ``make run-gsheets``). ``folder_id``: the Drive
    folder (a shared drive) new spreadsheets go to. ``deadline``: seconds one request may take, retries included.
    ``cache_seconds``: the longest a sheet read is reused without :meth:`begin_job`. ``views``: write the per-OPD
    views when a derived period is replaced. ``monthly``, ``shards``: the layout (see :mod:`~.layout`).
    """

    def __init__(
        self,
        admin_id: str,
        *,
        credentials_file: str | Path | None = None,
        api_url: str | None = None,
        folder_id: str | None = None,
        deadline: float = 30.0,
        cache_seconds: float = 60.0,
        views: bool = True,
        sheets: Mapping[str, Sheet] | None = None,
        monthly: Iterable[str] = MONTHLY,
        shards: Mapping[str, int] = SHARDS,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        timezone: str = "Asia/Jakarta",
    ) -> None:
        self.sheets = dict(sheets or schema.load_all())
        self.layout = Layout(self.sheets, frozenset(monthly), dict(shards))
        self.views = views
        self._session = session or authorized_session(load_credentials(credentials_file, api_url), api_url)
        self.api = SheetsApi(RetryingHTTPClient(self._session, retry or RetryPolicy(deadline=deadline)))
        self.catalog = Catalog(
            self.api,
            self.layout,
            admin_id,
            folder_id=folder_id or None,
            cache_seconds=cache_seconds,
            clock=clock,
            tz=ZoneInfo(timezone),
        )
        self._lock = threading.RLock()
        self._views = ViewWriter(self.catalog, self.api)
        self._jobs = 0  # scheduled jobs running (job_session), and the settings they replaced
        self._before_jobs = (self.deadline, cache_seconds)

    @property
    def admin_id(self) -> str:
        return self.catalog.admin_id

    @property
    def deadline(self) -> float:
        """Seconds one request may take, retries included. A form's request wants it short (the spool keeps what
        could not be written); a scheduled job or ``init`` wants it past a quota minute (90 s or more)."""
        return float(self.api.http.policy.deadline)

    @deadline.setter
    def deadline(self, seconds: float) -> None:
        self.api.http.policy.deadline = float(seconds)

    def begin_job(self) -> None:
        """Start a request or a scheduled job: every sheet is read again when next used. Metadata and the ids of
        known spreadsheets stay."""
        with self._lock:
            self.catalog.begin_job()

    @contextmanager
    def job_session(self, deadline: float) -> Iterator[None]:
        """A scheduled job: sheets read afresh, then kept for the job however long it waits for quota (no
        ``cache_seconds`` expiry); requests may take ``deadline`` seconds (past a quota minute); this thread's view
        writes batched (:meth:`views_batched`). Jobs may overlap in one process (the local scheduler's threads):
        the settings hold while any job runs and come back when the last one ends."""
        with self._lock:
            self._jobs += 1
            if self._jobs == 1:
                self._before_jobs = (self.deadline, self.catalog.cache_seconds)
                self.deadline = max(self.deadline, deadline)
                self.catalog.cache_seconds = float("inf")
            self.catalog.begin_job()
        try:
            with self.views_batched():
                yield
        finally:
            with self._lock:
                self._jobs -= 1
                if self._jobs == 0:
                    self.deadline, self.catalog.cache_seconds = self._before_jobs

    def views_batched(self) -> AbstractContextManager[None]:
        """Inside, the per-OPD view writes of ``replace_period`` are held and sent at the end, one request per view
        for the whole job (see :meth:`functions.store.views.ViewWriter.batched`)."""
        return self._views.batched(self._lock)

    def close(self) -> None:
        with self._lock:
            self.catalog.clear()
            self._session.close()

    def _sheet(self, name: str) -> Sheet:
        return schema.sheet_of(self.sheets, name)

    def _tables(self, sheet: Sheet, **filters: Any) -> list[Table]:
        """The existing tables a read of ``sheet`` with these filters has to visit."""
        return list(self._each_table(sheet, **filters))

    def _each_table(self, sheet: Sheet, **filters: Any) -> Iterator[Table]:
        """The same tables, each read only when the one before has been used."""
        registered = self.catalog.registry().keys(self.layout.role(sheet)) if self.layout.partitioned(sheet) else []
        for place in self.layout.places_to_read(sheet, registered, **filters):
            spreadsheet_id = self.catalog.place_id(place)
            table = self.catalog.table(spreadsheet_id, sheet, create=False) if spreadsheet_id else None
            if table is not None:
                yield table

    def _table_for(self, sheet: Sheet, place: Place) -> Table:
        return self.catalog.must_table(self.catalog.place_id(place, create=True) or "", sheet)

    # -- reads -------------------------------------------------------------------------------------------------

    def records(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        spec = self._sheet(sheet)
        check_filter(spec, where, start, end, unit)  # before any request
        with self._lock:
            tables = self._tables(spec, where=where, start=start, end=end)
            # One flat list (not nested generators): a look-up by NIP runs over every row of the part it reads.
            rows = [row for t in tables for row in t.rows if row is not None]
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
        import pandas as pd

        spec = self._sheet(sheet)
        check_filter(spec, where, start, end, unit)  # before any request
        # A big intake sheet (LaporanHarian: millions of rows a quarter) is read one spreadsheet at a time, its rows
        # moved into columns and the spreadsheet's table dropped before the next is read: the rows are held once,
        # in the frame, not also as dicts. Other sheets stay in memory for the rest of the job.
        big = spec.kind == "intake" and self.layout.partitioned(spec)
        columns: dict[str, list[Any]] = {k: [] for k in spec.keys}
        with self._lock:
            for table in self._each_table(spec, where=where, start=start, end=end):
                for row in select(spec, (r for _i, r in table.present()), where, start, end, unit, copy=False):
                    for key, values in columns.items():
                        values.append(row.get(key))
                if big:
                    self.catalog.forget(table)
        if not columns[spec.key]:
            return pd.DataFrame.from_records([], columns=spec.keys)
        return pd.DataFrame(columns, columns=spec.keys)  # the same dtypes as from_records of the rows

    def count(self, sheet: str) -> int:
        spec = self._sheet(sheet)
        with self._lock:
            return sum(1 for table in self._tables(spec) for _row in table.present())

    # -- writes ------------------------------------------------------------------------------------------------

    def append(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        spec = self._sheet(sheet)
        clean = check_complete(spec, rows)
        group_col = spec.batch_key or spec.key
        key_col = spec.column(spec.key)
        with self._lock:
            tables: dict[Place, Table] = {}
            groups: dict[Any, list[tuple[Place, dict[str, Any]]]] = {}
            for row in clean:
                place = self.layout.place(spec, row)
                if place not in tables:
                    spreadsheet_id = self.catalog.place_id(place, create=True) or ""
                    tables[place] = self.catalog.must_table(spreadsheet_id, spec, keys_only=True)
                groups.setdefault(group_key(spec, row), []).append((place, row))
            index = {place: table.index(group_col) for place, table in tables.items()}  # one pass per table
            group_column = spec.column(group_col)
            hits = {
                value: [
                    (place, i)
                    for place in dict.fromkeys(p for p, _r in members)
                    for i in index[place].get(cell(group_column, value), [])
                ]
                for value, members in groups.items()
            }
            for place, table in tables.items():  # whole rows only of the groups sent before (retries)
                wanted = [i for found in hits.values() for p, i in found if p == place]
                tables[place] = self.catalog.with_full_rows(table, wanted)
            keys = {place: table.key_cells() for place, table in tables.items()}
            new: dict[Place, list[dict[str, Any]]] = {}
            inserted = duplicates = 0
            for value, members in groups.items():
                group = [row for _place, row in members]
                if hits[value]:
                    stored = [tables[p].rows[i] or {} for p, i in hits[value]]
                    if not same_content(spec, group, stored):
                        raise conflict()
                    duplicates += len(group)
                    continue
                ids = [cell(key_col, row[spec.key]) for row in group]
                if len(set(ids)) != len(ids) or any(i in keys[p] for (p, _r), i in zip(members, ids, strict=True)):
                    raise conflict()
                for (place, row), i in zip(members, ids, strict=True):
                    new.setdefault(place, []).append(row)
                    keys[place].add(i)
                inserted += len(group)
            for place, new_rows in new.items():
                self.catalog.append_rows(tables[place], new_rows)
        return AppendResult(inserted=inserted, duplicates=duplicates)

    def set_cells(self, sheet: str, key: Any, values: Mapping[str, Any]) -> None:
        spec = self._sheet(sheet)
        for name in values:
            if not spec.column(name).editable:
                raise Forbidden(f"Kolom {spec.column(name).header} di lembar {spec.name} tidak dapat diubah.")
        with self._lock:
            # The row was usually just read (a verification reads the week it decides on): look there first,
            # and only then in every spreadsheet of the sheet.
            found = [(table, hit) for table in self.catalog.in_memory(spec) for hit in table.find(spec.key, key)]
            found = found or [(table, hit) for table in self._tables(spec) for hit in table.find(spec.key, key)]
            if not found:
                raise KeyError(f"{spec.name} has no row {key!r}")
            table, (index, stored) = found[0]
            clean = check_complete(spec, [{**stored, **values}])[0]
            data = [
                (a1(table.title, index + 2, index + 2, 1, spec.keys.index(k)), [[spec.column(k).to_cell(clean[k])]])
                for k in values
            ]
            try:
                self.api.update_values(table.spreadsheet_id, data)
            except Exception:
                self.catalog.forget(table)
                raise
            stored.update({k: clean[k] for k in values})

    def upsert(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        return self.upsert_many({sheet: rows})[sheet]

    def upsert_many(self, batches: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, UpsertResult]:
        """One spreadsheets.batchUpdate per spreadsheet: every master sheet is in the admin spreadsheet, so the
        whole call is one atomic request. After an unclear answer the sheets are read again and the plan redone
        (counts are those of the first plan)."""
        cleaned = {name: (self._sheet(name), check_complete(self._sheet(name), rows)) for name, rows in batches.items()}
        with self._lock:
            results: dict[str, UpsertResult] = {}
            for attempt in range(1, PLANS + 1):
                plans: dict[str, list[dict[str, Any]]] = {}
                touched: list[Table] = []
                for name, (spec, clean) in cleaned.items():
                    counts = [0, 0, 0]
                    by_place: dict[Place, list[dict[str, Any]]] = {}
                    for row in clean:
                        by_place.setdefault(self.layout.place(spec, row), []).append(row)
                    for place, place_rows in by_place.items():
                        table = self._table_for(spec, place)
                        touched.append(table)
                        plans.setdefault(table.spreadsheet_id, []).extend(table.upsert(place_rows, counts))
                    results.setdefault(name, UpsertResult(*counts))
                try:
                    for spreadsheet_id, requests_ in plans.items():
                        if requests_:
                            self.api.batch_update(spreadsheet_id, requests_, safe=False)
                except Exception as err:
                    for table in touched:
                        self.catalog.forget(table)
                    if attempt == PLANS or not isinstance(err, AmbiguousWrite):
                        raise
                    continue
                for table in touched:
                    self.catalog.wrote(table)
                break
            return results

    def delete(self, sheet: str, keys: Sequence[Any]) -> int:
        """deleteDimension of the rows, one spreadsheets.batchUpdate per spreadsheet; after an unclear answer the
        sheets are read again and only what is still there is deleted."""
        spec = self._sheet(sheet)
        col = spec.column(spec.key)
        wanted = {cell(col, k) for k in keys}
        with self._lock:
            found: int | None = None
            for attempt in range(1, PLANS + 1):
                tables = self._tables(spec)
                plan = [(t, [i for i, r in t.present() if cell(col, r.get(spec.key)) in wanted]) for t in tables]
                found = sum(len(indexes) for _t, indexes in plan) if found is None else found
                try:
                    for table, indexes in plan:
                        if indexes:
                            self.api.batch_update(table.spreadsheet_id, table.delete_rows(indexes), safe=False)
                            self.catalog.wrote(table)
                except Exception as err:
                    for table in tables:
                        self.catalog.forget(table)
                    if attempt == PLANS or not isinstance(err, AmbiguousWrite):
                        raise
                    continue
                break
            return found or 0

    def replace_period(self, sheet: str, period: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rewrite the period's rows in the city sheet (one request), then in each affected OPD view (one request
        per view)."""
        spec = self._sheet(sheet)
        if not spec.period_column:
            raise ValueError(f"{spec.name} has no period column")
        clean = check_complete(spec, rows)
        if any(r[spec.period_column] != period for r in clean):
            raise ValueError(f"every row must belong to period {period!r}")
        with self._lock:
            table = self._table_for(spec, self.layout.place(spec, {spec.period_column: period}))
            old = [dict(r) for _i, r in table.find(spec.period_column, period)]
            self._rewrite(table, period, clean)
            if self.views and spec.unit_column:
                self._views.write(spec, period, old, clean, self.records("Unit"), self._rewrite)

    def _rewrite(self, table: Table, period: Any, rows: Sequence[dict[str, Any]]) -> None:
        requests_ = table.replace_period(period, rows)
        if not requests_:
            return
        try:
            self.api.batch_update(table.spreadsheet_id, requests_, safe=True)  # appendDimension + updateCells
        except Exception:
            self.catalog.forget(table)
            raise
        self.catalog.wrote(table)

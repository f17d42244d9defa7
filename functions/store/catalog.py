"""What the Google Sheets store knows about its spreadsheets, and keeps so as not to ask twice.

* Worksheet metadata (ids, row counts) per spreadsheet: fetched once per process, kept current by the store's own
  writes.
* Each worksheet's rows (:class:`~functions.store.tables.Table`): read once per job. A table is read again after
  :meth:`Catalog.begin_job` or after ``cache_seconds``, whichever comes first.
* The places (:mod:`functions.store.layout`): the admin spreadsheet's id is given; every other spreadsheet is found
  in the registry ``_Berkas``, or created, formatted and registered on first need. Known ids are kept for the
  process; the registry itself is read once per job (and again when a place is missing, at most once per job).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from functions.errors import ConfigurationError
from functions.schema import Sheet
from functions.store.google_http import PLANS, AmbiguousWrite
from functions.store.layout import ADMIN, REGISTRY, Layout, Place, Registry, registry_row
from functions.store.protocol import Row
from functions.store.rows import cell, from_cells, to_cells
from functions.store.sheet_format import NEW_ROWS, Current, add_sheet, requests_for, sheet_id_for
from functions.store.sheets_api import Grid, SheetsApi
from functions.store.tables import Table, a1

log = logging.getLogger(__name__)
_UPDATED_ROW = re.compile(r"!\$?[A-Z]+\$?(\d+)")


class Catalog:
    def __init__(
        self,
        api: SheetsApi,
        layout: Layout,
        admin_id: str,
        *,
        folder_id: str | None,
        cache_seconds: float,
        clock: Callable[[], float],
        tz: ZoneInfo,
    ) -> None:
        self.api = api
        self.layout = layout
        self.admin_id = admin_id
        self.folder_id = folder_id
        self.cache_seconds = cache_seconds
        self.clock = clock
        self.tz = tz
        self.generation = 0
        self._tables: dict[tuple[str, str], Table] = {}
        self._worksheets: dict[str, dict[str, Grid]] = {}
        self._places: dict[Place, str] = {}
        self._forced_registry = -1

    def begin_job(self) -> None:
        self.generation += 1

    def clear(self) -> None:
        self._tables.clear()

    # -- worksheets and their rows ------------------------------------------------------------------------------

    def worksheets(self, spreadsheet_id: str) -> dict[str, Grid]:
        """Worksheet title -> its id and size, fetched once per spreadsheet."""
        if spreadsheet_id not in self._worksheets:
            self._worksheets[spreadsheet_id] = self.api.worksheets(spreadsheet_id)
        return self._worksheets[spreadsheet_id]

    def forget_worksheets(self, spreadsheet_id: str) -> None:
        self._worksheets.pop(spreadsheet_id, None)

    def table(self, spreadsheet_id: str, sheet: Sheet, create: bool, keys_only: bool = False) -> Table | None:
        """The worksheet's rows, read at most once per job; None when it does not exist and ``create`` is false.

        ``keys_only``: only the key and batch columns are needed (what an append checks): a fresh table in memory
        serves, else those two columns are read, not the whole sheet."""
        known = self._fresh(spreadsheet_id, sheet)
        if known and (known.complete or keys_only):
            return known
        if sheet.name not in self.worksheets(spreadsheet_id):
            if not create:
                return None
            self.add_worksheets(spreadsheet_id, [sheet])
        self._check_width(spreadsheet_id, sheet)
        if keys_only:
            keys = list(dict.fromkeys([sheet.key, sheet.batch_key or sheet.key]))
            ranges = [a1(sheet.name, 1, None, 1, sheet.keys.index(k)) for k in keys]
            columns = [c[0] if c else [] for c in self.api.batch_values(spreadsheet_id, ranges, columns=True)]
            rows = Table.parse_columns(sheet, keys, columns)
        else:
            rows = Table.parse(sheet, self.api.values(spreadsheet_id, a1(sheet.name, 1, None, len(sheet.columns))))
        return self._keep(spreadsheet_id, sheet, rows, complete=not keys_only)

    def prefetch(self, spreadsheet_id: str, sheets: Sequence[Sheet]) -> None:
        """Read the worksheets of ``sheets`` that exist and are not fresh in memory, in one values.batchGet (a view
        spreadsheet's derived sheets: one read request per view and job instead of one per sheet)."""
        existing = self.worksheets(spreadsheet_id)
        wanted = [s for s in sheets if s.name in existing and not self._fresh(spreadsheet_id, s, complete=True)]
        if len(wanted) < 2:
            return
        for sheet in wanted:
            self._check_width(spreadsheet_id, sheet)
        ranges = [a1(s.name, 1, None, len(s.columns)) for s in wanted]
        for sheet, values in zip(wanted, self.api.batch_values(spreadsheet_id, ranges), strict=True):
            self._keep(spreadsheet_id, sheet, Table.parse(sheet, values), complete=True)

    def in_memory(self, sheet: Sheet) -> list[Table]:
        """The sheet's whole tables already read this job and still fresh (what a lookup by key tries first)."""
        return [t for (sid, name), t in self._tables.items() if name == sheet.name and self._fresh(sid, sheet, True)]

    def _fresh(self, spreadsheet_id: str, sheet: Sheet, complete: bool = False) -> Table | None:
        known = self._tables.get((spreadsheet_id, sheet.name))
        if known is None or known.generation != self.generation or self.clock() - known.loaded_at >= self.cache_seconds:
            return None
        return known if known.complete or not complete else None

    def _check_width(self, spreadsheet_id: str, sheet: Sheet) -> None:
        col_count = self.worksheets(spreadsheet_id)[sheet.name].cols
        if col_count < len(sheet.columns):
            raise ConfigurationError(
                f"Lembar {sheet.name} di Google Sheets punya {col_count} kolom, skema {len(sheet.columns)}: jalankan "
                "`python -m functions init` untuk menambah kolom yang baru."
            )

    def _keep(self, spreadsheet_id: str, sheet: Sheet, rows: list[Row | None], complete: bool) -> Table:
        grid = self.worksheets(spreadsheet_id)[sheet.name]
        table = Table(sheet, spreadsheet_id, grid.sheet_id, grid.rows, rows, self.clock(), self.generation, complete)
        self._tables[(spreadsheet_id, sheet.name)] = table
        return table

    def with_full_rows(self, table: Table, indexes: Sequence[int]) -> Table:
        """A table whose rows at ``indexes`` are whole: a keys-only table gets them in one values.batchGet (or,
        for many, is read whole)."""
        missing = [] if table.complete else sorted(set(indexes))
        if len(missing) > 100:
            self.forget(table)
            return self.must_table(table.spreadsheet_id, table.sheet)
        if missing:
            ranges = [a1(table.title, i + 2, i + 2, table.width) for i in missing]
            for i, values in zip(missing, self.api.batch_values(table.spreadsheet_id, ranges), strict=True):
                table.rows[i] = from_cells(table.sheet, [None if c == "" else c for c in (values or [[]])[0]])
        return table

    def must_table(self, spreadsheet_id: str, sheet: Sheet, keys_only: bool = False) -> Table:
        table = self.table(spreadsheet_id, sheet, create=True, keys_only=keys_only)
        assert table is not None  # created when missing
        return table

    def forget(self, table: Table) -> None:
        """Drop a table whose copy may no longer match the sheet: it is read again when next used."""
        self._tables.pop((table.spreadsheet_id, table.sheet.name), None)

    def forget_spreadsheet(self, spreadsheet_id: str) -> None:
        """Drop every table of a spreadsheet (after writes whose outcome the tables may not match)."""
        for key in [k for k in self._tables if k[0] == spreadsheet_id]:
            del self._tables[key]

    def wrote(self, table: Table) -> None:
        """Keep the metadata in step with a write the table has recorded."""
        sheets = self._worksheets.get(table.spreadsheet_id)
        if sheets is not None:
            sheets[table.sheet.name] = sheets[table.sheet.name]._replace(rows=table.row_count)

    def append_rows(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """One values.append after the table (explicit range ``'Sheet'!A1:<last>1``, RAW, INSERT_ROWS; OVERWRITE
        into the formatted rows under the header while the sheet is empty). After an unclear answer the sheet is
        read again and only the rows still missing, by key, are appended."""
        key = table.sheet.column(table.sheet.key)
        for attempt in range(1, PLANS + 1):
            insert = bool(table.rows)
            cells = [to_cells(table.sheet, r) for r in rows]
            try:
                answer = self.api.append(table.spreadsheet_id, a1(table.title, 1, 1, table.width), cells, insert)
            except AmbiguousWrite:
                self.forget(table)
                if attempt == PLANS:
                    raise
                table = self.must_table(table.spreadsheet_id, table.sheet, keys_only=True)
                present = table.key_cells()
                rows = [r for r in rows if cell(key, r.get(key.key)) not in present]
                if not rows:
                    return
                continue
            except Exception:
                self.forget(table)
                raise
            first = _UPDATED_ROW.search(str(answer.get("updates", {}).get("updatedRange", "")))
            table.row_count = (
                table.row_count + len(rows) if insert else max(table.row_count, len(table.rows) + 1 + len(rows))
            )
            if first and int(first.group(1)) == len(table.rows) + 2:
                table.rows.extend(dict(r) for r in rows)
                self.wrote(table)
            else:  # the rows landed elsewhere (a person left a gap under the table): read it again next time
                self.forget(table)
            return

    def add_worksheets(self, spreadsheet_id: str, sheets: Sequence[Sheet]) -> list[str]:
        """Add the missing worksheets, headed and formatted, in one request; returns their names."""
        existing = self.worksheets(spreadsheet_id)
        taken = {grid.sheet_id for grid in existing.values()}
        requests: list[dict[str, Any]] = []
        made: dict[str, Grid] = {}
        for sheet in sheets:
            if sheet.name in existing:
                continue
            sheet_id = sheet_id_for(sheet.name, taken)
            taken.add(sheet_id)
            made[sheet.name] = Grid(sheet_id, NEW_ROWS, len(sheet.columns))
            requests += [
                add_sheet(sheet, sheet_id),
                *requests_for(sheet, sheet.kind, Current.blank(sheet_id, len(sheet.columns))),
            ]
        if not requests:
            return []
        try:
            self.api.batch_update(spreadsheet_id, requests, safe=False)
        except AmbiguousWrite:
            self.forget_worksheets(spreadsheet_id)
            if any(name not in self.worksheets(spreadsheet_id) for name in made):
                raise
        else:
            existing.update(made)  # no need to ask for what was just made
        return list(made)

    # -- places ------------------------------------------------------------------------------------------------

    def admin(self) -> str:
        if not self.admin_id:
            raise ConfigurationError(
                "KINERJA_SHEETS_ADMIN_ID belum disetel: jalankan `python -m functions init` untuk membuat spreadsheet "
                "admin, lalu setel ID yang dicetaknya."
            )
        return self.admin_id

    def registry(self, force: bool = False) -> Registry:
        """The registry as read this job (``force``: read it again now)."""
        if force:
            self._tables.pop((self.admin(), REGISTRY.name), None)
            self._forced_registry = self.generation
        registry = Registry.from_rows(self.must_table(self.admin(), REGISTRY).rows)
        for place, spreadsheet_id in registry.entries.items():
            self._places.setdefault(place, spreadsheet_id)
        return registry

    def place_id(self, place: Place, create: bool = False) -> str | None:
        """The spreadsheet of a place: from the registry; created and registered when missing and ``create``."""
        if place.role == ADMIN:
            return self.admin()
        if place not in self._places:
            self.registry()
        if place not in self._places and (create or self._forced_registry != self.generation):
            self.registry(force=True)
        if place not in self._places and create:
            self._create(place)
        return self._places.get(place)

    def _create(self, place: Place) -> None:
        """Make the place's spreadsheet and register it at once (so a failure later leaves nothing unknown; missing
        worksheets are added when first written), then give it its worksheets."""
        spreadsheet_id = self.api.create(place.title, self.folder_id)
        now = datetime.now(self.tz).replace(microsecond=0)
        self.append_rows(self.must_table(self.admin(), REGISTRY), [registry_row(place, spreadsheet_id, now)])
        self.registry(force=True)
        if self._places.get(place, spreadsheet_id) != spreadsheet_id:
            log.info("%s was created twice at once; keeping the one registered first", place.title)
            try:
                self.api.delete_file(spreadsheet_id)
            except Exception:
                log.warning("could not delete the duplicate of %s (%s)", place.title, spreadsheet_id)
            return
        requests: list[dict[str, Any]] = []
        made: dict[str, Grid] = {}
        for index, sheet in enumerate(self.layout.sheets_in(place)):
            sheet_id = sheet_id_for(sheet.name, {0, *(grid.sheet_id for grid in made.values())})
            made[sheet.name] = Grid(sheet_id, NEW_ROWS, len(sheet.columns))
            requests += [
                add_sheet(sheet, sheet_id, index),
                *requests_for(sheet, sheet.kind, Current.blank(sheet_id, len(sheet.columns))),
            ]
        requests.append({"deleteSheet": {"sheetId": 0}})  # the "Sheet1" every new spreadsheet starts with
        self.api.batch_update(spreadsheet_id, requests, safe=False)
        self._worksheets[spreadsheet_id] = made
        log.info("created %s", place.title)

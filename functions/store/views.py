"""Per-OPD view spreadsheets: which OPD a unit belongs to, and who may read the OPD's view.

A view holds one top-level OPD's rows (its own and its sub-units') of every derived sheet with a unit column, so
supervisors read their unit's scores without seeing another unit's. The store writes a view whenever it replaces
a period of a derived sheet (:class:`ViewWriter`); ``init`` creates the views and shares each, read-only, with the
OPD's supervisors. A unit missing from the Unit sheet belongs to no view.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from functions.schema import Sheet
from functions.store.layout import VIEW, Place

if TYPE_CHECKING:
    from functions.store.catalog import Catalog
    from functions.store.sheets_api import SheetsApi
    from functions.store.tables import Table

log = logging.getLogger(__name__)


def top_units(units: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Each unit code -> the code of its top-level OPD (the ancestor without a parent); cycles end where they
    loop, a parent missing from the sheet counts as the top."""
    parent = {str(u["kode"]): str(u.get("induk") or "") for u in units if u.get("kode")}
    out: dict[str, str] = {}
    for code in parent:
        seen = {code}
        top = code
        while parent.get(top) and parent[top] in parent and parent[top] not in seen:
            top = parent[top]
            seen.add(top)
        out[code] = top
    return out


def opds(units: Iterable[Mapping[str, Any]]) -> list[str]:
    """Codes of the top-level OPD, sorted: the units that get a view."""
    return sorted(set(top_units(units).values()))


def readers(opd: str, units: Iterable[Mapping[str, Any]], employees: Iterable[Mapping[str, Any]]) -> list[str]:
    """Email addresses of the OPD's supervisors: heads of its units and everyone some active employee of it
    reports to; only active people with an email."""
    unit_list = list(units)
    tops = top_units(unit_list)
    members = {code for code, top in tops.items() if top == opd}
    people = {str(p["nip"]): p for p in employees if p.get("nip")}
    nips = {str(u["nip_kepala"]) for u in unit_list if u.get("kode") in members and u.get("nip_kepala")}
    nips |= {
        str(p["nip_atasan"])
        for p in people.values()
        if p.get("unit") in members and p.get("nip_atasan") and p.get("aktif") is not False
    }
    emails = {
        str(people[n]["email"]).lower()
        for n in nips
        if n in people and people[n].get("email") and people[n].get("aktif") is not False
    }
    return sorted(emails)


_Held = dict[str, tuple[dict[str, "Table"], list[dict[str, Any]]]]  # view id -> (its tables, held requests)


class ViewWriter:
    """Writes the OPD views when the store replaces a period of a derived sheet: each affected view (the OPDs of
    the period's old and new rows) gets the OPD's rows of the period, one request per view; or, inside
    :meth:`batched`, one request per view for the whole job. Batching belongs to the thread that opened it: a web
    request served next to a scheduled job writes its views at once, as outside a job."""

    def __init__(self, catalog: Catalog, api: SheetsApi) -> None:
        self.catalog = catalog
        self.api = api
        self._local = threading.local()

    @property
    def _held(self) -> _Held | None:
        held: _Held | None = getattr(self._local, "held", None)
        return held

    def write(
        self,
        sheet: Sheet,
        period: Any,
        old: Sequence[Mapping[str, Any]],
        new: Sequence[dict[str, Any]],
        units: Iterable[Mapping[str, Any]],
        rewrite: Callable[[Table, Any, Sequence[dict[str, Any]]], None],
    ) -> None:
        """Called with the store's lock held."""
        tops = top_units(units)
        unit_col = sheet.unit_column or ""
        affected: dict[str, list[dict[str, Any]]] = {}
        for row in [*old, *new]:
            opd = tops.get(str(row.get(unit_col)))
            if opd:
                affected.setdefault(opd, [])
        for row in new:
            opd = tops.get(str(row.get(unit_col)))
            if opd:
                affected[opd].append(row)
        held = self._held
        for opd, rows in sorted(affected.items()):
            spreadsheet_id = self.catalog.place_id(Place(VIEW, opd))
            if spreadsheet_id is None:
                log.warning("no view spreadsheet for %s yet: run `python -m functions init`", opd)
                continue
            if held is None:
                rewrite(self.catalog.must_table(spreadsheet_id, sheet), period, rows)
                continue
            tables, requests = held.setdefault(spreadsheet_id, ({}, []))
            if sheet.name not in tables:  # first touch in this job: the view's derived sheets in one read
                self.catalog.prefetch(spreadsheet_id, self.catalog.layout.sheets_in(Place(VIEW, opd)))
                tables[sheet.name] = self.catalog.must_table(spreadsheet_id, sheet)
            # Always the job's own copy: each held request is computed on the ones before, whatever else happens
            # to the catalog meanwhile (another thread's begin_job).
            requests.extend(tables[sheet.name].replace_period(period, rows))

    @contextmanager
    def batched(self, lock: threading.RLock) -> Iterator[None]:
        """Hold this thread's view writes made inside and send them at the end (the weekly job replaces 4 to 8
        periods; a city has ~50 OPD: ~50 requests instead of ~400). Each view table is read once and kept by the
        batch, so each held request is computed on the one before. If the job
        fails, the held writes are dropped; running it again heals the views. Nested, the outer one sends."""
        if self._held is not None:
            yield
            return
        held: _Held = {}
        self._local.held = held
        try:
            yield
            with lock:
                for spreadsheet_id, (tables, requests) in held.items():
                    if not requests:
                        continue
                    try:
                        self.api.batch_update(spreadsheet_id, requests, safe=True)  # appendDimension, updateCells
                    except Exception:
                        self.catalog.forget_worksheets(spreadsheet_id)  # its row counts are unknown now
                        raise
                    for table in tables.values():
                        self.catalog.wrote(table)  # keep the metadata's row counts in step with the write
        finally:
            self._local.held = None
            with lock:
                for spreadsheet_id in held:  # read again when next used
                    self.catalog.forget_spreadsheet(spreadsheet_id)

"""The operator command ``init``: create (or find) the spreadsheets on Google and give every sheet its look.

``python -m functions init`` (with ``KINERJA_STORE=gsheets``), run once when setting up and again whenever the
schema, the units or the supervisors change; running it twice changes nothing. It

1. finds the admin spreadsheet (``KINERJA_SHEETS_ADMIN_ID``), or makes one and prints the id to set;
2. makes, or finds in the registry, the fixed spreadsheets (Masukan, Kontak Pelapor), this month's intake and
   derived spreadsheets, and a view spreadsheet per top-level OPD of the Unit sheet;
3. adds missing worksheets and brings every worksheet to the look of :mod:`functions.store.sheet_format` (header
   row frozen and bold, widths, dropdowns, protection, predikat colours): one read and at most one write per
   spreadsheet;
4. shares each view, read-only, with its OPD's supervisors, and takes back access from readers who no longer are
   (without Drive's notification email); removes any access to the contact spreadsheet other than the owner's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from functions.errors import ConfigurationError
from functions.schema import Sheet
from functions.store import Store
from functions.store import views as opd_views
from functions.store.gsheets import GSheetsStore
from functions.store.layout import ADMIN, CONTACT, DERIVED, INTAKE, VIEW, Place
from functions.store.sheet_format import STATE_FIELDS, current_from, requests_for
from functions.store.tables import quoted


@dataclass
class InitReport:
    spreadsheets: list[tuple[str, str]] = field(default_factory=list)  # (title, id)
    admin_created: bool = False
    changes: list[str] = field(default_factory=list)  # "<title>: <n> perubahan"
    shared: list[str] = field(default_factory=list)
    unshared: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{title}: {spreadsheet_id}" for title, spreadsheet_id in self.spreadsheets]
        out += self.changes or ["Semua lembar sudah sesuai skema; tidak ada yang diubah."]
        out += [f"dibagikan (baca saja): {who}" for who in self.shared]
        out += [f"akses dicabut: {who}" for who in self.unshared]
        return out


PATIENCE = 90.0  # seconds a request of init may wait: past a quota minute (a city has ~70 spreadsheets)


def init(store: Store, month: str | None = None, share: bool = True) -> InitReport:
    """Create and format the spreadsheets of ``month`` (``YYYY-MM``, default this month) and the views."""
    if not isinstance(store, GSheetsStore):
        raise ConfigurationError("`init` menyiapkan Google Sheets: setel KINERJA_STORE=gsheets lebih dahulu.")
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ConfigurationError(f"Bulan ditulis TTTT-BB, mis. 2026-11, bukan {month!r}.")
    with store.job_session(PATIENCE):  # a long operator job, as a scheduled one: may wait out the quota
        return _init(store, month, share)


def _init(store: GSheetsStore, month: str | None, share: bool) -> InitReport:
    report = InitReport()
    month = month or datetime.now(store.catalog.tz).strftime("%Y-%m")
    if not store.catalog.admin_id:
        store.catalog.admin_id = _find_or_create_admin(store, report)
    places = [Place(ADMIN), Place(INTAKE), Place(CONTACT), Place(DERIVED, month), Place(INTAKE, month)]
    places += [Place(INTAKE, f"{month}.{n}") for n in range(1, max(store.layout.shards.values(), default=1) + 1)]
    for place in places:
        _prepare(store, place, report)
    units = store.records("Unit")  # the admin spreadsheet is in shape now: its units decide the views
    views = [Place(VIEW, code) for code in opd_views.opds(units)]
    for place in views:
        _prepare(store, place, report)
    places += views
    if share:
        employees = store.records("Pegawai")
        for place in places:
            spreadsheet_id = store.catalog.place_id(place) or ""
            if not spreadsheet_id:
                continue
            if place.role == VIEW:
                wanted = opd_views.readers(place.key, units, employees)
                _share(store, spreadsheet_id, place.title, wanted, report)
            elif place.role == CONTACT:
                _share(store, spreadsheet_id, place.title, [], report, keep_writers=False)
    return report


def _prepare(store: GSheetsStore, place: Place, report: InitReport) -> None:
    sheets = store.layout.sheets_in(place)
    if not sheets:
        return
    spreadsheet_id = store.catalog.place_id(place, create=True) or ""
    report.spreadsheets.append((place.title, spreadsheet_id))
    changed = format_spreadsheet(store, spreadsheet_id, sheets)
    if changed:
        report.changes.append(f"{place.title}: {changed} perubahan")


def _find_or_create_admin(store: GSheetsStore, report: InitReport) -> str:
    title = Place(ADMIN).title
    found = store.api.find(title)
    if len(found) > 1:
        raise ConfigurationError(
            f"Ada {len(found)} spreadsheet berjudul {title!r}; setel KINERJA_SHEETS_ADMIN_ID ke salah satunya."
        )
    if found:
        return found[0]
    report.admin_created = True
    return store.api.create(title, store.catalog.folder_id)


def format_spreadsheet(store: GSheetsStore, spreadsheet_id: str, sheets: Sequence[Sheet]) -> int:
    """Add missing worksheets and bring the others to their look; returns the number of requests sent."""
    catalog = store.catalog
    added = catalog.add_worksheets(spreadsheet_id, sheets)
    existing = [s for s in sheets if s.name not in added]
    if not existing:
        return len(added)
    ranges = [f"{quoted(s.name)}!1:2" for s in existing]
    state = store.api.state(spreadsheet_id, ranges, STATE_FIELDS)
    resources = {item["properties"]["title"]: item for item in state.get("sheets", [])}
    requests = []
    for sheet in existing:
        requests += requests_for(sheet, sheet.kind, current_from(resources[sheet.name]))
    if requests:
        store.api.batch_update(spreadsheet_id, requests, safe=False)
        catalog.forget_worksheets(spreadsheet_id)
    return len(added) + len(requests)


def _share(
    store: GSheetsStore,
    spreadsheet_id: str,
    title: str,
    wanted: Sequence[str],
    report: InitReport,
    keep_writers: bool = True,
) -> None:
    """Readers become exactly ``wanted``; the owner and (unless ``keep_writers`` is false) writers stay. Inherited
    permissions (a shared drive's members) and service accounts (the store's own) are left alone."""
    wanted_set = {w.lower() for w in wanted}
    have: dict[str, str] = {}
    for permission in store.api.permissions(spreadsheet_id):
        email = str(permission.get("emailAddress", "")).lower()
        if permission.get("role") == "owner" or _inherited(permission) or email.endswith(".gserviceaccount.com"):
            continue
        if permission.get("role") == "reader" and permission.get("type") == "user" and email in wanted_set:
            have[email] = permission["id"]
        elif permission.get("role") == "reader" or not keep_writers:
            store.api.unshare(spreadsheet_id, permission["id"])
            report.unshared.append(f"{title}: {email or permission.get('type')}")
    for email in sorted(wanted_set - set(have)):
        store.api.share(spreadsheet_id, email, "reader")
        report.shared.append(f"{title}: {email}")


def _inherited(permission: dict[str, Any]) -> bool:
    details = permission.get("permissionDetails")
    return isinstance(details, list) and bool(details) and all(d.get("inherited") for d in details)


def run(store: Store, month: str | None = None, share: bool = True, out: Callable[[str], None] = print) -> int:
    """The CLI command: initialise and print what was done."""
    report = init(store, month, share)
    for line in report.lines():
        out(line)
    if report.admin_created and isinstance(store, GSheetsStore):
        out(f"Spreadsheet admin baru dibuat. Setel KINERJA_SHEETS_ADMIN_ID={store.catalog.admin_id}")
    return 0

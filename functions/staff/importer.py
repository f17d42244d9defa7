"""Importing master data (Unit, Pegawai, Target, Layanan, HariLibur) from CSV or XLSX: the CLI's ``import`` and the
operator console's "Impor data".

``preview`` reads nothing but its tables and the store, writes nothing, and says of every row of the file whether it
would be new, changed (which columns, old -> new), unchanged, or refused (why). ``apply`` writes a preview that has
no problem, all sheets in one write. A file with any problem changes nothing; importing the same file again changes
nothing. Reading the files is ``import_reading``, the checks are ``import_checks``.

A preview's ``fingerprint`` digests every row's fate and change: the console shows a preview, keeps its fingerprint
(signed) beside the file, and at confirm time previews again and applies only when the fingerprint is the same, so
what is written is what the operator saw.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from functions import schema
from functions.errors import BadRequest
from functions.schema import Column, Sheet
from functions.staff import import_checks
from functions.staff.import_checks import Problem
from functions.staff.import_reading import SHEET_LIST, SHEETS, add, read_bytes, read_tables, sheet_named
from functions.store import Row, Store, UpsertResult

__all__ = [
    "SHEETS",
    "ImportReport",
    "Preview",
    "apply",
    "import_files",
    "import_master",
    "preview",
    "preview_upload",
    "read_tables",
]
MAX_SHOWN = 50
NEW, CHANGED, UNCHANGED, REFUSED = "baru", "diubah", "tetap", "ditolak"
STATUSES = (NEW, CHANGED, UNCHANGED, REFUSED)
EMPTY = "(kosong)"


@dataclass(frozen=True)
class ImportReport:
    errors: list[str]
    results: dict[str, UpsertResult] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            lines = [f"Impor dibatalkan, tidak ada data yang diubah. Perbaiki {len(self.errors)} kesalahan berikut:"]
            lines += [f"- {line}" for line in self.errors[:MAX_SHOWN]]
            if len(self.errors) > MAX_SHOWN:
                lines.append(f"... dan {len(self.errors) - MAX_SHOWN} kesalahan lainnya.")
            return "\n".join(lines)
        if not self.results:
            return "Tidak ada baris untuk diimpor."
        return "\n".join(
            f"{name}: {r.inserted} baru, {r.updated} diubah, {r.unchanged} tetap" for name, r in self.results.items()
        )


@dataclass(frozen=True)
class Change:
    column: str  # the Indonesian header
    old: str
    new: str


@dataclass(frozen=True)
class RowPlan:
    """What importing one row of the file would do."""

    number: int  # the row in the file, the header being row 1
    key: str  # the row's key as a cell shows it (NIP, Kode Unit, ...); empty when it cannot be read
    status: str  # NEW, CHANGED, UNCHANGED or REFUSED
    changes: tuple[Change, ...] = ()
    reasons: tuple[str, ...] = ()
    label: str = ""  # what a person recognises the row by (a name), not part of the fingerprint


@dataclass(frozen=True)
class SheetPlan:
    name: str
    key_header: str
    label_header: str
    rows: tuple[RowPlan, ...]
    notes: tuple[str, ...] = ()  # problems of the sheet as a whole (a column nobody knows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def of(self, status: str) -> list[RowPlan]:
        return [row for row in self.rows if row.status == status]


@dataclass(frozen=True)
class Preview:
    sheets: dict[str, SheetPlan]
    problems: tuple[Problem, ...]
    batches: dict[str, list[Row]] = field(default_factory=dict, compare=False)  # every valid row, for the write

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def errors(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    @property
    def notes(self) -> list[str]:
        """Problems of no sheet (a file that cannot be read, a sheet that is no master data)."""
        return [str(problem) for problem in self.problems if problem.sheet is None]

    def count(self, status: str) -> int:
        return sum(plan.count(status) for plan in self.sheets.values())

    @property
    def pending(self) -> int:
        """Rows a confirm would write (new or changed)."""
        return self.count(NEW) + self.count(CHANGED)

    @property
    def fingerprint(self) -> str:
        """A digest of every row's fate and change, and every problem: equal fingerprints, equal writes."""
        plans = {
            name: [[r.number, r.key, r.status, [[c.column, c.old, c.new] for c in r.changes]] for r in plan.rows]
            for name, plan in self.sheets.items()
        }
        text = json.dumps([plans, self.errors], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def preview(store: Store, tables: Mapping[str, list[dict[str, Any]]], units: Collection[str] | None = None) -> Preview:
    """Check every row of every table against the store (and the operator's ``units``; None for the whole city)
    and say what importing them would do. Writes nothing."""
    problems: list[Problem] = []
    given: dict[str, list[Row]] = {}
    for name, rows in tables.items():
        if (canonical := sheet_named(name)) is None:
            problems.append(
                Problem(None, (), "", f"Lembar {name} tidak dapat diimpor; yang dapat diimpor hanya {SHEET_LIST}.")
            )
        else:
            given[canonical] = list(rows)
    stored = {name: {r[schema.sheet(name).key]: r for r in store.records(name)} for name in SHEETS}
    checked = {
        name: import_checks.check_rows(schema.sheet(name), given[name], stored[name], problems)
        for name in SHEETS
        if name in given
    }
    import_checks.check_references(checked, stored, problems)
    import_checks.check_bobot(checked.get("Target", []), stored["Target"], problems)
    import_checks.check_scope(checked, stored, units, problems)
    sheets = {name: _plan(schema.sheet(name), rows, stored[name], problems) for name, rows in checked.items()}
    batches = {name: [row for _, row in rows] for name, rows in checked.items()}
    return Preview(sheets=sheets, problems=tuple(problems), batches=batches)


def preview_upload(
    store: Store, filename: str, data: bytes, sheet_name: str | None, units: Collection[str] | None, *, choice: str
) -> Preview:
    """``preview`` of one uploaded file; a file that cannot be read is a preview with that one problem."""
    try:
        tables = read_bytes(filename, data, sheet_name, choice=choice)
    except BadRequest as err:
        return Preview(sheets={}, problems=(Problem(None, (), "", err.message),))
    return preview(store, tables, units)


def apply(store: Store, plan: Preview) -> dict[str, UpsertResult]:
    """Write a preview without problems: every sheet in one all-or-nothing write."""
    if not plan.ok:
        raise BadRequest("Berkas ini masih berisi baris yang ditolak; perbaiki dulu, lalu impor lagi.")
    batches = {name: rows for name, rows in plan.batches.items() if rows}
    written = store.upsert_many(batches) if batches else {}
    return {name: written.get(name, UpsertResult(0, 0, 0)) for name in plan.batches}


def import_master(store: Store, tables: Mapping[str, list[dict[str, Any]]]) -> ImportReport:
    """Check every row of every table, then upsert them in one all-or-nothing write."""
    plan = preview(store, tables)
    if not plan.ok:
        return ImportReport(errors=plan.errors)
    return ImportReport(errors=[], results=apply(store, plan))


def import_files(store: Store, paths: Sequence[Path], sheet_name: str | None = None) -> ImportReport:
    """Read the files and import them; a file that cannot be read becomes an error line, never a traceback."""
    tables: dict[str, list[Row]] = {}
    errors = []
    for path in paths:
        try:
            add(tables, read_tables([path], sheet_name), Path(path).name)
        except BadRequest as err:
            errors.append(err.message)
    return ImportReport(errors=errors) if errors else import_master(store, tables)


def _plan(sheet: Sheet, rows: list[tuple[int, Row]], stored: dict[Any, Row], problems: list[Problem]) -> SheetPlan:
    reasons: dict[int, list[str]] = {}
    notes = []
    for problem in problems:
        if problem.sheet != sheet.name:
            continue
        if not problem.rows:
            notes.append(problem.reason)
        for number in problem.rows:
            reasons.setdefault(number, []).append(problem.reason)
    key_col = sheet.column(sheet.key)
    label_col = next(c for c in sheet.columns if c.required and c.type in ("string", "text") and c.key != sheet.key)
    plans = []
    for number, row in rows:
        key, old = row.get(sheet.key), stored.get(row.get(sheet.key))
        shown = "" if key is None else _shown(key_col, key)
        label = str(row.get(label_col.key) or "")
        if number in reasons:
            plans.append(RowPlan(number, shown, REFUSED, reasons=tuple(reasons[number]), label=label))
        elif old is None:
            plans.append(RowPlan(number, shown, NEW, label=label))
        else:
            changes = tuple(
                Change(col.header, _shown(col, old.get(col.key)), _shown(col, row.get(col.key)))
                for col in sheet.columns
                if _cell(col, old.get(col.key)) != _cell(col, row.get(col.key))
            )
            plans.append(RowPlan(number, shown, CHANGED if changes else UNCHANGED, changes=changes, label=label))
    return SheetPlan(sheet.name, key_col.header, label_col.header, tuple(plans), tuple(notes))


def _cell(col: Column, value: Any) -> Any:
    """The value as the store compares it (``Column.to_cell``); a stored value that does not fit, as text."""
    try:
        return col.to_cell(value)
    except (AttributeError, TypeError, ValueError):
        return str(value)


def _shown(col: Column, value: Any) -> str:
    cell = _cell(col, value)
    if cell is None or cell == "":
        return EMPTY
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else str(cell).replace(".", ",")  # as typed in Indonesia
    return str(cell)

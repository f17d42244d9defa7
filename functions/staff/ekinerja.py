"""Importing an SKP as e-Kinerja BKN holds it (the console's "Impor data", kind "SKP e-Kinerja").

An operator downloads a person's or a unit's SKP from e-Kinerja or SIASN as CSV or XLSX: one row per RHK
indicator, with the RHK (Utama or Tambahan), the supervisor's RHK it supports (intervensi), the indicator, its
yearly target and its target for each quarter (triwulan). README "Design considerations", "e-Kinerja BKN", says
which fields are documented and what is assumed. The headers are matched by their Indonesian names in the spellings
listed in ``HEADERS`` (case, spaces and punctuation ignored); other columns of the export (No, Nama, Jabatan,
Realisasi, ...) are ignored. Title lines above the header row are skipped: the header row is the first that names
NIP and the RHK.

Each row becomes one Target row, then goes through the master-data import (``importer.preview``): the same checks,
preview, fingerprint and all-or-nothing write. The id is derived from NIP, year, RHK and indicator
(``target_id``), so importing the same export again changes nothing and a changed target updates its row. Bobot: an
export without a Bobot column (PermenPANRB 6/2022 gives RHK no weights) shares 100 equally among a person's RHK
Utama indicators of the year; Tambahan indicators weigh 0 (they can only add to a rating, never carry it). The yearly
Target, when the export has none, is the sum of the quarters. A refused row names the export's own column header.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from functions import schema
from functions.errors import BadRequest
from functions.staff import importer
from functions.staff.import_checks import Problem
from functions.staff.import_reading import blank, read_grid
from functions.store import Row, Store

KIND = "SKP e-Kinerja"  # the import kind as the console's form names it
SHEET = "Target"
# Target column key: the export's headers that hold it, the first as the message names it when missing
HEADERS: dict[str, tuple[str, ...]] = {
    "nip": ("NIP", "NIP Pegawai", "NIP Baru"),
    "tahun": ("Tahun", "Tahun SKP", "Periode SKP", "Tahun Penilaian"),
    "jenis": ("Jenis RHK", "Jenis Rencana Hasil Kerja", "Jenis Hasil Kerja", "Jenis"),
    "rhk_atasan": (
        "RHK Atasan yang Diintervensi",
        "Rencana Hasil Kerja Pimpinan yang Diintervensi",
        "Rencana Hasil Kerja Atasan yang Diintervensi",
        "RHK Atasan",
        "Intervensi RHK Atasan",
    ),
    "rencana_hasil_kerja": ("Rencana Hasil Kerja", "RHK"),
    "indikator": ("Indikator Kinerja Individu", "Indikator Kinerja", "Indikator", "IKI"),
    "target": ("Target Tahunan", "Target"),
    "satuan": ("Satuan", "Satuan Target"),
    "target_tw1": ("Target TW I", "Target Triwulan I", "TW I", "Triwulan I", "Target TW 1", "TW 1"),
    "target_tw2": ("Target TW II", "Target Triwulan II", "TW II", "Triwulan II", "Target TW 2", "TW 2"),
    "target_tw3": ("Target TW III", "Target Triwulan III", "TW III", "Triwulan III", "Target TW 3", "TW 3"),
    "target_tw4": ("Target TW IV", "Target Triwulan IV", "TW IV", "Triwulan IV", "Target TW 4", "TW 4"),
    "bobot": ("Bobot", "Bobot (%)"),
}
REQUIRED = ("nip", "tahun", "rencana_hasil_kerja", "indikator", "satuan")
QUARTERS = ("target_tw1", "target_tw2", "target_tw3", "target_tw4")
ID_DIGITS = 10  # hex digits of the RHK-and-indicator digest in an id: NIP-2026-3f2a9c01de


def preview_upload(store: Store, filename: str, data: bytes, units: Collection[str] | None) -> importer.Preview:
    """``importer.preview`` of an e-Kinerja SKP export; a file that cannot be read is a preview with that problem."""
    try:
        rows, headers = read_export(filename, data)
    except BadRequest as err:
        return importer.Preview(sheets={}, problems=(Problem(None, (), "", err.message),))
    plan = importer.preview(store, {SHEET: rows}, units)
    problems = tuple(_named(p, headers) for p in plan.problems)
    sheets = {name: _renamed(sheet, problems) for name, sheet in plan.sheets.items()}
    return importer.Preview(sheets=sheets, problems=problems, batches=plan.batches)


def read_export(filename: str, data: bytes) -> tuple[list[Row], dict[str, str]]:
    """Target rows (keyed by column key, one per line of the file after the header, blank lines kept so that row
    numbers stay right) and, per Target header, the export's header it came from."""
    grid = read_grid(filename, data)
    at = next((i for i, cells in enumerate(grid) if _header_row(cells)), None)
    if at is None:
        wanted = ", ".join(HEADERS[key][0] for key in REQUIRED)
        raise BadRequest(
            f"{filename}: tidak ditemukan baris judul kolom ekspor SKP e-Kinerja; berkas harus punya kolom {wanted}."
        )
    columns = _columns(grid[at])
    missing = [HEADERS[key][0] for key in REQUIRED if key not in columns]
    if "target" not in columns and not any(q in columns for q in QUARTERS):
        missing.append("Target Tahunan atau Target TW I-IV")
    if missing:
        raise BadRequest(f"{filename}: kolom {', '.join(missing)} tidak ada di baris judul (baris {at + 1}).")
    spec = schema.sheet(SHEET)
    headers = {spec.column(key).header: str(grid[at][index]).strip() for key, index in columns.items()}
    # importer numbers the first data row 2: blank rows stand in for the title lines above the header
    rows: list[Row] = [{} for _ in range(at)]
    rows += [_row(cells, columns) for cells in grid[at + 1 :]]
    _share_bobot(rows, has_bobot="bobot" in columns)
    return rows, headers


def target_id(nip: Any, tahun: Any, rhk: Any, indikator: Any) -> str:
    """The Target id of an e-Kinerja indicator: NIP, year, and a digest of the RHK and indicator texts as written
    (case and spacing aside), so that the same indicator gets the same id on every import."""
    text = f"{_text(rhk).casefold()}\n{_text(indikator).casefold()}"
    digest = hashlib.sha256(text.encode()).hexdigest()[:ID_DIGITS]
    return f"{_text(nip)[:24]}-{_text(tahun)[:4]}-{digest}"


def _row(cells: list[Any], columns: dict[str, int]) -> Row:
    row: Row = {key: _cell(cells[index]) if index < len(cells) else None for key, index in columns.items()}
    if all(blank(v) for v in row.values()):
        return {key: None for key in row}
    row["jenis"] = _jenis(row.get("jenis"))
    if blank(row.get("target")):
        row["target"] = _sum(row.get(q) for q in QUARTERS)
    row["id"] = target_id(row.get("nip"), row.get("tahun"), row.get("rencana_hasil_kerja"), row.get("indikator"))
    return row


def _cell(value: Any) -> Any:
    """A cell as the sheet takes it: the export's "-" for nothing is a blank."""
    return None if isinstance(value, str) and value.strip() == "-" else value


def _share_bobot(rows: list[Row], *, has_bobot: bool) -> None:
    """Bobot for an export without one: 100 shared equally by each person's Utama indicators of a year."""
    if has_bobot:
        return
    filled = [row for row in rows if row.get("id")]
    utama: dict[tuple[str, str], int] = {}
    for row in filled:
        if row.get("jenis") == "Utama":
            key = (_text(row.get("nip")), _text(row.get("tahun")))
            utama[key] = utama.get(key, 0) + 1
    for row in filled:
        count = utama.get((_text(row.get("nip")), _text(row.get("tahun"))), 0)
        row["bobot"] = 100 / count if row.get("jenis") == "Utama" and count else 0


def _jenis(value: Any) -> Any:
    """ "RHK Utama", "UTAMA", "Hasil Kerja Tambahan" as the sheet's Utama or Tambahan; blank is Utama (e-Kinerja
    lists Utama first and marks only the Tambahan ones in some exports); anything else as written, to be refused."""
    text = _text(value).casefold()
    if not text or "utama" in text:
        return "Utama"
    return "Tambahan" if "tambahan" in text else value


def _sum(values: Any) -> Any:
    """The sum of the quarters given as numbers; None when any is not a number or none is given."""
    total, seen = 0.0, False
    for value in values:
        if blank(value):
            continue
        try:
            total += float(schema.parse_number(str(value))) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            return None
        seen = True
    return total if seen else None


def _header_row(cells: list[Any]) -> bool:
    found = _columns(cells)
    return "nip" in found and "rencana_hasil_kerja" in found


def _columns(cells: list[Any]) -> dict[str, int]:
    """Target column key: index of the export's column holding it (the first such column)."""
    known = {_norm(header): key for key, headers in HEADERS.items() for header in headers}
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = known.get(_norm(cell)) if not blank(cell) else None
        if key is not None and key not in found:
            found[key] = index
    return found


def _named(problem: Problem, headers: dict[str, str]) -> Problem:
    """A problem naming the export's header instead of the Target sheet's."""
    if problem.column in headers:
        return replace(problem, column=headers[problem.column])
    if problem.column == "ID Target":  # the derived id: two rows of one indicator
        twice = re.search(r"sudah ada di baris (\d+)", problem.text)
        text = (
            f"indikator yang sama sudah ada di baris {twice.group(1)}; tulis setiap indikator sekali."
            if twice
            else problem.text
        )
        return replace(problem, column="Rencana Hasil Kerja dan Indikator Kinerja Individu", text=text)
    return problem


def _renamed(sheet: importer.SheetPlan, problems: tuple[Problem, ...]) -> importer.SheetPlan:
    """The sheet's plan with the reasons of refused rows as ``problems`` word them."""
    reasons: dict[int, list[str]] = {}
    for problem in problems:
        for number in problem.rows if problem.sheet == sheet.name else ():
            reasons.setdefault(number, []).append(problem.reason)
    rows = tuple(replace(r, reasons=tuple(reasons.get(r.number, r.reasons))) for r in sheet.rows)
    return replace(sheet, rows=rows)


def _norm(text: Any) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


def _text(value: Any) -> str:
    return "" if value is None else re.sub(r"\s+", " ", str(value)).strip()

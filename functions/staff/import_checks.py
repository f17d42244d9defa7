"""The import's checks: every row by the schema, against the other sheets, the bobot of each SKP, and the units an
operator may change. Each problem names the sheet, the rows as numbered in the file (the header is row 1) and the
column, in Indonesian; nothing here writes.

For a row already stored, a column the file leaves out keeps its stored value, and so does an empty cell of a
column with a default (Aktif, Versi Tautan): an old export must not reactivate anyone or revive revoked links.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from functions import schema
from functions.schema import Sheet
from functions.staff.import_reading import UNTITLED, blank, column_key
from functions.store import Row

SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE]\+?\d+\s*$")
NIP_AS_NUMBER = "NIP tersimpan sebagai angka sehingga digitnya hilang; format kolom sebagai Teks lalu ketik ulang NIP"
# (sheet, column, sheet it refers to, column that must differ from it, message when it does not)
REFERENCES = (
    ("Unit", "induk", "Unit", "kode", "unit induk tidak boleh unit itu sendiri"),
    ("Unit", "nip_kepala", "Pegawai", None, ""),
    ("Pegawai", "unit", "Unit", None, ""),
    ("Pegawai", "nip_atasan", "Pegawai", "nip", "atasan tidak boleh pegawai itu sendiri"),
    ("Target", "nip", "Pegawai", None, ""),
    ("Layanan", "unit", "Unit", None, ""),
)
CITY_WIDE = {"Unit": "unit kerja", "HariLibur": "hari libur"}  # sheets only a city-wide operator imports
Checked = dict[str, list[tuple[int, Row]]]  # sheet: (file row number, parsed row)
Stored = dict[str, dict[Any, Row]]  # sheet: key: stored row


@dataclass(frozen=True)
class Problem:
    """Why a file cannot be imported: where (sheet, file rows, column header) and what to fix."""

    sheet: str | None
    rows: tuple[int, ...]
    column: str
    text: str

    def __str__(self) -> str:
        where = self.sheet or ""
        if self.rows:
            where += " baris " + ", ".join(map(str, self.rows))
        if self.column:
            where += f", kolom {self.column}"
        return f"{where}: {self.text}" if where else self.text

    @property
    def reason(self) -> str:
        """The problem as shown beside its row or sheet."""
        return f"kolom {self.column}: {self.text}" if self.column else self.text


def check_rows(sheet: Sheet, rows: list[Row], stored: dict[Any, Row], problems: list[Problem]) -> list[tuple[int, Row]]:
    """Validate each non-blank row; returns (file row number, parsed row), partial for rows with problems."""
    keys = {name: column_key(sheet, name) for name in dict.fromkeys(name for row in rows for name in row)}
    for name in (n for n, key in keys.items() if key is None):
        if name == UNTITLED:
            problems.append(
                Problem(sheet.name, (), "", "ada isian di kolom tanpa judul; beri judul kolom atau hapus isiannya.")
            )
        else:
            known = ", ".join(sheet.headers)
            problems.append(
                Problem(sheet.name, (), repr(name), f"judul kolom tidak dikenal; gunakan salah satu dari: {known}.")
            )
    key_col = sheet.column(sheet.key)
    first_seen: dict[Any, int] = {}
    checked = []
    for number, raw in enumerate(rows, start=2):
        if all(blank(v) for v in raw.values()):
            continue
        row = {key: v for name, v in raw.items() if (key := keys[name])}
        lossy = {c.key: NIP_AS_NUMBER for c in sheet.columns if c.type == "nip" and _nip_as_number(row.get(c.key))}
        try:
            key = key_col.parse(row.get(sheet.key)) if sheet.key not in lossy else None
        except ValueError:
            key = None  # reported by validate below
        if (old := stored.get(key)) is not None:
            for col in sheet.columns:
                if col.key not in row or (col.default is not None and blank(row[col.key])):
                    row[col.key] = old.get(col.key)
        clean, found = sheet.validate(row)
        for col_key, message in {**found, **lossy}.items():
            clean.pop(col_key, None)
            problems.append(Problem(sheet.name, (number,), sheet.column(col_key).header, message))
        if key is not None and key in first_seen:
            problems.append(
                Problem(
                    sheet.name, (number,), key_col.header,
                    f"{key} sudah ada di baris {first_seen[key]}; setiap {key_col.header} hanya boleh muncul sekali.",
                )
            )  # fmt: skip
        elif key is not None:
            first_seen[key] = number
        checked.append((number, clean))
    return checked


def check_references(checked: Checked, stored: Stored, problems: list[Problem]) -> None:
    keys = {
        name: set(stored[name]) | {row.get(schema.sheet(name).key) for _, row in checked.get(name, [])}
        for name in ("Unit", "Pegawai")
    }
    for name, column, target, own, self_message in REFERENCES:
        header = schema.sheet(name).column(column).header
        for number, row in checked.get(name, []):
            value = row.get(column)
            if value is None:
                continue
            if own is not None and value == row.get(own):
                problems.append(Problem(name, (number,), header, f"{self_message}."))
            elif value not in keys[target]:
                problems.append(
                    Problem(
                        name, (number,), header,
                        f"{value} tidak ada di lembar {target}; tambahkan ke lembar {target} atau perbaiki isiannya.",
                    )
                )  # fmt: skip
    for number, row in checked.get("Pegawai", []):
        old = stored["Pegawai"].get(row.get("nip"))
        new_version, old_version = row.get("versi_tautan"), (old or {}).get("versi_tautan")
        if isinstance(new_version, int) and isinstance(old_version, int) and new_version < old_version:
            problems.append(
                Problem(
                    "Pegawai", (number,), "Versi Tautan",
                    f"tidak boleh lebih kecil dari versi tersimpan ({old_version}), "
                    "karena tautan lama yang sudah dicabut akan berlaku lagi.",
                )
            )  # fmt: skip


def check_bobot(targets: list[tuple[int, Row]], stored: dict[Any, Row], problems: list[Problem]) -> None:
    """Per (NIP, tahun) the bobot of the file's rows and the stored rows it does not replace must sum to 100."""
    in_file: dict[tuple[Any, Any], list[Row]] = {}
    mentioned: dict[tuple[Any, Any], set[int]] = {}
    tainted: set[tuple[Any, Any]] = set()
    for number, row in targets:
        group, old = (row.get("nip"), row.get("tahun")), stored.get(row.get("id"))
        groups = {group} | ({(old.get("nip"), old.get("tahun"))} if old else set())  # a target may move
        if None in group or row.get("bobot") is None or row.get("id") is None:
            tainted |= groups  # the row's error is already reported; its sums would only add noise
        in_file.setdefault(group, []).append(row)
        for each in groups:
            mentioned.setdefault(each, set()).add(number)
    replaced = {row.get("id") for _, row in targets}
    kept: dict[tuple[Any, Any], list[Row]] = {}
    for key, row in stored.items():
        if key not in replaced:
            kept.setdefault((row.get("nip"), row.get("tahun")), []).append(row)
    for group, numbers in mentioned.items():
        rows, others = in_file.get(group, []), kept.get(group, [])
        if group in tainted or not (rows or others):
            continue
        total = sum(b for r in rows + others if isinstance(b := r.get("bobot"), (int, float)))
        if abs(total - 100) > 0.01:
            extra = f" (termasuk {len(others)} indikator yang sudah tersimpan)" if others else ""
            problems.append(
                Problem(
                    "Target", tuple(sorted(numbers)), "Bobot (%)",
                    f"jumlah bobot NIP {group[0]} tahun {group[1]} menjadi {total:g}{extra}, harus 100.",
                )
            )  # fmt: skip


def check_scope(checked: Checked, stored: Stored, units: Collection[str] | None, problems: list[Problem]) -> None:
    """An operator of some units (``units``; None for the whole city) imports only their people, their people's
    targets and their units' services, as stored and as in the file; never units, holidays or operator roles."""
    if units is None:
        return
    for name, what in CITY_WIDE.items():
        for number, _ in checked.get(name, []):
            problems.append(
                Problem(
                    name,
                    (number,),
                    "",
                    f"{what} berlaku untuk seluruh kota; hanya Operator BKPP yang dapat mengimpornya.",
                )
            )
    unit_of = {nip: row.get("unit") for nip, row in stored["Pegawai"].items()}
    unit_of |= {row.get("nip"): row.get("unit") for _, row in checked.get("Pegawai", []) if row.get("nip")}
    outside = "di luar OPD Anda; baris ini hanya dapat diimpor oleh Operator BKPP atau operator OPD-nya."
    for number, row in checked.get("Pegawai", []):
        old = stored["Pegawai"].get(row.get("nip")) or {}
        for value in dict.fromkeys((old.get("unit"), row.get("unit"))):
            if value is not None and value not in units:
                problems.append(Problem("Pegawai", (number,), "Kode Unit", f"unit {value} {outside}"))
        if "peran" in row and row["peran"] != old.get("peran"):
            problems.append(
                Problem(
                    "Pegawai", (number,), "Peran Operator", "hanya Operator BKPP yang dapat mengubah peran operator."
                )
            )
    for number, row in checked.get("Target", []):
        old = stored["Target"].get(row.get("id")) or {}
        for nip in dict.fromkeys((old.get("nip"), row.get("nip"))):
            if nip is not None and unit_of.get(nip) is not None and unit_of[nip] not in units:
                problems.append(
                    Problem("Target", (number,), "NIP", f"pegawai {nip} bekerja di unit {unit_of[nip]}, {outside}")
                )
    for number, row in checked.get("Layanan", []):
        old = stored["Layanan"].get(row.get("id")) or {}
        for value in dict.fromkeys((old.get("unit"), row.get("unit"))):
            if value is not None and value not in units:
                problems.append(Problem("Layanan", (number,), "Kode Unit", f"unit {value} {outside}"))


def _nip_as_number(value: Any) -> bool:
    """A NIP that Excel turned into a number loses its last digits (a float holds about 15)."""
    return isinstance(value, float) or (isinstance(value, str) and bool(SCIENTIFIC.match(value)))

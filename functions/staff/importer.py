"""Importing master data (Unit, Pegawai, Target, Layanan, HariLibur) from CSV or XLSX: the import command.

Every row is checked by the schema and against the other sheets (units, supervisors, unit heads, target owners,
the bobot of each SKP) before anything is written. A file with any error changes nothing; importing the same file
again changes nothing. Errors are Indonesian lines naming the sheet, the row as numbered in the file (the header is
row 1) and the column.

For a row already stored, a column the file leaves out keeps its stored value, and so does an empty cell of a
column with a default (Aktif, Versi Tautan): an old export must not reactivate anyone or revive revoked links.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from functions import schema
from functions.errors import BadRequest
from functions.schema import Sheet
from functions.store import Row, Store, UpsertResult

SHEETS = ("Unit", "Pegawai", "Target", "Layanan", "HariLibur")  # also the order of the write
SHEET_LIST = "Unit, Pegawai, Target, Layanan atau HariLibur"
UNTITLED = ""  # the key of cells under an empty header
SCIENTIFIC = re.compile(r"^\s*\d+(?:[.,]\d+)?[eE]\+?\d+\s*$")
NIP_AS_NUMBER = "NIP tersimpan sebagai angka sehingga digitnya hilang; format kolom sebagai Teks lalu ketik ulang NIP"
MAX_SHOWN = 50
# (sheet, column, sheet it refers to, column that must differ from it, message when it does not)
REFERENCES = (
    ("Unit", "induk", "Unit", "kode", "unit induk tidak boleh unit itu sendiri"),
    ("Unit", "nip_kepala", "Pegawai", None, ""),
    ("Pegawai", "unit", "Unit", None, ""),
    ("Pegawai", "nip_atasan", "Pegawai", "nip", "atasan tidak boleh pegawai itu sendiri"),
    ("Target", "nip", "Pegawai", None, ""),
    ("Layanan", "unit", "Unit", None, ""),
)


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


# -- reading -----------------------------------------------------------------------------------------------------


def read_tables(paths: Sequence[Path], sheet_name: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of each master sheet found in the files, keyed by column key (unknown headers kept as written).

    Row i of a list is row i + 2 of its file; blank rows are kept so the numbers stay right. Raises BadRequest,
    in Indonesian, for a file that cannot be read.
    """
    tables: dict[str, list[Row]] = {}
    for path in paths:
        _add(tables, _read_file(Path(path), sheet_name), Path(path))
    return tables


def _add(tables: dict[str, list[Row]], new: dict[str, list[Row]], path: Path) -> None:
    for name, rows in new.items():
        if name in tables:
            raise BadRequest(f"{path.name}: lembar {name} sudah dibaca dari berkas lain; gabungkan jadi satu berkas.")
        tables[name] = rows


def _read_file(path: Path, sheet_name: str | None) -> dict[str, list[Row]]:
    wanted = None
    if sheet_name is not None and (wanted := _sheet_named(sheet_name)) is None:
        raise BadRequest(f"Lembar {sheet_name!r} tidak dapat diimpor; pilih {SHEET_LIST}.")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise BadRequest(
            f"{path.name}: hanya berkas .csv atau .xlsx yang dapat diimpor; "
            "di Excel simpan sebagai 'CSV UTF-8' atau 'Buku Kerja Excel (.xlsx)'."
        )
    if not path.is_file():
        raise BadRequest(f"{path}: berkas tidak ditemukan; periksa nama dan foldernya.")
    if suffix == ".xlsx":
        return {name: _table(schema.sheet(name), rows, path) for name, rows in _xlsx_sheets(path, wanted).items()}
    name = wanted or _sheet_named(path.stem)
    if name is None:
        raise BadRequest(
            f"{path.name}: nama berkas tidak menunjukkan lembarnya; beri nama pegawai.csv, unit.csv atau "
            "target.csv, atau sebutkan lembarnya (--lembar)."
        )
    return {name: _table(schema.sheet(name), _csv_rows(path), path)}


def _csv_rows(path: Path) -> list[list[Any]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadRequest(f"{path.name}: berkas bukan teks UTF-8; di Excel simpan ulang sebagai 'CSV UTF-8'.") from err
    except OSError as err:
        raise BadRequest(f"{path.name}: berkas tidak dapat dibaca ({err.strerror or err}).") from err
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)  # Excel in Indonesia writes ';'; a tie keeps ','
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise BadRequest(f"{path.name}: isi CSV rusak ({err}); simpan ulang dari Excel.") from err


def _xlsx_sheets(path: Path, wanted: str | None) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook  # only the import command needs it

    found: dict[str, list[list[Any]]] = {}
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                name = _sheet_named(ws.title) or (wanted if len(book.worksheets) == 1 else None)
                if name is not None and wanted in (None, name):
                    found[name] = [list(cells) for cells in ws.iter_rows(values_only=True)]
        finally:
            book.close()
    except Exception as err:  # openpyxl raises many kinds of errors for a damaged or foreign file
        raise BadRequest(
            f"{path.name}: bukan buku kerja Excel .xlsx yang valid; buka di Excel lalu simpan ulang sebagai .xlsx."
        ) from err
    if not found:
        raise BadRequest(f"{path.name}: tidak ada lembar kerja bernama {wanted or SHEET_LIST}.")
    return found


def _table(sheet: Sheet, rows: list[list[Any]], path: Path) -> list[Row]:
    if not rows or all(_blank(h) for h in rows[0]):
        raise BadRequest(f"{path.name}: lembar {sheet.name} kosong; baris pertama harus berisi judul kolom.")
    keys: list[str] = []
    for number, header in enumerate(rows[0], start=1):
        text = "" if header is None else str(header).strip()
        key = (_column_key(sheet, text) or text) if text else UNTITLED
        if key != UNTITLED and key in keys:
            raise BadRequest(f"{path.name}: lembar {sheet.name}, kolom ke-{number} ({text}) ganda; hapus salah satu.")
        keys.append(key)
    table = []
    for cells in rows[1:]:
        row: Row = {key: None for key in keys if key != UNTITLED}
        for index, value in enumerate(cells):
            key = keys[index] if index < len(keys) else UNTITLED
            if key != UNTITLED:
                row[key] = value
            elif not _blank(value):
                row[UNTITLED] = value
        table.append(row)
    return table


# -- checking and writing -----------------------------------------------------------------------------------------


def import_master(store: Store, tables: Mapping[str, list[dict[str, Any]]]) -> ImportReport:
    """Check every row of every table, then upsert Unit, Pegawai and Target in one all-or-nothing write."""
    errors: list[str] = []
    given: dict[str, list[Row]] = {}
    for name, rows in tables.items():
        if (canonical := _sheet_named(name)) is None:
            errors.append(f"Lembar {name} tidak dapat diimpor; yang dapat diimpor hanya {SHEET_LIST}.")
        else:
            given[canonical] = list(rows)
    stored = {name: {r[schema.sheet(name).key]: r for r in store.records(name)} for name in SHEETS}
    checked = {
        name: _check_rows(schema.sheet(name), given[name], stored[name], errors) for name in SHEETS if name in given
    }
    _check_references(checked, stored, errors)
    _check_bobot(checked.get("Target", []), stored["Target"], errors)
    if errors:
        return ImportReport(errors=errors)
    batches = {name: [row for _, row in rows] for name, rows in checked.items() if rows}
    written = store.upsert_many(batches) if batches else {}
    return ImportReport(errors=[], results={name: written.get(name, UpsertResult(0, 0, 0)) for name in checked})


def import_files(store: Store, paths: Sequence[Path], sheet_name: str | None = None) -> ImportReport:
    """Read the files and import them; a file that cannot be read becomes an error line, never a traceback."""
    tables: dict[str, list[Row]] = {}
    errors = []
    for path in paths:
        try:
            _add(tables, read_tables([path], sheet_name), Path(path))
        except BadRequest as err:
            errors.append(err.message)
    return ImportReport(errors=errors) if errors else import_master(store, tables)


def _check_rows(sheet: Sheet, rows: list[Row], stored: dict[Any, Row], errors: list[str]) -> list[tuple[int, Row]]:
    """Validate each non-blank row; returns (file row number, parsed row), partial for rows with errors."""
    keys = {name: _column_key(sheet, name) for row in rows for name in row}
    for name in (n for n, key in keys.items() if key is None):
        if name == UNTITLED:
            errors.append(f"{sheet.name}: ada isian di kolom tanpa judul; beri judul kolom atau hapus isiannya.")
        else:
            known = ", ".join(sheet.headers)
            errors.append(f"{sheet.name}, kolom {name!r}: judul kolom tidak dikenal; gunakan salah satu dari: {known}.")
    key_col = sheet.column(sheet.key)
    first_seen: dict[Any, int] = {}
    checked = []
    for number, raw in enumerate(rows, start=2):
        if all(_blank(v) for v in raw.values()):
            continue
        row = {key: v for name, v in raw.items() if (key := keys[name])}
        lossy = {c.key: NIP_AS_NUMBER for c in sheet.columns if c.type == "nip" and _nip_as_number(row.get(c.key))}
        try:
            key = key_col.parse(row.get(sheet.key)) if sheet.key not in lossy else None
        except ValueError:
            key = None  # reported by validate below
        if (old := stored.get(key)) is not None:
            for col in sheet.columns:
                if col.key not in row or (col.default is not None and _blank(row[col.key])):
                    row[col.key] = old.get(col.key)
        clean, problems = sheet.validate(row)
        for col_key, message in {**problems, **lossy}.items():
            clean.pop(col_key, None)
            errors.append(f"{sheet.name} baris {number}, kolom {sheet.column(col_key).header}: {message}")
        if key is not None and key in first_seen:
            errors.append(
                f"{sheet.name} baris {number}, kolom {key_col.header}: {key} sudah ada di baris {first_seen[key]}; "
                f"setiap {key_col.header} hanya boleh muncul sekali."
            )
        elif key is not None:
            first_seen[key] = number
        checked.append((number, clean))
    return checked


def _check_references(
    checked: dict[str, list[tuple[int, Row]]], stored: dict[str, dict[Any, Row]], errors: list[str]
) -> None:
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
                errors.append(f"{name} baris {number}, kolom {header}: {self_message}.")
            elif value not in keys[target]:
                errors.append(
                    f"{name} baris {number}, kolom {header}: {value} tidak ada di lembar {target}; "
                    f"tambahkan ke lembar {target} atau perbaiki isiannya."
                )
    for number, row in checked.get("Pegawai", []):
        old = stored["Pegawai"].get(row.get("nip"))
        new_version, old_version = row.get("versi_tautan"), (old or {}).get("versi_tautan")
        if isinstance(new_version, int) and isinstance(old_version, int) and new_version < old_version:
            errors.append(
                f"Pegawai baris {number}, kolom Versi Tautan: tidak boleh lebih kecil dari versi tersimpan "
                f"({old_version}), karena tautan lama yang sudah dicabut akan berlaku lagi."
            )


def _check_bobot(targets: list[tuple[int, Row]], stored: dict[Any, Row], errors: list[str]) -> None:
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
            errors.append(
                f"Target baris {', '.join(map(str, sorted(numbers)))}, kolom Bobot (%): jumlah bobot NIP {group[0]} "
                f"tahun {group[1]} menjadi {total:g}{extra}, harus 100."
            )


def _norm(text: Any) -> str:
    return re.sub(r"[\s_]+", "", str(text)).lower()


def _sheet_named(name: str) -> str | None:
    return next((s for s in SHEETS if s.lower() == name.strip().lower()), None)


def _column_key(sheet: Sheet, header: str) -> str | None:
    wanted = _norm(header)
    return next((c.key for c in sheet.columns if wanted and wanted in (_norm(c.header), _norm(c.key))), None)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _nip_as_number(value: Any) -> bool:
    """A NIP that Excel turned into a number loses its last digits (a float holds about 15)."""
    return isinstance(value, float) or (isinstance(value, str) and bool(SCIENTIFIC.match(value)))

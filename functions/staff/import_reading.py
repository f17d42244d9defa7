"""Reading master-data files for the import: CSV or XLSX, from a path (the CLI) or from uploaded bytes (the console).

A file's sheet is recognised by its name (``pegawai.csv``) or, in a workbook, by each worksheet's title; a sheet
named by the caller wins, and a workbook of one worksheet of any title is read as that sheet. Headers may be the
Indonesian headers or the column keys, whatever the case and spacing. Row i of a table is row i + 2 of its file;
blank rows are kept so the numbers stay right. A file that cannot be read raises BadRequest in Indonesian.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from functions import schema
from functions.errors import BadRequest
from functions.schema import Sheet
from functions.store import Row

SHEETS = ("Unit", "Pegawai", "Target", "Layanan", "HariLibur")  # also the order of the write
SHEET_LIST = "Unit, Pegawai, Target, Layanan atau HariLibur"
UNTITLED = ""  # the key of cells under an empty header
SUFFIXES = (".csv", ".xlsx")
CLI_CHOICE = "sebutkan lembarnya (--lembar)"  # how the CLI names a sheet; the console passes its own words


def read_tables(paths: Sequence[Path], sheet_name: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Rows of each master sheet found in the files, keyed by column key (unknown headers kept as written)."""
    tables: dict[str, list[Row]] = {}
    for path in paths:
        add(tables, read_path(Path(path), sheet_name), Path(path).name)
    return tables


def add(tables: dict[str, list[Row]], new: dict[str, list[Row]], filename: str) -> None:
    for name, rows in new.items():
        if name in tables:
            raise BadRequest(f"{filename}: lembar {name} sudah dibaca dari berkas lain; gabungkan jadi satu berkas.")
        tables[name] = rows


def read_path(path: Path, sheet_name: str | None) -> dict[str, list[Row]]:
    _check_name(path.name, sheet_name)
    if not path.is_file():
        raise BadRequest(f"{path}: berkas tidak ditemukan; periksa nama dan foldernya.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise BadRequest(f"{path.name}: berkas tidak dapat dibaca ({err.strerror or err}).") from err
    return read_bytes(path.name, data, sheet_name)


def read_bytes(filename: str, data: bytes, sheet_name: str | None, *, choice: str = CLI_CHOICE) -> dict[str, list[Row]]:
    """The master sheets of one file given as its name and its bytes (an upload)."""
    wanted = _check_name(filename, sheet_name)
    path = Path(filename)
    if path.suffix.lower() == ".xlsx":
        return {
            name: _table(schema.sheet(name), rows, filename)
            for name, rows in _xlsx_sheets(data, filename, wanted).items()
        }
    name = wanted or sheet_named(path.stem)
    if name is None:
        raise BadRequest(
            f"{filename}: nama berkas tidak menunjukkan lembarnya; beri nama pegawai.csv, unit.csv atau "
            f"target.csv, atau {choice}."
        )
    return {name: _table(schema.sheet(name), _csv_rows(data, filename), filename)}


def read_grid(filename: str, data: bytes) -> list[list[Any]]:
    """The cells of a CSV, or of the first worksheet of an XLSX, row by row (a foreign export, not a master sheet)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        _check_name(filename, None)  # raises the message about file types
    if suffix == ".csv":
        return _csv_rows(data, filename)
    sheets = _worksheets(data, filename)
    return sheets[0][1] if sheets else []


def _worksheets(data: bytes, filename: str) -> list[tuple[str, list[list[Any]]]]:
    """Each worksheet of an XLSX, by its title, with its cells row by row; BadRequest for a damaged or foreign file."""
    from openpyxl import load_workbook  # only the import needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return [(ws.title, [list(cells) for cells in ws.iter_rows(values_only=True)]) for ws in book.worksheets]
        finally:
            book.close()
    except Exception as err:  # openpyxl raises many kinds of errors for a damaged or foreign file
        raise BadRequest(
            f"{filename}: bukan buku kerja Excel .xlsx yang valid; buka di Excel lalu simpan ulang sebagai .xlsx."
        ) from err


def _check_name(filename: str, sheet_name: str | None) -> str | None:
    """The sheet the caller names (None: recognise it); BadRequest for an unknown sheet or file type."""
    wanted = None
    if sheet_name is not None and (wanted := sheet_named(sheet_name)) is None:
        raise BadRequest(f"Lembar {sheet_name!r} tidak dapat diimpor; pilih {SHEET_LIST}.")
    if Path(filename).suffix.lower() not in SUFFIXES:
        raise BadRequest(
            f"{filename}: hanya berkas .csv atau .xlsx yang dapat diimpor; "
            "di Excel simpan sebagai 'CSV UTF-8' atau 'Buku Kerja Excel (.xlsx)'."
        )
    return wanted


def _csv_rows(data: bytes, filename: str) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise BadRequest(f"{filename}: berkas bukan teks UTF-8; di Excel simpan ulang sebagai 'CSV UTF-8'.") from err
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)  # Excel in Indonesia writes ';'; a tie keeps ','
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise BadRequest(f"{filename}: isi CSV rusak ({err}); simpan ulang dari Excel.") from err


def _xlsx_sheets(data: bytes, filename: str, wanted: str | None) -> dict[str, list[list[Any]]]:
    found: dict[str, list[list[Any]]] = {}
    sheets = _worksheets(data, filename)
    for title, rows in sheets:
        name = sheet_named(title) or (wanted if len(sheets) == 1 else None)
        if name is not None and wanted in (None, name):
            found[name] = rows
    if not found:
        raise BadRequest(f"{filename}: tidak ada lembar kerja bernama {wanted or SHEET_LIST}.")
    return found


def _table(sheet: Sheet, rows: list[list[Any]], filename: str) -> list[Row]:
    if not rows or all(blank(h) for h in rows[0]):
        raise BadRequest(f"{filename}: lembar {sheet.name} kosong; baris pertama harus berisi judul kolom.")
    keys: list[str] = []
    for number, header in enumerate(rows[0], start=1):
        text = "" if header is None else str(header).strip()
        key = (column_key(sheet, text) or text) if text else UNTITLED
        if key != UNTITLED and key in keys:
            raise BadRequest(f"{filename}: lembar {sheet.name}, kolom ke-{number} ({text}) ganda; hapus salah satu.")
        keys.append(key)
    table = []
    for cells in rows[1:]:
        row: Row = {key: None for key in keys if key != UNTITLED}
        for index, value in enumerate(cells):
            key = keys[index] if index < len(keys) else UNTITLED
            if key != UNTITLED:
                row[key] = value
            elif not blank(value):
                row[UNTITLED] = value
        table.append(row)
    return table


def _norm(text: Any) -> str:
    return re.sub(r"[\s_]+", "", str(text)).lower()


def sheet_named(name: str) -> str | None:
    return next((s for s in SHEETS if s.lower() == name.strip().lower()), None)


def column_key(sheet: Sheet, header: str) -> str | None:
    wanted = _norm(header)
    return next((c.key for c in sheet.columns if wanted and wanted in (_norm(c.header), _norm(c.key))), None)


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())

"""CSV and XLSX exports: Indonesian headers, typed cells, and no formula a spreadsheet would run."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from functions.schema import Column, Sheet
from functions.web.operator import export

SHEET = Sheet(
    name="Uji",
    title="Lembar Uji",
    kind="master",
    description="Lembar kecil untuk menguji ekspor.",
    key="kode",
    columns=(
        Column("kode", "Kode", "string", "Kode baris.", required=True),
        Column("uraian", "Uraian", "text", "Teks bebas."),
        Column("selisih", "Selisih", "number", "Boleh negatif."),
        Column("jumlah", "Jumlah", "integer", "Bilangan bulat."),
        Column("tanggal", "Tanggal", "date", "Tanggal."),
        Column("waktu", "Waktu", "datetime", "Waktu."),
        Column("aktif", "Aktif", "boolean", "Ya atau Tidak."),
    ),
)
FORMULAS = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3", "\tTAB", "\rCR"]
ROWS: list[dict[str, Any]] = [
    {
        "kode": f"B{n}",
        "uraian": text,
        "selisih": -2.5,
        "jumlah": -3,
        "tanggal": date(2026, 11, 30),
        "waktu": datetime(2026, 11, 30, 8, 15, tzinfo=ZoneInfo("Asia/Jakarta")),
        "aktif": True,
    }
    for n, text in enumerate(FORMULAS)
]


@pytest.mark.parametrize("text", FORMULAS)
def test_escape_formula_prefixes_an_apostrophe(text: str) -> None:
    assert export.escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Rapat koordinasi", "2026-11-30", "'sudah", "", -2, -2.5, 0, None, True])
def test_escape_formula_leaves_other_values_alone(value: Any) -> None:
    assert export.escape_formula(value) is value


def test_csv_starts_with_bom_and_headers() -> None:
    body = export.to_csv(SHEET, ROWS)
    assert body.startswith(b"\xef\xbb\xbfKode,Uraian,Selisih,Jumlah,Tanggal,Waktu,Aktif\r\n")


def test_csv_escapes_text_and_keeps_negative_numbers() -> None:
    rows = list(csv.reader(io.StringIO(export.to_csv(SHEET, ROWS).decode("utf-8-sig"), newline="")))
    assert [r[1] for r in rows[1:]] == ["'" + text for text in FORMULAS]
    assert rows[1][2:] == ["-2.5", "-3", "2026-11-30", "2026-11-30T08:15:00+07:00", "Ya"]


def test_csv_of_no_rows_is_just_the_headers() -> None:
    assert export.to_csv(SHEET, []).decode("utf-8-sig") == "Kode,Uraian,Selisih,Jumlah,Tanggal,Waktu,Aktif\r\n"


def test_odd_values_are_kept_as_escaped_text() -> None:
    odd = {"kode": "X", "selisih": "=1+1", "tanggal": "kemarin", "aktif": "mungkin"}
    assert export.cells(SHEET, odd) == ["X", None, "'=1+1", None, "kemarin", None, "mungkin"]


def test_xlsx_has_bold_frozen_headers_and_typed_cells() -> None:
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.to_xlsx(SHEET, ROWS))).active
    assert ws.title == "Uji"
    assert [c.value for c in ws[1]] == ["Kode", "Uraian", "Selisih", "Jumlah", "Tanggal", "Waktu", "Aktif"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    row = ws[2]
    assert (row[2].value, row[2].data_type) == (-2.5, "n")
    assert (row[3].value, row[3].data_type) == (-3, "n")
    assert row[4].is_date and row[4].value == datetime(2026, 11, 30)
    assert row[5].is_date and row[5].value == datetime(2026, 11, 30, 8, 15)
    assert row[6].value == "Ya"


def test_xlsx_stores_formula_like_text_as_strings() -> None:
    from openpyxl import load_workbook

    body = export.to_xlsx(SHEET, ROWS)
    ws = load_workbook(io.BytesIO(body)).active
    cells = [r[1] for r in ws.iter_rows(min_row=2)]
    # XML reads a carriage return back as a line feed.
    assert [c.value for c in cells] == ["'" + text.replace("\r", "\n") for text in FORMULAS]
    assert all(c.data_type == "s" for c in cells)
    xml = zipfile.ZipFile(io.BytesIO(body)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml


def test_xlsx_stores_unescaped_formula_text_as_a_string_too() -> None:
    """Even text that bypassed escaping would not become a formula: cells are forced to strings."""
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    cell = book.active.cell(row=1, column=1, value='=HYPERLINK("http://x")')
    assert cell.data_type == "f"
    cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    reloaded = load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert (reloaded.value, reloaded.data_type) == ('=HYPERLINK("http://x")', "s")


def test_export_does_not_import_pandas_or_openpyxl() -> None:
    import subprocess
    import sys

    code = "import sys, functions.web.operator.export; print('pandas' in sys.modules, 'openpyxl' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"

"""Rows of a sheet as CSV or XLSX downloads, safe to open in a spreadsheet.

Text that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab or
carriage return first) gets a leading apostrophe, as OWASP advises against CSV
injection; numbers stay numbers. Headers are the schema's Indonesian headers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from functions.schema import Column, Sheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def escape_formula(value: Any) -> Any:
    """Text that starts like a formula, with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_value(col: Column, value: Any, *, workbook: bool = False) -> Any:
    """A value as its cell: text, a number, or None (as ``Column.to_cell`` gives it).

    For a workbook, dates and times stay ``date``/``datetime`` (naive, in wall-clock time)
    so that they become real date cells. A value that does not fit its column (a person
    typed something odd into the sheet) is kept as text.
    """
    if value is None:
        return None
    kind = col.type
    if kind == "datetime" and isinstance(value, datetime):
        return value.replace(tzinfo=None) if workbook else col.to_cell(value)
    if kind == "date" and isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        return day if workbook else col.to_cell(day)
    if kind == "boolean" and isinstance(value, bool):
        return col.to_cell(value)
    if kind in ("integer", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return col.to_cell(value)
    if kind in ("date", "datetime", "boolean", "integer", "number"):
        return str(value)
    return col.to_cell(value)


def cells(sheet: Sheet, row: Mapping[str, Any], *, workbook: bool = False) -> list[Any]:
    """A row as escaped cell values in schema column order."""
    return [escape_formula(cell_value(col, row.get(col.key), workbook=workbook)) for col in sheet.columns]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_csv(sheet: Sheet, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """UTF-8 CSV with a byte order mark (so that Excel reads the encoding), headers first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(h) for h in sheet.headers])
    for row in rows:
        writer.writerow([_csv_text(v) for v in cells(sheet, row)])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sheet: Sheet, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """A workbook with one worksheet: bold, frozen Indonesian headers; typed cells; no formulas."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet.name[:31]
    bold = Font(bold=True)
    for number, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(row=1, column=number, value=escape_formula(header))
        cell.data_type = "s"
        cell.font = bold
    ws.freeze_panes = "A2"
    for row_number, row in enumerate(rows, start=2):
        for number, value in enumerate(cells(sheet, row, workbook=True), start=1):
            if value is None:
                continue
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = ws.cell(row=row_number, column=number, value=value)
            if isinstance(value, str):
                # openpyxl reads a str starting with "=" as a formula; force a plain string.
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
    for number, col in enumerate(sheet.columns, start=1):
        width = 40 if col.type == "text" else max(12, min(len(col.header) + 4, 30))
        ws.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

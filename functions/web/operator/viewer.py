"""A read-only viewer of the store's sheets at ``/lembar``: list, filter, page, download.

``GET /lembar/`` lists every sheet of the schema by kind; ``GET /lembar/<name>`` shows one
sheet as a table with filters taken from the query string (``unit``, ``dari``, ``sampai``,
``q``, ``kolom``/``nilai``, ``halaman``), the column documentation below it, and the
filtered rows as CSV or XLSX with ``format=csv|xlsx``. A bad filter answers 400 with a
message naming the field.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, g, request, url_for
from werkzeug.exceptions import HTTPException

from functions import schema, schema_docs
from functions.errors import BadRequest, KinerjaError, NotFound
from functions.rendering import format_date, format_number, render
from functions.runtime import Runtime
from functions.schema import Column, Sheet
from functions.store import Row
from functions.web.http import error_page, html
from functions.web.operator import export

log = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_QUERY_LENGTH = 200
FILTER_FIELDS = ("unit", "dari", "sampai", "q", "kolom", "nilai")
PAGE_RE = re.compile(r"^[0-9]{1,9}$")
DOWNLOADS = {"csv": (export.to_csv, export.CSV_TYPE), "xlsx": (export.to_xlsx, export.XLSX_TYPE)}


@dataclass(frozen=True)
class Filters:
    """The filters of one request, parsed; ``typed`` keeps the text as typed, for the form and links."""

    typed: dict[str, str]
    unit: str | None = None
    start: date | None = None
    end: date | None = None
    query: str = ""
    where: dict[str, Any] | None = None
    page: int = 1


def blueprint(runtime: Runtime) -> Blueprint:
    bp = Blueprint("lembar", __name__)

    @bp.get("/")
    def index() -> Response:
        groups = []
        for kind, title in schema_docs.KIND_TITLES.items():
            sheets = [s for s in schema.load_all().values() if s.kind == kind and _visible(s)]
            if sheets:
                items = [
                    {"sheet": s, "count": runtime.store.count(s.name), "url": url_for(".sheet", name=s.name)}
                    for s in sheets
                ]
                groups.append({"title": title, "items": items})
        return html(render("viewer_index.html", groups=groups))

    @bp.get("/<name>")
    def sheet(name: str) -> Response:
        spec = schema.load_all().get(name)
        if spec is None or not _visible(spec):
            raise NotFound(f"Lembar {name} tidak ditemukan. Pilih lembar dari daftar di halaman Lembar.")
        fmt = request.args.get("format", "")
        if fmt and fmt not in DOWNLOADS:
            raise BadRequest(f"Format unduhan {fmt} tidak dikenal (isian format). Pilih csv atau xlsx.")
        units = _units(runtime, spec)
        filters = parse_filters(spec, request.args, set(units))
        rows = matching_rows(runtime, spec, filters, scope=_scope())
        if fmt:
            return _download(runtime, spec, rows, fmt)
        return html(_page(spec, rows, filters, units))

    bp.register_error_handler(KinerjaError, error_page)
    bp.register_error_handler(Exception, _unexpected)
    return bp


def _unexpected(error: Exception) -> Response | HTTPException:
    if isinstance(error, HTTPException):
        return error
    log.exception("unexpected error in the sheet viewer")
    return html(render("error.html", message="Terjadi kesalahan di server. Silakan coba lagi.", status=500), 500)


def _units(runtime: Runtime, spec: Sheet) -> dict[str, str]:
    """Unit codes and names for the unit filter, when the sheet has a unit column."""
    if not spec.unit_column:
        return {}
    return {str(r["kode"]): str(r["nama"] or "") for r in runtime.store.records("Unit")}


def parse_filters(spec: Sheet, args: Mapping[str, str], unit_codes: set[str]) -> Filters:
    """The query string's filters for a sheet; raises BadRequest naming the field at fault."""
    typed = {key: (args.get(key) or "").strip() for key in FILTER_FIELDS}
    unit = typed["unit"] or None
    if unit is not None:
        if not spec.unit_column:
            raise BadRequest(f"Lembar {spec.name} tidak punya kolom unit; kosongkan isian unit.")
        if unit not in unit_codes:
            raise BadRequest(f"Unit {unit} tidak dikenal (isian unit). Pilih unit dari daftar lembar Unit.")
    start, end = (_date(spec, field, typed[field]) for field in ("dari", "sampai"))
    if start and end and start > end:
        raise BadRequest(f"Tanggal dari ({start.isoformat()}) tidak boleh sesudah tanggal sampai ({end.isoformat()}).")
    if len(typed["q"]) > MAX_QUERY_LENGTH:
        raise BadRequest(f"Kata pencarian (isian q) terlalu panjang; paling banyak {MAX_QUERY_LENGTH} karakter.")
    return Filters(
        typed=typed,
        unit=unit,
        start=start,
        end=end,
        query=typed["q"].casefold(),
        where=_exact(spec, typed["kolom"], typed["nilai"]),
        page=_page_number(args.get("halaman")),
    )


def _date(spec: Sheet, field: str, text: str) -> date | None:
    if not text:
        return None
    if not spec.date_column:
        raise BadRequest(f"Lembar {spec.name} tidak punya kolom tanggal; kosongkan isian {field}.")
    try:
        if not schema.DATE_RE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as err:
        raise BadRequest(
            f"Tanggal {field} tidak valid: {text}. Isi dengan format TTTT-BB-HH, misalnya 2026-11-30."
        ) from err


def _exact(spec: Sheet, key: str, text: str) -> dict[str, Any] | None:
    if key and key not in spec.keys:
        raise BadRequest(f"Kolom {key} tidak ada di lembar {spec.name} (isian kolom). Pilih kolom dari daftar.")
    if not text:
        return None
    if not key:
        raise BadRequest(f"Pilih kolom (isian kolom) untuk menyaring dengan nilai {text}.")
    col = spec.column(key)
    try:
        value = col.parse(text)
    except ValueError as err:
        raise BadRequest(f"Nilai untuk kolom {col.header} tidak valid (isian nilai): {err}.") from err
    return {key: value}


def _page_number(text: str | None) -> int:
    if text is None or text == "":
        return 1
    if not PAGE_RE.match(text) or int(text) < 1:
        raise BadRequest(f"Nomor halaman tidak valid (isian halaman): {text}. Isi bilangan bulat positif, misalnya 1.")
    return int(text)


CITY_SHEETS = frozenset({"Konfigurasi", "HariLibur", "KatalogPelatihan", "Unit", "Layanan"})  # no one's data


def _scope() -> frozenset[str] | None:
    """The units the signed-in operator may see (``session.guard`` put them in ``g``); None: every unit."""
    operator = g.get("operator")
    return None if operator is None else operator.units


def _visible(spec: Sheet) -> bool:
    """Not private (AduanKontak), and for an OPD operator a sheet with a unit column or a city-wide list."""
    if spec.private:
        return False
    return _scope() is None or bool(spec.unit_column) or spec.name in CITY_SHEETS


def matching_rows(runtime: Runtime, spec: Sheet, filters: Filters, scope: frozenset[str] | None = None) -> list[Row]:
    """The rows that pass every filter, in sheet order (newest last); with ``scope``, only those units' rows."""
    unit: str | frozenset[str] | None = filters.unit
    if scope is not None and spec.unit_column:
        unit = scope if filters.unit is None else (scope & {filters.unit})
        if not unit:
            return []
    rows = runtime.store.records(spec.name, where=filters.where, start=filters.start, end=filters.end, unit=unit)
    if filters.query:
        rows = [r for r in rows if filters.query in _row_text(spec, r)]
    return rows


def _row_text(spec: Sheet, row: Row) -> str:
    values = (export.cell_value(col, row.get(col.key)) for col in spec.columns)
    return "\n".join(str(v) for v in values if v is not None).casefold()


def display(col: Column, value: Any) -> str:
    """A value as a person reads it in the table: Indonesian dates and numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, datetime):
        return f"{format_date(value, with_day=False)} {value:%H.%M}"
    if isinstance(value, date):
        return format_date(value, with_day=False)
    if isinstance(value, (int, float)) and col.type in ("integer", "number"):
        return format_number(value)
    return str(value)


def _link(col: Column, value: Any) -> str | None:
    if col.type == "url" and isinstance(value, str) and schema.URL_RE.match(value):
        return value
    return None


def _page(spec: Sheet, rows: list[Row], filters: Filters, units: dict[str, str]) -> str:
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    if filters.page > pages:
        raise NotFound(f"Halaman {filters.page} tidak ada (isian halaman); hasil ini hanya punya {pages} halaman.")
    first = (filters.page - 1) * PAGE_SIZE
    shown = rows[first : first + PAGE_SIZE]
    params = {k: v for k, v in filters.typed.items() if v}

    def link(**extra: Any) -> str:
        values: dict[str, Any] = {**params, **extra}
        return url_for(".sheet", name=spec.name, **values)

    return render(
        "viewer_sheet.html",
        sheet=spec,
        kind_title=schema_docs.KIND_TITLES.get(spec.kind, spec.kind),
        table=[[(display(c, r.get(c.key)), _link(c, r.get(c.key))) for c in spec.columns] for r in shown],
        total=len(rows),
        first=first + 1,
        last=first + len(shown),
        page=filters.page,
        pages=pages,
        prev_url=link(halaman=filters.page - 1) if filters.page > 1 else "",
        next_url=link(halaman=filters.page + 1) if filters.page < pages else "",
        downloads={fmt: link(format=fmt) for fmt in DOWNLOADS},
        filters=filters.typed,
        units=units,
        index_url=url_for(".index"),
        sheet_url=url_for(".sheet", name=spec.name),
        docs=schema_docs.column_docs(spec),
        doc_headers=schema_docs.DOC_HEADERS,
        facts=schema_docs.sheet_facts(spec),
    )


def _download(runtime: Runtime, spec: Sheet, rows: list[Row], fmt: str) -> Response:
    build, content_type = DOWNLOADS[fmt]
    filename = f"{spec.name}-{runtime.today().isoformat()}.{fmt}"
    log.info("sheet downloaded: sheet=%s format=%s rows=%d", spec.name, fmt, len(rows))
    return Response(
        build(spec, rows),
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )

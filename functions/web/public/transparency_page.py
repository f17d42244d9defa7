"""The public transparency page (``transparansi``): IKM and complaint handling of the city, each unit and service.

GET only, open to anyone. ``?kuartal=2026-Q4`` picks one of the four quarters shown (default: the latest with
figures), ``?unit=<kode>`` a unit's services, categories and trend, ``?unduh=ikm`` or ``?unduh=pengaduan`` the same
figures as CSV (open data, Indonesian headers). Everything comes from the published snapshot
(``citizens.transparency.snapshot``): a page view never reads surveys or complaints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Request, Response

from functions import schema
from functions.citizens import transparency
from functions.citizens.transparency import ALL, CITY, SERVICE, UNIT
from functions.errors import BadRequest, NotFound, UnreadableForm
from functions.rendering import render
from functions.runtime import Runtime
from functions.store import Row
from functions.web.http import guarded, html, read_args, require_method
from functions.web.operator.export import CSV_TYPE, to_csv

DOWNLOADS = {"ikm": transparency.IKM_SHEET, "pengaduan": transparency.COMPLAINT_SHEET}
LABELS = {"kuartal": "Triwulan", "unit": "Unit", "unduh": "Unduhan"}


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    require_method(request, "GET")
    try:
        args = read_args(request, LABELS)
    except UnreadableForm as err:
        raise BadRequest(err.message) from err
    snap = transparency.snapshot(runtime.store, runtime.today())
    if args.get("unduh"):
        return _download(snap, args["unduh"])
    shown = [q.label for q in transparency.quarters(runtime.today())]
    quarter = _quarter(args.get("kuartal", ""), shown, snap)
    unit = args.get("unit", "")
    context = page_context(snap, shown, quarter, unit)
    return html(render("transparency.html", **context))


def _quarter(typed: str, shown: Sequence[str], snap: transparency.Snapshot) -> str:
    if typed:
        if typed not in shown:
            names = ", ".join(transparency.quarter_name(q) for q in shown)
            raise BadRequest(f"Triwulan (isian kuartal) tidak tersedia. Pilih salah satu: {names}.")
        return typed
    with_figures = [q for q in shown if any(r["kuartal"] == q and r["responden"] for r in snap.ikm)]
    return (with_figures or shown)[-1]


def _download(snap: transparency.Snapshot, kind: str) -> Response:
    if kind not in DOWNLOADS:
        raise BadRequest("Unduhan (isian unduh) tidak dikenal: pilih ikm atau pengaduan.")
    rows = snap.ikm if kind == "ikm" else snap.complaints
    body = to_csv(schema.sheet(DOWNLOADS[kind]), rows)
    headers = {"Content-Disposition": f'attachment; filename="transparansi-{kind}.csv"', "Cache-Control": "no-cache"}
    return Response(body, mimetype=CSV_TYPE, headers=headers)


def page_context(snap: transparency.Snapshot, shown: Sequence[str], quarter: str, unit: str) -> dict[str, Any]:
    """What the template shows for one quarter, and for one unit when ``unit`` is given."""
    ikm = [r for r in snap.ikm if r["kuartal"] == quarter]
    handling = [r for r in snap.complaints if r["kuartal"] == quarter]
    units = [r for r in ikm if r["tingkat"] == UNIT]
    complaints_of = {r["unit"]: r for r in handling if r["kategori"] == ALL}
    context: dict[str, Any] = {
        "quarter": quarter,
        "quarters": shown,
        "quarter_name": transparency.quarter_name,
        "updated": snap.updated,
        "published": bool(snap.ikm or snap.complaints),
        "city": next((r for r in ikm if r["tingkat"] == CITY), None),
        "city_complaints": [r for r in handling if r["tingkat"] == CITY and r["kategori"] != ALL],
        "city_all": complaints_of.get(None),
        "city_trend": trend(snap.ikm, snap.complaints, shown, None),
        "units": [{"ikm": r, "complaints": complaints_of.get(r["unit"])} for r in units],
        "unit": None,
        "min_respondents": transparency.MIN_RESPONDENTS,
    }
    if unit:
        found = next((r for r in units if r["unit"] == unit), None)
        if found is None:
            raise NotFound("Unit tidak ditemukan pada triwulan ini. Pilih unit dari daftar halaman transparansi.")
        context["unit"] = found
        context["services"] = [r for r in ikm if r["tingkat"] == SERVICE and r["unit"] == unit]
        context["unit_complaints"] = [r for r in handling if r["unit"] == unit and r["kategori"] != ALL]
        context["unit_all"] = complaints_of.get(unit)
        context["unit_trend"] = trend(snap.ikm, snap.complaints, shown, unit)
    return context


def trend(ikm: Sequence[Row], handling: Sequence[Row], shown: Sequence[str], unit: str | None) -> list[dict[str, Any]]:
    """The city's (or a unit's) figures quarter by quarter, oldest first, with the change of IKM in words."""
    level = UNIT if unit else CITY
    by_quarter: Mapping[str, Row] = {r["kuartal"]: r for r in ikm if r["tingkat"] == level and r["unit"] == unit}
    answered: Mapping[str, Row] = {
        r["kuartal"]: r for r in handling if r["tingkat"] == level and r["unit"] == unit and r["kategori"] == ALL
    }
    points: list[dict[str, Any]] = []
    before: float | None = None
    for label in shown:
        row = by_quarter.get(label)
        value = row.get("ikm_konversi") if row else None
        points.append(
            {
                "kuartal": label,
                "nama": transparency.quarter_name(label),
                "ikm": row,
                "pengaduan": answered.get(label),
                "perubahan": change(before, value),
            }
        )
        before = value if value is not None else before
    return points


def change(before: float | None, after: float | None) -> str:
    """The change of IKM from the last quarter that had one, in words (two decimals, as the page shows IKM)."""
    if after is None:
        return "tanpa nilai"
    if before is None:
        return "awal"
    delta = round(after, 2) - round(before, 2)
    if abs(delta) < 0.005:
        return "tetap"
    amount = f"{abs(delta):.2f}".replace(".", ",")
    return f"naik {amount}" if delta > 0 else f"turun {amount}"

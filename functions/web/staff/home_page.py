"""The home page (Beranda) behind a personal link: what this person can do today, with counts.

``home?t=<token>`` shows only the parts that apply to the person: everyone's report of today (sent or not), their
week and score (the staff summary of the weekly email, ``mail.staff_summary``, with the trend of the last weeks and
what to improve) and the activities their supervisor returned; a supervisor's team reports waiting for them, the
team's scores and this month's behaviour ratings; a head of unit's complaints waiting. Every count links to the page
where the person acts on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Request, Response

from functions import periods
from functions.citizens import complaints
from functions.mail import staff_summary
from functions.periods import Period
from functions.rendering import render
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.staff import behaviour, identity, reports, verification
from functions.store import Row, Store
from functions.web.http import guarded, html, require_method
from functions.web.staff import ekinerja_page
from functions.web.staff.scores_page import team_rows

FUNCTION = "home"
TREND_WEEKS = 8  # the weeks of the trend, as in the supervisor's digest and the team's scores


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    require_method(request, "GET")
    token = request.args.get("t", "")
    store = runtime.store
    person = identity.employee_for_token(store, runtime.settings.secret_key, token)
    today = runtime.today()
    context: dict[str, Any] = {
        "orang": person,
        "unit_nama": _unit_name(store, person["unit"]),
        "hari_ini": today,
        "laporan": _today(store, person["nip"], today),
        "dikembalikan": len(reports.fixable(store, person["nip"], today)),
        "skor": _my_score(store, person["nip"], today),
        "tim": _team(store, person["nip"], today),
        "pengaduan": _complaints(runtime, person),
        "tautan": {name: _url(name, token) for name in LINKED},
        "salin_ekinerja": ekinerja_page.url(token, today),
    }
    return html(render("home.html", **context, komponen=staff_summary.COMPONENTS))


LINKED = ("submit_report", "review_reports", "rate_behaviour", "team_scores", "handle_complaints")


def _url(function: str, token: str) -> str:
    return f"{function}?{urlencode({'t': token})}"


def _unit_name(store: Store, unit: str) -> str:
    rows = store.records("Unit", where={"kode": unit})
    return str(rows[0]["nama"]) if rows else unit


def _today(store: Store, nip: str, today: date) -> dict[str, Any]:
    """Today's activities sent: their number and minutes."""
    rows = store.records("LaporanHarian", where={"nip": nip}, start=today, end=today)
    return {"kegiatan": len(rows), "menit": sum(int(r.get("durasi_menit") or 0) for r in rows)}


@dataclass(frozen=True)
class Trend:
    week: Period
    row: Row


def _my_score(store: Store, nip: str, today: date) -> dict[str, Any] | None:
    """The summary of the latest scored week among the last :data:`TREND_WEEKS`, with the trend; None before any."""
    week = periods.last_complete_week(today)
    trend: list[Trend] = []
    for _ in range(TREND_WEEKS):
        rows = store.records("Skor", where={"periode": week.label, "nip": nip})
        if rows:
            trend.append(Trend(week, rows[0]))
        week = week.previous()
    if not trend:
        return None
    latest = trend[0].week
    month = periods.month(latest.end)
    return staff_summary.read(store, trend[0].row, month) | {
        "minggu": latest,
        "bulan": month,
        "tren": list(reversed(trend)),
    }


def _team(store: Store, nip: str, today: date) -> dict[str, Any] | None:
    """A supervisor's team: reports waiting for them, the team's latest scores, this month's behaviour ratings."""
    members = [m for m in verification.team(store, nip) if m.get("aktif") is not False]
    if not members:
        return None
    since = verification.pending_since(today)
    waiting = verification.team_reports(store, nip, since, today, None, verification.PENDING).rows
    week = periods.last_complete_week(today)
    nips = {m["nip"] for m in members}
    scored = team_rows(store, "Skor", week.label, sorted(nips))
    totals = [float(r["total"]) for r in scored if r.get("total") is not None]
    rating = behaviour.window(today, Calendar.from_store(store))
    rated = [m for m in behaviour.overview(store, nip, rating.rated) if m.current is not None]
    return {
        "anggota": len(members),
        "menunggu": len(waiting),
        "menunggu_orang": len({r["nip"] for r in waiting}),
        "minggu": week,
        "dinilai": len(scored),
        "rata_rata": sum(totals) / len(totals) if totals else None,
        "bulan": rating.rated,
        "penilaian_buka": rating.period is not None,
        "penilaian_dibuka": rating.opens,
        "perilaku_dinilai": len(rated),
    }


def _complaints(runtime: Runtime, person: Row) -> dict[str, Any] | None:
    """A head of unit's open complaints (their unit's and those whose unit the reporter did not know); None for
    others, who reach their unit's complaints by the link alone."""
    store = runtime.store
    if not complaints.is_verifier(store, person["nip"]):
        return None
    now = runtime.now()
    calendar = Calendar.from_store(store, runtime.settings.tz)
    mine = [
        c
        for c in complaints.all_complaints(store, calendar, now)
        if c.is_open and complaints.visible_to(c, person, True)
    ]
    late = [c for c in mine if c.deadline.verifikasi.late_now or c.deadline.tindak_lanjut.late_now]
    return {"terbuka": len(mine), "terlambat": len(late)}

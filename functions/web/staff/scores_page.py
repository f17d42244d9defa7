"""The supervisor's view of the team's scores, behind their personal link, with trend charts.

``team_scores?t=<token>`` shows the latest scored week of the direct team (components, total,
change, predikat of the month, warnings, training suggestions) and the trend of each member
and of the unit over the last weeks; ``&nip=`` opens one member with the numbers behind it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import date
from urllib.parse import urlencode

from flask import Request, Response

from functions import periods
from functions.errors import Forbidden
from functions.periods import Period
from functions.rendering import render
from functions.runtime import Runtime
from functions.staff import identity, verification
from functions.store import Row, Store
from functions.web.http import guarded, home_link, html, require_method

WEEKS_SHOWN = 8
# How far back from the last complete week the page looks for the latest scored one. Each week is read by its label:
# on Google Sheets that reads only the derived spreadsheet of its month (a month never scored has none and costs no
# request), never every month's, and each spreadsheet at most once per visit.
LOOKBACK_WEEKS = 53
VERIFICATION_LATE = "Verifikasi Tertunda"  # Peringatan.jenis addressed to the supervisor about the team


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _weekly(rows: list[Row]) -> list[Row]:
    return sorted((r for r in rows if r["jenis_periode"] == "Minggu"), key=lambda r: r["periode"])


def _handle(request: Request, runtime: Runtime) -> Response:
    from functions.scoring import charts

    require_method(request, "GET")
    store = runtime.store
    token = request.args.get("t", "")
    supervisor = identity.employee_for_token(store, runtime.settings.secret_key, token)
    team = verification.team(store, supervisor["nip"])
    unit = supervisor["unit"]
    person = request.args.get("nip", "")
    if person and person not in {m["nip"] for m in team}:
        raise Forbidden("Pegawai tersebut bukan anggota tim Anda.")
    members = [m for m in team if not person or m["nip"] == person]
    nips = {m["nip"] for m in members}
    scored = _scored_weeks(store, runtime.today(), sorted(nips))
    shown = [week for week, _rows in scored]
    # Each label is read once for the whole team, then grouped by member in memory.
    history: dict[str, list[Row]] = {m["nip"]: [] for m in members}
    for _week, rows in scored:
        for row in rows:
            if row["nip"] in nips:
                history[row["nip"]].append(row)
    history = {nip: _weekly(rows)[-WEEKS_SHOWN:] for nip, rows in history.items()}
    weeks = sorted({r["periode"] for rows in history.values() for r in rows})
    latest = weeks[-1] if weeks else None
    current = {nip: next((r for r in rows if r["periode"] == latest), None) for nip, rows in history.items()}
    monthly: dict[str, Row | None] = dict.fromkeys(nips)
    if shown:
        month = periods.month(shown[-1].end)  # the latest month: the scoring run of the latest week wrote it too
        for row in team_rows(store, "Skor", month.label, sorted(nips)):
            monthly[row["nip"]] = row
    warnings = (
        [
            w
            for w in team_rows(store, "Peringatan", latest, sorted(set(history) | {supervisor["nip"]}))
            if _about_team(w, history, supervisor, person)
        ]
        if latest
        else []
    )
    suggestions = team_rows(store, "SaranPelatihan", latest, sorted(history)) if latest else []
    team_series = {m["nama"]: [(r["periode"], r["total"]) for r in history[m["nip"]]] for m in members}
    team_title = "Skor total per minggu" if person else "Skor total anggota tim per minggu"
    team_chart = charts.trend_png(team_series, team_title) if weeks else b""
    unit_rows = _weekly(
        [r for week in shown for r in store.records("SkorUnit", where={"periode": week.label}) if r["unit"] == unit]
    )[-WEEKS_SHOWN:]
    unit_series = {"Rata-rata unit": [(r["periode"], r["rata_total"]) for r in unit_rows]}
    unit_chart = charts.trend_png(unit_series, "Skor rata-rata unit per minggu") if unit_rows else b""
    return html(
        render(
            "team_scores.html",
            supervisor=supervisor,
            members=members,
            latest=latest,
            current=current,
            monthly=monthly,
            warnings=warnings,
            suggestions=suggestions,
            person=person,
            team_chart=_data_uri(team_chart),
            unit_chart=_data_uri(unit_chart),
            team_table=charts.trend_table(team_series),
            unit_table=charts.trend_table(unit_series),
            team_title=team_title,
            base=f"team_scores?{urlencode({'t': token})}",
            home_url=home_link(request),
        )
    )


def _about_team(warning: Row, members: Mapping[str, object], supervisor: Row, person: str) -> bool:
    """A member's warning, or (on the whole team's view) the team's reports waiting for the supervisor."""
    if warning.get("nip") in members:
        return True
    return not person and warning["jenis"] == VERIFICATION_LATE and warning.get("nip") == supervisor["nip"]


def team_rows(store: Store, sheet: str, label: str, nips: Sequence[str]) -> list[Row]:
    """The rows of a period of a per-person derived sheet (Skor, Peringatan, SaranPelatihan) for these people, read
    person by person: on Cloud Functions each is one document of the read model, never the city's sheet."""
    return [row for nip in nips for row in store.records(sheet, where={"periode": label, "nip": nip})]


def _scored_weeks(store: Store, today: date, nips: Sequence[str]) -> list[tuple[Period, list[Row]]]:
    """The team's Skor rows of the :data:`WEEKS_SHOWN` weeks up to the latest one with scores (at most
    :data:`LOOKBACK_WEEKS` back from the last complete week), oldest first; empty before any scoring."""
    week = periods.last_complete_week(today)
    for _ in range(LOOKBACK_WEEKS):
        rows = team_rows(store, "Skor", week.label, nips)
        if rows:
            scored = [(week, rows)]
            while len(scored) < WEEKS_SHOWN:
                earlier = scored[-1][0].previous()
                scored.append((earlier, team_rows(store, "Skor", earlier.label, nips)))
            return scored[::-1]
        week = week.previous()
    return []


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""

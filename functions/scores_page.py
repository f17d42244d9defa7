"""The supervisor's view of the team's scores, behind their personal link, with trend charts.

``team_scores?t=<token>`` shows the latest scored week of the direct team (components, total,
change, predikat of the month, warnings, training suggestions) and the trend of each member
and of the unit over the last weeks; ``&nip=`` opens one member with the numbers behind it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Request, Response

from functions import identity, verification
from functions.errors import Forbidden
from functions.http import guarded, html, require_method
from functions.rendering import render
from functions.runtime import Runtime
from functions.store import Row

WEEKS_SHOWN = 8
VERIFICATION_LATE = "Verifikasi Tertunda"  # Peringatan.jenis addressed to the supervisor about the team


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _weekly(rows: list[Row]) -> list[Row]:
    return sorted((r for r in rows if r["jenis_periode"] == "Minggu"), key=lambda r: r["periode"])


def _handle(request: Request, runtime: Runtime) -> Response:
    from functions import charts

    require_method(request, "GET")
    store = runtime.store
    token = request.args.get("t", "")
    supervisor = identity.employee_for_token(store, runtime.settings.secret_key, token)
    team = verification.team(store, supervisor["nip"])
    person = request.args.get("nip", "")
    if person and person not in {m["nip"] for m in team}:
        raise Forbidden("Pegawai tersebut bukan anggota tim Anda.")
    members = [m for m in team if not person or m["nip"] == person]
    history = {m["nip"]: _weekly(store.records("Skor", where={"nip": m["nip"]}))[-WEEKS_SHOWN:] for m in members}
    weeks = sorted({r["periode"] for rows in history.values() for r in rows})
    latest = weeks[-1] if weeks else None
    current = {nip: next((r for r in rows if r["periode"] == latest), None) for nip, rows in history.items()}
    monthly = {m["nip"]: _latest_month(store.records("Skor", where={"nip": m["nip"]})) for m in members}
    warnings = (
        [
            w
            for w in store.records("Peringatan", where={"periode": latest})
            if _about_team(w, history, supervisor, person)
        ]
        if latest
        else []
    )
    suggestions = (
        [s for s in store.records("SaranPelatihan", where={"periode": latest}) if s["nip"] in history] if latest else []
    )
    team_chart = (
        charts.trend_png(
            {m["nama"]: [(r["periode"], r["total"]) for r in history[m["nip"]]] for m in members},
            "Skor total per minggu" if person else "Skor total anggota tim per minggu",
        )
        if weeks
        else b""
    )
    unit_rows = _weekly(store.records("SkorUnit", where={"unit": supervisor["unit"]}))[-WEEKS_SHOWN:]
    unit_chart = (
        charts.trend_png(
            {"Rata-rata unit": [(r["periode"], r["rata_total"]) for r in unit_rows]}, "Skor rata-rata unit per minggu"
        )
        if unit_rows
        else b""
    )
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
            base=f"team_scores?{urlencode({'t': token})}",
        )
    )


def _about_team(warning: Row, members: Mapping[str, object], supervisor: Row, person: str) -> bool:
    """A member's warning, or (on the whole team's view) the team's reports waiting for the supervisor."""
    if warning.get("nip") in members:
        return True
    return not person and warning["jenis"] == VERIFICATION_LATE and warning.get("nip") == supervisor["nip"]


def _latest_month(rows: list[Row]) -> Row | None:
    months = sorted((r for r in rows if r["jenis_periode"] == "Bulan"), key=lambda r: r["periode"])
    return months[-1] if months else None


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""

"""Staff handle their unit's complaints through their personal link: dispatch, answer, close.

GET lists the complaints the unit handles (open and most urgent first, with deadlines and,
for the handling unit only, the reporter's contact unless Anonim); POST records one action
as a new event and redirects back (post/redirect/get).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Request, Response

from functions.citizens import complaints
from functions.errors import NotFound, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.staff import identity
from functions.store import Row
from functions.web.http import form_page, guarded, kept_id, read_post, require_method

log = logging.getLogger(__name__)


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    store = runtime.store
    token = request.args.get("t", "")
    employee = identity.employee_for_token(store, runtime.settings.secret_key, token)
    calendar = Calendar.from_store(store, runtime.settings.tz)
    now = runtime.now()
    verifier = complaints.is_verifier(store, employee["nip"])
    if method == "GET":
        return _page(request, runtime, employee, token, calendar, verifier, {}, {}, request.args.get("tersimpan", ""))
    try:
        form = read_post(request, runtime, complaints.LABELS)
    except UnreadableForm as err:
        typed = {**err.typed, "id_kiriman": kept_id(err.typed)}
        return _page(request, runtime, employee, token, calendar, verifier, err.fields, typed, "", err.status)
    target = next((c for c in complaints.all_complaints(store, calendar, now) if c.id == form.get("id_aduan")), None)
    if target is None:
        raise NotFound("Pengaduan tidak ditemukan. Muat ulang halaman.")
    try:
        created = complaints.act(form, target, employee, store, verifier, now)
    except ValidationError as err:
        return _page(request, runtime, employee, token, calendar, verifier, err.fields, form, "", err.status)
    log.info("complaint event stored: action=%s new=%s", form.get("jenis"), created)
    query = urlencode({"t": token, "tersimpan": form.get("jenis", "")})
    return Response(status=303, headers={"Location": f"handle_complaints?{query}#aduan-{target.id}"})


def _page(
    request: Request,
    runtime: Runtime,
    employee: Row,
    token: str,
    calendar: Calendar,
    verifier: bool,
    errors: dict[str, str],
    typed: dict[str, str],
    saved: str,
    status: int = 200,
) -> Response:
    store = runtime.store
    mine = [
        c
        for c in complaints.all_complaints(store, calendar, runtime.now())
        if complaints.visible_to(c, employee, verifier)
    ]
    items = [
        {"c": c, "contact": complaints.contact_for(store, c, employee), "event_id": new_id()}
        for c in complaints.sort_for_handling(mine)
    ]
    staff = sorted(
        (p for p in store.records("Pegawai", where={"unit": employee["unit"]}) if p.get("aktif") is not False),
        key=lambda p: p["nama"],
    )
    return form_page(
        request,
        runtime,
        "handling.html",
        status,
        employee=employee,
        items=items,
        errors=errors,
        typed=typed,
        saved=saved,
        names=complaints.unit_names(store),
        units=sorted(store.records("Unit"), key=lambda u: u["nama"]),
        staff=staff,
        actions=complaints.ACTIONS,
        reporter_kinds=complaints.REPORTER_NOTE,
        now=runtime.now(),
        action_url=f"handle_complaints?{urlencode({'t': token})}",
    )

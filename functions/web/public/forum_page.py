"""Suara Warga in public: the forum's index of services, a service's page, posting and supporting.

``suara_warga``: GET without ``layanan`` lists the services by unit; GET ``?layanan=<id>`` shows the service's
published suggestions (status, the unit's answer and answer time, supports) and the form to post one; POST there
posts it (no name, contact or account). ``dukung_suara``: POST supports a published suggestion, once per device (a
random id in an HttpOnly cookie, set by the service page), rate-limited per address. The rules are in
``functions.citizens.forum``; nothing on these pages names the poster (see there).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from flask import Request, Response

from functions.citizens import forum, survey
from functions.errors import BadRequest, Conflict, NotFound, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.rendering import render
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.web.http import form_page, guarded, html, kept_id, read_public_post, require_method

log = logging.getLogger(__name__)
DEVICE_COOKIE = "kinerja_perangkat"
DEVICE_MAX_AGE = 400 * 86400  # the longest a browser keeps a cookie
POST_KIND, SUPPORT_KIND = "suara_warga", "dukungan_suara"  # rate-limit kinds
NO_SUGGESTION = "Saran tidak ditemukan atau belum diterbitkan. Muat ulang halaman layanan, lalu coba lagi."
NO_DEVICE = (
    "Dukungan dihitung satu kali per perangkat, dan perangkat Anda belum dikenali: izinkan cookie untuk situs ini, "
    "muat ulang halaman layanan, lalu tekan Dukung lagi."
)


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def handle_support(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _support(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    service_id = request.args.get("layanan", "")
    if not service_id and method == "GET":
        return html(render("forum_index.html", units=_index(runtime), urlencode=urlencode))
    svc = survey.service(runtime.store, service_id)
    if method == "GET":
        return _service_page(request, runtime, svc, {"id_kiriman": new_id(), "jenis": "Saran"}, {})
    try:
        form = read_public_post(request, runtime, forum.LABELS, kind=POST_KIND)
    except UnreadableForm as err:
        typed = {"jenis": "Saran", **err.typed, "id_kiriman": kept_id(err.typed)}
        return _service_page(request, runtime, svc, typed, err.fields, err.status)
    try:
        row, created = forum.post(form, svc.row, runtime.store, runtime.now())
    except ValidationError as err:
        if "id_kiriman" in err.fields:
            form = {**form, "id_kiriman": new_id()}  # else sending again could never pass
        return _service_page(request, runtime, svc, form, err.fields, err.status)
    except Conflict as err:
        typed = {**form, "id_kiriman": new_id()}  # sending again posts it as a new one
        return _service_page(request, runtime, svc, typed, {"id_kiriman": err.message}, err.status)
    log.info("forum suggestion stored: submission=%s new=%s", row["id"], created)
    return html(render("forum_done.html", svc=svc, kind=row["jenis"], back_url=_service_url(svc.id)))


def _support(request: Request, runtime: Runtime) -> Response:
    require_method(request, "POST")
    form = read_public_post(request, runtime, forum.LABELS, kind=SUPPORT_KIND)
    suggestion = forum.by_public_id(runtime.store, form.get("suara", ""))
    if suggestion is None:
        raise NotFound(NO_SUGGESTION)
    device = request.cookies.get(DEVICE_COOKIE, "")
    if not _is_device(device):
        raise BadRequest(NO_DEVICE)
    svc = survey.service(runtime.store, str(suggestion.row["id_layanan"]))  # 404 for a service closed since
    counted = forum.support(runtime.store, runtime.settings.secret_key, suggestion, device, runtime.today())
    message = (
        "Terima kasih, dukungan Anda tercatat."
        if counted
        else "Anda sudah mendukung saran ini dari perangkat ini; dukungan dihitung satu kali per perangkat."
    )
    typed = {"id_kiriman": new_id(), "jenis": "Saran"}
    return _service_page(request, runtime, svc, typed, {}, message=message, focus=suggestion.public_id or "")


def _is_device(value: str) -> bool:
    return 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum() and value.isascii()


def _service_page(
    request: Request,
    runtime: Runtime,
    svc: survey.Service,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    *,
    message: str = "",
    focus: str = "",
) -> Response:
    calendar = Calendar.from_store(runtime.store, runtime.settings.tz)
    today = runtime.today()
    items = [
        {"s": s, "days": forum.days_taken(s, calendar, today), "focus": s.public_id == focus}
        for s in forum.published(runtime.store, svc.id)
    ]
    response = form_page(
        request,
        runtime,
        "forum_service.html",
        status,
        svc=svc,
        items=items,
        typed=typed,
        errors=errors,
        kinds=forum.KINDS,
        message=message,
        action_url=_service_url(svc.id),
    )
    if not _is_device(request.cookies.get(DEVICE_COOKIE, "")):
        secure = runtime.settings.base_url.startswith("https://")
        response.set_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(24), max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
            secure=secure, path="/",
        )  # fmt: skip
    return response


def _service_url(service_id: str) -> str:
    return f"suara_warga?{urlencode({'layanan': service_id})}"


def _index(runtime: Runtime) -> list[dict[str, Any]]:
    """The units that have active services, by name, each with its services and their public counts."""
    store = runtime.store
    counts: dict[str, dict[str, int]] = {}
    for s in forum.load(store, supports=False):
        if s.is_public:
            tally = counts.setdefault(str(s.row["id_layanan"]), {"terbit": 0, "dijawab": 0})
            tally["terbit"] += 1
            tally["dijawab"] += s.answered_on is not None
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for service in store.records("Layanan"):
        if service.get("aktif") is not False:
            by_unit.setdefault(service["unit"], []).append(
                service | counts.get(service["id"], {"terbit": 0, "dijawab": 0})
            )
    units = [u for u in store.records("Unit") if u["kode"] in by_unit]
    return [
        {"unit": u, "services": sorted(by_unit[u["kode"]], key=lambda s: s["nama"])}
        for u in sorted(units, key=lambda u: u["nama"])
    ]

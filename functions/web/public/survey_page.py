"""The public satisfaction survey (SKM) of one service: GET renders it, POST records it.

Opened from the QR poster at the counter: ``submit_survey?layanan=<id>``; a unit's
poster may also open ``submit_survey?unit=<kode>`` to choose among its services. A tablet at the counter opens
the kiosk link the operator issued (``&kios=<token>``, ``citizens.kiosk``): its surveys are rate-limited per kiosk
instead of per address, and the thanks page returns to an empty form by itself.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Request, Response

from functions.citizens import kiosk, survey
from functions.citizens.ikm import UNSUR
from functions.errors import Conflict, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.rendering import render
from functions.runtime import Runtime
from functions.schema import sheet
from functions.store import Row
from functions.web import ratelimit
from functions.web.http import form_page, guarded, html, kept_id, read_public_post, require_method

log = logging.getLogger(__name__)
# How messages name the fields: the nine unsur by their names, the profile and the rest by the form's labels.
LABELS = {**survey.LABELS, **{u.key: u.name for u in UNSUR}}


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    store = runtime.store
    service_id = request.args.get("layanan", "")
    if not service_id and method == "GET":
        unit, services = survey.unit_services(store, request.args.get("unit", ""))
        return html(render("survey_choose.html", unit=unit, services=services, urlencode=urlencode))
    svc = survey.service(store, service_id)
    token = request.args.get(kiosk.PARAM)
    booth = kiosk.verify(store, runtime.settings.secret_key, token, svc.id) if token is not None else None
    if method == "GET":
        return _form(request, runtime, svc, booth, {"id_kiriman": new_id()}, {})
    try:
        form = read_public_post(request, runtime, LABELS, kind=ratelimit.SURVEY, kiosk=booth["id"] if booth else None)
    except UnreadableForm as err:
        typed = {**err.typed, "id_kiriman": kept_id(err.typed)}
        return _form(request, runtime, svc, booth, typed, err.fields, err.status)
    try:
        stored = survey.submit(form, svc, store, runtime.now())
    except ValidationError as err:
        if "id_kiriman" in err.fields:
            form = {**form, "id_kiriman": new_id()}  # else sending again could never pass
        return _form(request, runtime, svc, booth, form, err.fields, err.status)
    except survey.Unanswered as question:
        # Asked once: the form comes back with the answers and the confirmation set; sending it again stores it.
        typed = {**form, survey.CONFIRM: "ya"}
        return _form(request, runtime, svc, booth, typed, {}, unanswered=question)
    except Conflict as err:
        # Keep the answers under a fresh id, so that sending again makes a new response.
        typed = {**form, "id_kiriman": new_id()}
        return _form(request, runtime, svc, booth, typed, {"id_kiriman": err.message}, err.status)
    log.info("survey stored: service=%s duplicate=%s kiosk=%s", svc.id, not stored, booth is not None)
    next_form = kiosk.survey_path(runtime.settings.secret_key, booth) if booth else None
    return html(render("survey_thanks.html", svc=svc, complaint_url=_complaint_url(svc), next_form=next_form))


def _form(
    request: Request,
    runtime: Runtime,
    svc: survey.Service,
    booth: Row | None,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    unanswered: survey.Unanswered | None = None,
) -> Response:
    columns = sheet("Survei")
    action = (
        kiosk.survey_path(runtime.settings.secret_key, booth)
        if booth
        else f"submit_survey?{urlencode({'layanan': svc.id})}"
    )
    return form_page(
        request,
        runtime,
        "survey_form.html",
        status,
        svc=svc,
        typed=typed,
        errors=errors,
        unsur=UNSUR,
        profile={key: columns.column(key).allowed for key in survey.PROFILE},
        labels=survey.LABELS,
        staff=survey.unit_staff(runtime.store, svc.row["unit"]),
        action_url=action,
        complaint_url=_complaint_url(svc),
        kiosk=booth is not None,
        confirm_field=survey.CONFIRM,
        question=unanswered.question if unanswered else "",
        unanswered=[u for u in UNSUR if unanswered and u.key in unanswered.keys],
    )


def _complaint_url(svc: survey.Service) -> str:
    return f"submit_complaint?{urlencode({'unit': svc.row['unit']})}"

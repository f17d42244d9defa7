"""The public satisfaction survey (SKM) of one service: GET renders it, POST records it.

Opened from the QR poster at the counter: ``submit_survey?layanan=<id>``; a unit's
poster may also open ``submit_survey?unit=<kode>`` to choose among its services.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Request, Response

from functions.citizens import survey
from functions.citizens.ikm import UNSUR
from functions.errors import Conflict, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.rendering import render
from functions.runtime import Runtime
from functions.schema import sheet
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
    if method == "GET":
        return _form(request, runtime, svc, {"id_kiriman": new_id()}, {})
    try:
        form = read_public_post(request, runtime, LABELS)
    except UnreadableForm as err:
        typed = {**err.typed, "id_kiriman": kept_id(err.typed)}
        return _form(request, runtime, svc, typed, err.fields, err.status)
    try:
        stored = survey.submit(form, svc, store, runtime.now())
    except ValidationError as err:
        if "id_kiriman" in err.fields:
            form = {**form, "id_kiriman": new_id()}  # else sending again could never pass
        return _form(request, runtime, svc, form, err.fields, err.status)
    except Conflict as err:
        # Keep the answers under a fresh id, so that sending again makes a new response.
        return _form(request, runtime, svc, {**form, "id_kiriman": new_id()}, {"id_kiriman": err.message}, err.status)
    log.info("survey stored: service=%s duplicate=%s", svc.id, not stored)
    return html(render("survey_thanks.html", svc=svc, complaint_url=_complaint_url(svc)))


def _form(
    request: Request,
    runtime: Runtime,
    svc: survey.Service,
    typed: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    columns = sheet("Survei")
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
        action_url=f"submit_survey?{urlencode({'layanan': svc.id})}",
        complaint_url=_complaint_url(svc),
    )


def _complaint_url(svc: survey.Service) -> str:
    return f"submit_complaint?{urlencode({'unit': svc.row['unit']})}"

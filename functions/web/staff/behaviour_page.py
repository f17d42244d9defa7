"""The monthly rating of perilaku kerja behind a supervisor's personal link.

``rate_behaviour?t=<token>&bulan=2026-11``: GET shows each direct team member with the
rating that counts for the month and a form to rate them on the seven BerAKHLAK values;
POST stores the ratings and answers with a redirect back (post/redirect/get).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Request, Response

from functions.errors import Conflict, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.periods import Period
from functions.rendering import MONTHS
from functions.rules import predikat
from functions.runtime import Runtime
from functions.staff import behaviour, identity
from functions.store import Row
from functions.web.http import form_page, guarded, kept_id, read_post, require_method

log = logging.getLogger(__name__)

FUNCTION = "rate_behaviour"
# How messages name the fields (``akuntabel-<nip>`` by ``akuntabel``).
LABELS = {behaviour.NOTE: "Catatan", **{value.key: value.name for value in predikat.BERAKHLAK}}


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    token = request.args.get("t", "")
    supervisor = identity.employee_for_token(runtime.store, runtime.settings.secret_key, token)
    if method == "GET":
        period = behaviour.month(request.args.get("bulan"), runtime.today())
        saved = request.args.get("tersimpan", "")
        typed = {"id_kiriman": new_id()}
        return _page(request, runtime, supervisor, token, period, typed, {}, saved if saved.isdigit() else "")

    try:
        form = read_post(request, runtime, LABELS)
    except UnreadableForm as err:
        period = behaviour.month(request.args.get("bulan"), runtime.today())  # the form's own month is in its link
        typed = {**err.typed, "id_kiriman": kept_id(err.typed)}
        return _page(request, runtime, supervisor, token, period, typed, err.fields, "", err.status)
    period = behaviour.month(form.get("bulan") or request.args.get("bulan"), runtime.today())
    try:
        receipt = behaviour.submit(runtime.store, supervisor, period, form, runtime.now())
    except ValidationError as err:
        if "id_kiriman" in err.fields:
            form = {**form, "id_kiriman": new_id()}  # else sending again could never pass
        return _page(request, runtime, supervisor, token, period, form, err.fields, "", err.status)
    except Conflict as err:
        # Keep what was chosen under a fresh id, so that sending again makes a new submission.
        form = {**form, "id_kiriman": new_id()}
        return _page(request, runtime, supervisor, token, period, form, {"id_kiriman": err.message}, "", err.status)
    log.info("behaviour ratings stored: members=%d duplicate=%s", receipt.count, receipt.duplicate)
    query = {"t": token, "bulan": period.label, "tersimpan": str(receipt.count)}
    return Response(status=303, headers={"Location": f"{FUNCTION}?{urlencode(query)}"})


def month_name(period: Period) -> str:
    """``November 2026``."""
    return f"{MONTHS[period.start.month - 1]} {period.start.year}"


def _page(
    request: Request,
    runtime: Runtime,
    supervisor: Row,
    token: str,
    period: Period,
    typed: dict[str, str],
    errors: dict[str, str],
    saved: str,
    status_code: int = 200,
) -> Response:
    members = behaviour.overview(runtime.store, supervisor["nip"], period)
    touched = {name.rpartition("-")[2] for name, value in {**typed, **errors}.items() if value and "-" in name}
    return form_page(
        request,
        runtime,
        "behaviour.html",
        status_code,
        supervisor=supervisor,
        members=members,
        period=period,
        month=month_name(period),
        months=[
            {"label": p.label, "name": month_name(p), "url": _url(token, p.label)}
            for p in behaviour.open_months(runtime.today())
        ],
        values=predikat.BERAKHLAK,
        ratings=predikat.RATINGS,
        below=predikat.BELOW,
        field=behaviour.field,
        touched=touched,
        errors=errors,
        typed=typed,
        saved=saved,
        action_url=_url(token, period.label),
        review_url=f"review_reports?{urlencode({'t': token})}",
    )


def _url(token: str, bulan: str) -> str:
    return f"{FUNCTION}?{urlencode({'t': token, 'bulan': bulan})}"

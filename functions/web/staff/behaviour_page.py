"""The monthly rating of perilaku kerja behind a supervisor's personal link.

``rate_behaviour?t=<token>``: GET shows each direct team member with the rating that counts for the month open for
rating (``behaviour.window``: the month just ended, from its last week to the fifth working day of the next) and a
form to rate them on the seven BerAKHLAK values, an existing rating prefilled; POST stores the ratings and answers
with a redirect back (post/redirect/get). Outside the window the page says when the next month opens.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Request, Response

from functions.errors import Conflict, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.periods import Period
from functions.rules import predikat
from functions.rules.workdays import Calendar
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
    calendar = Calendar.from_store(runtime.store)
    if method == "GET":
        if behaviour.window(runtime.today(), calendar).period is None and not request.args.get("bulan"):
            return _closed(request, runtime, supervisor, token, calendar)
        period = behaviour.month(request.args.get("bulan"), runtime.today(), calendar)
        saved = request.args.get("tersimpan", "")
        typed = {"id_kiriman": new_id()}
        saved = saved if saved.isdigit() else ""
        return _page(request, runtime, supervisor, token, period, typed, {}, saved, fresh=True)

    try:
        form = read_post(request, runtime, LABELS)
    except UnreadableForm as err:
        # The month of a form that could not be read is in its link.
        period = behaviour.month(request.args.get("bulan"), runtime.today(), calendar)
        typed = {**err.typed, "id_kiriman": kept_id(err.typed)}
        return _page(request, runtime, supervisor, token, period, typed, err.fields, "", err.status)
    period = behaviour.month(form.get("bulan") or request.args.get("bulan"), runtime.today(), calendar)
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
    *,
    fresh: bool = False,
) -> Response:
    """The form; ``fresh``: not sent yet, so it holds each member's rating that counts ("Ubah penilaian")."""
    members = behaviour.overview(runtime.store, supervisor["nip"], period)
    current = behaviour.prefilled(members)
    if fresh:
        typed = {**current, **typed}
    # A refused form opens the part of each member with an error or with a change from what counts.
    touched = {name.rpartition("-")[2] for name, value in errors.items() if value and "-" in name}
    touched |= {name.rpartition("-")[2] for name, value in current.items() if typed.get(name, "") != value}
    open_now = behaviour.window(runtime.today(), Calendar.from_store(runtime.store))
    return form_page(
        request,
        runtime,
        "behaviour.html",
        status_code,
        supervisor=supervisor,
        members=members,
        period=period,
        month=behaviour.month_name(period),
        closes=open_now.closes,
        closed_message="",
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


def _closed(request: Request, runtime: Runtime, supervisor: Row, token: str, calendar: Calendar) -> Response:
    """Outside every window: when the next month opens, and the ratings that count for the month last rated."""
    closed = behaviour.window(runtime.today(), calendar)
    last = closed.rated.previous()
    return form_page(
        request,
        runtime,
        "behaviour.html",
        supervisor=supervisor,
        members=behaviour.overview(runtime.store, supervisor["nip"], last),
        period=last,
        month=behaviour.month_name(last),
        closes=None,
        closed_message=behaviour.closed_message(closed),
        values=predikat.BERAKHLAK,
        errors={},
        saved="",
        review_url=f"review_reports?{urlencode({'t': token})}",
    )


def _url(token: str, bulan: str) -> str:
    return f"{FUNCTION}?{urlencode({'t': token, 'bulan': bulan})}"

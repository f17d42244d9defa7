"""The supervisor's view behind their personal link: the team's reports and verification.

GET lists the team's activities of a week (filter by person and status); POST records
decisions and answers with a redirect back to the same view (post/redirect/get).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Request, Response

from functions.errors import UnreadableForm, ValidationError
from functions.runtime import Runtime
from functions.staff import identity, verification
from functions.store import Row
from functions.web.http import form_page, guarded, read_post, require_method

log = logging.getLogger(__name__)

# A decision looks its activities up in the days the page listed, widened by this much: a "this week" or pending
# view opened before midnight and sent after it still finds its rows.
DECISION_SLACK_DAYS = 7
# How messages name the fields (``status-<id>`` by ``status``).
LABELS = {"minggu": "Minggu", "nip": "Pegawai", "status": "Status", "catatan": "Catatan"}


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    store = runtime.store
    token = request.args.get("t", "")
    supervisor = identity.employee_for_token(store, runtime.settings.secret_key, token)
    if method == "GET":
        filters = {k: request.args.get(k, "") for k in ("minggu", "nip", "status")}
        saved = request.args.get("tersimpan", "")
        return _page(request, runtime, supervisor, token, filters, {}, {}, saved)

    try:
        form = read_post(request, runtime, LABELS)
    except UnreadableForm as err:
        filters = {k: err.typed.get(k, "") for k in ("minggu", "nip", "status")}
        typed = {k: v for k, v in err.typed.items() if k.startswith(("status-", "catatan-"))}
        return _page(request, runtime, supervisor, token, filters, err.fields, typed, "", err.status)
    filters = {k: form.get(k, "") for k in ("minggu", "nip", "status")}
    decisions: dict[str, tuple[str, str]] = {}
    for key, value in form.items():
        if key.startswith("status-") and value:
            decisions[key[len("status-") :]] = (value, form.get("catatan-" + key[len("status-") :], ""))
        elif key.startswith("catatan-") and value.strip() and not form.get("status-" + key[len("catatan-") :]):
            decisions[key[len("catatan-") :]] = ("", value)
    try:
        start, end, _status = _window(filters, runtime.today())
        count = verification.verify(
            store,
            supervisor["nip"],
            decisions,
            runtime.now(),
            start=start - timedelta(days=DECISION_SLACK_DAYS),
            end=end,
        )
    except ValidationError as err:
        typed = {k: v for k, v in form.items() if k.startswith(("status-", "catatan-"))}
        return _page(request, runtime, supervisor, token, filters, err.fields, typed, "", err.status)
    log.info("verification stored: activities=%d", count)
    query = {"t": token, **{k: v for k, v in filters.items() if v}, "tersimpan": str(count)}
    return Response(status=303, headers={"Location": f"review_reports?{urlencode(query)}"})


def _page(
    request: Request,
    runtime: Runtime,
    supervisor: Row,
    token: str,
    filters: dict[str, str],
    errors: dict[str, str],
    typed: dict[str, str],
    saved: str,
    status_code: int = 200,
) -> Response:
    shown = filters
    try:
        start, end, status = _window(filters, runtime.today())
    except ValidationError as err:
        # A filter that is no week or status: say so beside it, keep what was typed, list what waits meanwhile.
        errors, status_code = {**err.fields, **errors}, err.status
        shown = {**filters, **dict.fromkeys(err.fields, "")}
        start, end, status = _window(shown, runtime.today())
    pending_view = _pending_view(shown)
    week = "" if pending_view else verification.week_label(start)
    if "minggu" in errors:
        week = filters.get("minggu", "")  # as typed, beside its message
    data = verification.team_reports(runtime.store, supervisor["nip"], start, end, shown.get("nip") or None, status)
    return form_page(
        request,
        runtime,
        "review.html",
        status_code,
        supervisor=supervisor,
        data=data,
        week=week,
        pending_view=pending_view,
        pending_days=verification.PENDING_DAYS,
        filters=shown,
        statuses=verification.STATUSES,
        errors=errors,
        typed=typed,
        saved=saved,
        token=token,
        action_url=f"review_reports?{urlencode({'t': token})}",
        report_url=f"submit_report?{urlencode({'t': token})}",
    )


def _pending_view(filters: dict[str, str]) -> bool:
    return not filters.get("minggu") and not filters.get("status")


def _window(filters: dict[str, str], today: date) -> tuple[date, date, str | None]:
    """The days the page lists and the status it shows: the pending view, or a week (this one when empty)."""
    if _pending_view(filters):
        # First thing a supervisor wants: what still waits for them, whatever the week.
        return verification.pending_since(today), today, "Menunggu"
    status = filters.get("status") or None
    if status is not None and status not in verification.STATUSES:
        raise ValidationError({"status": "Status: pilih " + ", ".join(verification.STATUSES) + " atau Semua status."})
    start, end = verification.iso_week(filters.get("minggu"), today)
    return start, end, status

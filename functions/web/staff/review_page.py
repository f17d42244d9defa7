"""The supervisor's view behind their personal link: the team's reports and verification.

GET lists the team's activities (what still waits, or a week or a day; filter by person and status), each as a card
with its decision, grouped by person; POST records decisions and answers with a redirect back to the same view
(post/redirect/get). "Setujui semua yang ditampilkan (N)", for everyone listed or for one person, first shows a
confirmation page (``setujui=semua``, no JavaScript needed) whose form carries the ids it listed; confirming approves
those still waiting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Request, Response

from functions import periods, schema
from functions.errors import UnreadableForm, ValidationError
from functions.runtime import Runtime
from functions.staff import identity, verification
from functions.store import Row
from functions.web.http import form_page, guarded, read_post, require_method
from functions.web.staff import photo_page

log = logging.getLogger(__name__)

# A decision looks its activities up in the days the page listed, widened by this much: a "this week" or pending
# view opened before midnight and sent after it still finds its rows.
DECISION_SLACK_DAYS = 7
FILTERS = ("minggu", "tanggal", "nip", "status")
# How messages name the fields (``status-<id>`` by ``status``).
LABELS = {"minggu": "Minggu", "tanggal": "Tanggal", "nip": "Pegawai", "status": "Status", "catatan": "Catatan"}
BULK = "setujui"  # ``setujui=semua`` opens the confirmation; the confirm form sends ``setujui-<id>`` per activity
BULK_ACTION = "setujui_semua"


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    store = runtime.store
    token = request.args.get("t", "")
    supervisor = identity.employee_for_token(store, runtime.settings.secret_key, token)
    if method == "GET":
        filters = {k: request.args.get(k, "") for k in FILTERS}
        saved = request.args.get("tersimpan", "")
        confirm = request.args.get(BULK) == "semua"
        page = _Page(request, runtime, supervisor, token, filters)
        return page.render({}, {}, saved if saved.isdigit() else "", confirm=confirm)

    try:
        form = read_post(request, runtime, LABELS)
    except UnreadableForm as err:
        filters = {k: err.typed.get(k, "") for k in FILTERS}
        typed = {k: v for k, v in err.typed.items() if k.startswith(("status-", "catatan-"))}
        return _Page(request, runtime, supervisor, token, filters).render(err.fields, typed, "", err.status)
    filters = {k: form.get(k, "") for k in FILTERS}
    page = _Page(request, runtime, supervisor, token, filters)
    try:
        start, end, _status = _window(filters, runtime.today())
        start -= timedelta(days=DECISION_SLACK_DAYS)
        if form.get("aksi") == BULK_ACTION:
            ids = [key[len(BULK) + 1 :] for key, value in form.items() if key.startswith(BULK + "-") and value]
            result = verification.approve_all(store, supervisor["nip"], ids, runtime.now(), start=start, end=end)
            count = result.approved
        else:
            count = verification.verify(store, supervisor["nip"], _decisions(form), runtime.now(), start=start, end=end)
    except ValidationError as err:
        typed = {k: v for k, v in form.items() if k.startswith(("status-", "catatan-"))}
        return page.render(err.fields, typed, "", err.status)
    log.info("verification stored: activities=%d", count)
    query = {"t": token, **{k: v for k, v in filters.items() if v}, "tersimpan": str(count)}
    return Response(status=303, headers={"Location": f"review_reports?{urlencode(query)}"})


def _decisions(form: dict[str, str]) -> dict[str, tuple[str, str]]:
    """{activity id: (status, note)} of the form's radios and notes; a note without a status is a decision to check."""
    decisions: dict[str, tuple[str, str]] = {}
    for key, value in form.items():
        if key.startswith("status-") and value:
            decisions[key[len("status-") :]] = (value, form.get("catatan-" + key[len("status-") :], ""))
        elif key.startswith("catatan-") and value.strip() and not form.get("status-" + key[len("catatan-") :]):
            decisions[key[len("catatan-") :]] = ("", value)
    return decisions


@dataclass(frozen=True)
class _Page:
    """The review page (or its bulk confirmation) for one supervisor and the filters asked for."""

    request: Request
    runtime: Runtime
    supervisor: Row
    token: str
    filters: dict[str, str]

    def url(self, **extra: str) -> str:
        query = {"t": self.token, **{k: v for k, v in self.filters.items() if v}, **extra}
        return f"review_reports?{urlencode(query)}"

    def render(
        self,
        errors: dict[str, str],
        typed: dict[str, str],
        saved: str,
        status_code: int = 200,
        *,
        confirm: bool = False,
    ) -> Response:
        filters = self.filters
        shown = filters
        try:
            start, end, status = _window(filters, self.runtime.today())
        except ValidationError as err:
            # A filter that is no week, day or status: say so beside it, keep what was typed, list what waits.
            errors, status_code, confirm = {**err.fields, **errors}, err.status, False
            shown = {**filters, **dict.fromkeys(err.fields, "")}
            start, end, status = _window(shown, self.runtime.today())
        pending_view = _pending_view(shown)
        week = "" if pending_view or shown.get("tanggal") else periods.week(start).label
        if "minggu" in errors:
            week = filters.get("minggu", "")  # as typed, beside its message
        data = verification.team_reports(
            self.runtime.store, self.supervisor["nip"], start, end, shown.get("nip") or None, status
        )
        token = self.token
        return form_page(
            self.request,
            self.runtime,
            "review.html",
            status_code,
            supervisor=self.supervisor,
            data=data,
            week=week,
            day=filters.get("tanggal", ""),
            pending_view=pending_view,
            pending_days=verification.PENDING_DAYS,
            filters=shown,
            statuses=verification.STATUSES,
            errors=errors,
            typed=typed,
            saved=saved,
            token=token,
            confirm=confirm,
            bulk_field=BULK,
            bulk_action=BULK_ACTION,
            confirm_url=lambda nip="": self.url(**{BULK: "semua", **({"nip": nip} if nip else {})}),
            back_url=self.url(),
            action_url=f"review_reports?{urlencode({'t': token})}",
            report_url=f"submit_report?{urlencode({'t': token})}",
            scores_url=f"team_scores?{urlencode({'t': token})}",
            behaviour_url=f"rate_behaviour?{urlencode({'t': token})}",
            photo_url=lambda name, day, small=False: photo_page.url(token, name, day, small),
        )


def _pending_view(filters: dict[str, str]) -> bool:
    return not filters.get("minggu") and not filters.get("tanggal") and not filters.get("status")


def _window(filters: dict[str, str], today: date) -> tuple[date, date, str | None]:
    """The days the page lists and the status it shows: the pending view, a day, or a week (this one when empty)."""
    if _pending_view(filters):
        # First thing a supervisor wants: what still waits for them, whatever the week.
        return verification.pending_since(today), today, "Menunggu"
    status = filters.get("status") or None
    if status is not None and status not in verification.STATUSES:
        raise ValidationError({"status": "Status: pilih " + ", ".join(verification.STATUSES) + " atau Semua status."})
    if filters.get("tanggal"):
        try:
            day = schema.parse_date(filters["tanggal"])
        except ValueError as err:
            raise ValidationError({"tanggal": f"Tanggal: {err}."}) from err
        return day, day, status
    start, end = verification.iso_week(filters.get("minggu"), today)
    return start, end, status

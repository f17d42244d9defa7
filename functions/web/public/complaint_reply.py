"""The reporter's side of the status page: ``POST complaint_status`` with the tracking code and the PIN.

Without an action (``jenis``) the POST opens the conversation: the status page with the reporter's forms, each
carrying the code and the PIN in hidden fields (nothing is kept on the server between requests, so it works on
Cloud Functions). With an action it records it (``complaints.respond``) and shows the page again. A wrong PIN or
an unknown code answers the same 403 page, which asks for the PIN again and keeps what was typed; wrong PINs are
limited per code and per address (``pin_guard``). Nothing is stored unless the PIN matched and the action is valid.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Request, Response

from functions.citizens import complaint_pin, complaints, conversation
from functions.citizens.complaints import Complaint
from functions.errors import Conflict, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.web.http import form_page, kept_id, read_public_post
from functions.web.public import pin_guard

log = logging.getLogger(__name__)
WRONG_PIN = (
    "PIN: kode pelacakan dan PIN tidak cocok. Periksa PIN yang Anda terima bersama kode pelacakan "
    "(8 huruf dan angka, misalnya K7Q2-MX4P). Tidak ada yang disimpan."
)
PENDING = ("jenis", "penilaian", "catatan", "id_kiriman")  # an action's fields, kept while the PIN is asked again


def handle_post(request: Request, runtime: Runtime) -> Response:
    try:
        form = read_public_post(request, runtime, complaints.LABELS)
        errors: dict[str, str] = {}
        status = 200
    except UnreadableForm as err:
        form, errors, status = err.typed, err.fields, err.status
    code = complaints.normalize_code(form.get("kode", "")) or form.get("kode", "").strip()
    calendar = Calendar.from_store(runtime.store, runtime.settings.tz)
    try:
        pin_guard.check(runtime, request, code)
    except pin_guard.TooManyWrongPins as err:
        response = _pin_page(request, runtime, form, err.message, err.status)
        response.headers["Retry-After"] = str(err.retry_after)
        return response
    complaint = complaints.by_code(runtime.store, code, calendar, runtime.now()) if code else None
    if complaint is None or not complaint_pin.matches(runtime.store, complaint.id, form.get("pin", "")):
        if form.get("pin"):  # a guess, whether the code exists or not (an unreadable body without one is none)
            pin_guard.failed(runtime, request, code)
        log.info("complaint PIN refused")
        # A body that could not be read is named as such (a PIN it carried still counted: no way around the limit).
        message, status = (next(iter(errors.values())), status) if errors else (WRONG_PIN, 403)
        return _pin_page(request, runtime, form, message, status)
    if errors or not form.get("jenis"):
        return conversation_page(request, runtime, complaint, calendar, form, errors, "", status)
    return _respond(request, runtime, complaint, calendar, form)


def _respond(
    request: Request, runtime: Runtime, complaint: Complaint, calendar: Calendar, form: dict[str, str]
) -> Response:
    try:
        created = complaints.respond(form, complaint, runtime.store, calendar, runtime.now())
    except ValidationError as err:
        if "id_kiriman" in err.fields:
            form = {**form, "id_kiriman": new_id()}
        return conversation_page(request, runtime, complaint, calendar, form, err.fields, "", err.status)
    except Conflict as err:
        typed = {**form, "id_kiriman": new_id()}
        return conversation_page(request, runtime, complaint, calendar, typed, {"id_kiriman": err.message}, "", 409)
    log.info("complaint reporter event stored: action=%s new=%s", form["jenis"], created)
    fresh = complaints.by_code(runtime.store, complaint.row["kode"], calendar, runtime.now()) or complaint
    kept = {"kode": form.get("kode", ""), "pin": form.get("pin", "")}
    return conversation_page(request, runtime, fresh, calendar, kept, {}, form["jenis"])


def _pin_page(request: Request, runtime: Runtime, form: dict[str, str], message: str, status: int) -> Response:
    pending = {k: form[k] for k in PENDING if form.get(k)}
    if "id_kiriman" in pending:
        pending["id_kiriman"] = kept_id(pending)
    return form_page(
        request, runtime, "complaint_pin.html", status, kode=form.get("kode", ""), error=message, pending=pending
    )


def conversation_page(
    request: Request,
    runtime: Runtime,
    complaint: Complaint,
    calendar: Calendar,
    typed: dict[str, str],
    errors: dict[str, str],
    saved: str,
    status: int = 200,
) -> Response:
    """The status page for the reporter who gave the PIN: their texts, and a form for each action open now."""
    now = runtime.now()
    actions = list(conversation.allowed(complaint.thread, calendar, now))
    refused = typed.get("jenis", "")
    if errors and refused in conversation.REPORTER_ACTIONS and refused not in actions:
        actions.append(refused)  # its form comes back with the reason and what was typed
    return status_page(
        request,
        runtime,
        complaint,
        status,
        reporter=True,
        reporter_text=True,
        pin=typed.get("pin", ""),
        actions=[{"jenis": a, "id": _form_id(typed, a)} for a in actions],
        reopen_note=conversation.refusal(conversation.REOPEN, complaint.thread, calendar, now)
        if complaint.thread.state in conversation.CLOSINGS
        else None,
        typed=typed,
        errors=errors,
        saved=saved,
    )


def _form_id(typed: dict[str, str], action: str) -> str:
    return kept_id(typed) if typed.get("jenis") == action else new_id()


def status_page(request: Request, runtime: Runtime, complaint: Complaint, status: int = 200, **extra: Any) -> Response:
    """The status page of one complaint: read-only with a box for the PIN, or the reporter's (``extra``)."""
    names = complaints.unit_names(runtime.store)
    context: dict[str, Any] = {
        "reporter": False,
        "reporter_text": complaint.row["privasi"] == "Biasa",
        "actions": [],
        "reopen_note": None,
        "typed": {},
        "errors": {},
        "saved": "",
        "pin": "",
        **extra,
    }
    return form_page(
        request,
        runtime,
        "complaint_status.html",
        status,
        c=complaint,
        unit_name=names.get(complaint.unit or "", "Sedang diverifikasi"),
        timeline=complaints.public_events(complaint, names, context["reporter_text"]),
        show_text=complaint.row["privasi"] == "Biasa" or context["reporter"],
        notes=complaints.REPORTER_NOTE,
        ratings=conversation.RATINGS,
        **context,
    )

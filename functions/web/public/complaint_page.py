"""The public complaint form and the status page a reporter opens with their tracking code.

``submit_complaint`` (GET form, POST files it and shows the code big) and
``complaint_status`` (GET: a box to type the code, or the status of ``?kode=``; POST: the reporter's side with
the code and PIN, ``complaint_reply``). A wrong or unknown code answers the same 404, so the page tells nobody
which codes exist. The PIN is shown once with the code (again for a retry of the same form: ``complaint_pin``).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from flask import Request, Response

from functions import schema
from functions.citizens import complaint_pin, complaints
from functions.errors import Conflict, NotFound, UnreadableForm, ValidationError
from functions.ids import new_id
from functions.rendering import render
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.store import Row
from functions.web import ratelimit
from functions.web.http import form_page, guarded, html, kept_id, read_args, read_public_post, require_method
from functions.web.public import complaint_reply

log = logging.getLogger(__name__)
UNKNOWN_CODE = "Kode pelacakan tidak ditemukan. Periksa kembali kode yang Anda ketik (contoh: ADU-7KQ2-MX4P-9RTA)."


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def handle_status(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _status(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    if method == "GET":
        typed = {"id_kiriman": new_id(), "unit": request.args.get("unit", ""), "privasi": "Biasa"}
        return _form(request, runtime, {**typed, complaint_pin.SEED_FIELD: complaint_pin.new_seed()}, {})
    try:
        form = read_public_post(request, runtime, complaints.LABELS, kind=ratelimit.COMPLAINT)
    except UnreadableForm as err:
        typed = {"privasi": "Biasa", **err.typed, "id_kiriman": kept_id(err.typed, complaints.FILING_ID_MAX)}
        return _form(request, runtime, typed, err.fields, err.status)
    calendar = Calendar.from_store(runtime.store, runtime.settings.tz)
    try:
        row, created, dropped = complaints.file(form, runtime.store, calendar, runtime.now())
    except ValidationError as err:
        if "id_kiriman" in err.fields:
            form = {**form, "id_kiriman": new_id()}  # else sending again could never pass
        return _form(request, runtime, form, err.fields, err.status)
    except Conflict as err:
        # Keep what was typed under a fresh id, so that sending again files a new complaint.
        typed = {**form, "id_kiriman": new_id(), complaint_pin.SEED_FIELD: complaint_pin.new_seed()}
        return _form(request, runtime, typed, {"id_kiriman": err.message}, err.status)
    pin = complaint_pin.derive(runtime.settings.secret_key, form.get(complaint_pin.SEED_FIELD, ""), row["id"])
    given = complaint_pin.issue(runtime.store, row["id"], pin)
    log.info("complaint stored: submission=%s new=%s pin_given=%s", row["id"], created, given)
    emailed = created and given and _send_receipt(runtime, row, complaint_pin.shown(pin))
    status_url = f"complaint_status?{urlencode({'kode': row['kode']})}"
    page = render(
        "complaint_done.html",
        row=row,
        dropped_contact=dropped,
        status_url=status_url,
        pin=complaint_pin.shown(pin) if given else None,
        emailed=emailed,
    )
    return html(page)


def _send_receipt(runtime: Runtime, row: Row, pin: str) -> bool:
    """Email the code and PIN when the reporter left an address that was kept (never for Anonim)."""
    from functions.mail import complaint_receipt

    contact = runtime.store.records("AduanKontak", where={"id": row["id"]}) if row["ada_kontak"] else []
    email = contact[0].get("email") if contact else None
    if not email:
        return False
    unit = complaints.unit_names(runtime.store).get(row.get("unit") or "", "Unit belum ditentukan")
    sent = complaint_receipt.send(runtime.settings, row, unit, pin, email, runtime.now())
    log.info("complaint receipt: submission=%s sent=%s", row["id"], sent)
    return sent


def _form(
    request: Request, runtime: Runtime, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    sheet = schema.sheet("Aduan")
    return form_page(
        request,
        runtime,
        "complaint_form.html",
        status,
        typed=typed,
        errors=errors,
        categories=sheet.column("kategori").allowed,
        units=sorted(runtime.store.records("Unit"), key=lambda u: u["nama"]),
        retention_days=runtime.settings.contact_retention_days,
        action_url="submit_complaint",
    )


def _status(request: Request, runtime: Runtime) -> Response:
    if require_method(request, "GET", "POST") == "POST":
        return complaint_reply.handle_post(request, runtime)
    try:
        typed = read_args(request, {"kode": "Kode pelacakan"}).get("kode", "")
    except UnreadableForm as err:
        page = render("complaint_lookup.html", typed=err.typed.get("kode", ""), error=err.message)
        return html(page, err.status)
    if not typed:
        return html(render("complaint_lookup.html", typed="", error=""))
    code = complaints.normalize_code(typed)
    calendar = Calendar.from_store(runtime.store, runtime.settings.tz)
    complaint = complaints.by_code(runtime.store, code, calendar, runtime.now()) if code else None
    if complaint is None:
        # Failed look-ups count against the rate limit: guessing codes gets a 429 quickly.
        ratelimit.check(runtime, request, ratelimit.STATUS)
        raise NotFound(UNKNOWN_CODE)
    return complaint_reply.status_page(request, runtime, complaint)

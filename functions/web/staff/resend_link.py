"""``resend_link``: "Kirim ulang tautan saya". Staff who lost their personal link type their NIP; the link goes to
the email address on file.

The answer is the same page, with the same status, whether the NIP exists, is inactive, has no address or was
already served today: the page never tells anyone who is on the staff. Limits: the public forms' limit per client
address, and one link email per NIP a day (the Terkirim key ``<day>:tautan:<nip>``, shared by every instance and the
operator's console), so nobody can flood a colleague's inbox.
"""

from __future__ import annotations

import logging

from flask import Request, Response

from functions import schema
from functions.errors import UnreadableForm, ValidationError
from functions.runtime import Runtime
from functions.web import ratelimit
from functions.web.http import form_page, guarded, read_public_post, require_method

log = logging.getLogger(__name__)
NIP_MESSAGE = "NIP: tulis 18 digit NIP Anda tanpa spasi atau titik, misalnya 199003032015031003."


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda r: _handle(r, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    if require_method(request, "GET", "POST") == "GET":  # HEAD too
        return form_page(request, runtime, "resend_link.html", errors={}, typed="")
    try:
        form = read_public_post(request, runtime, {"nip": "NIP"}, kind=ratelimit.LINK)
    except UnreadableForm as err:  # bad bytes or an over-size body: the form again, naming the field
        return form_page(
            request, runtime, "resend_link.html", err.status, errors=err.fields, typed=err.typed.get("nip", "")
        )
    typed = form.get("nip", "")
    nip = typed.strip().replace(" ", "").replace(".", "")
    if not schema.NIP_RE.fullmatch(nip):
        error = ValidationError({"nip": NIP_MESSAGE})
        return form_page(request, runtime, "resend_link.html", 400, errors=error.fields, typed=typed)
    _send(runtime, nip)
    return form_page(request, runtime, "resend_link_done.html")


def _send(runtime: Runtime, nip: str) -> None:
    """Email the person's links when the NIP names an active employee; nothing otherwise, and nothing said."""
    from functions.mail import links

    store = runtime.store
    rows = [p for p in store.records("Pegawai", where={"nip": nip}) if p.get("aktif") is not False]
    if not rows:
        return
    report, _ = links.send_links(store, runtime.settings, rows, "", runtime.now)
    log.info("link resend: sent=%d already=%d failed=%d", report.sent, report.already_sent, len(report.failed))

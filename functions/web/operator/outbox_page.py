"""The local outbox in the web app: the weekly emails written as .eml files, listed and readable.

Only in the local home (mail transport ``outbox``). The HTML part is served on its own page with
a strict content policy and its inline images turned into data URIs, so it shows as a mail
client would show it.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response

from functions.errors import NotFound
from functions.mail.transport import list_messages, read_message
from functions.rendering import render
from functions.runtime import Runtime
from functions.web.http import error_page, html

LIMIT = 500


def blueprint(runtime: Runtime) -> Blueprint:
    bp = Blueprint("outbox", __name__)
    folder = runtime.settings.outbox_dir

    @bp.get("/")
    def index() -> Response:
        items = list_messages(folder, LIMIT)
        total = len(list(folder.glob("*.eml"))) if folder.is_dir() else 0
        return html(render("outbox.html", items=items, total=total, transport=runtime.settings.mail_transport))

    @bp.get("/<name>")
    def show(name: str) -> Response:
        try:
            message = read_message(folder, name)
        except NotFound as err:
            return error_page(err)
        text = message.get_body(preferencelist=("plain",))
        return html(
            render(
                "outbox_message.html",
                name=name,
                message=message,
                text=text.get_content() if text is not None else "",
                has_html=message.get_body(preferencelist=("html",)) is not None,
            )
        )

    @bp.get("/<name>/html")
    def show_html(name: str) -> Response:
        try:
            message = read_message(folder, name)
        except NotFound as err:
            return error_page(err)
        part = message.get_body(preferencelist=("html",))
        if part is None:
            return error_page(NotFound("Email ini tidak punya bagian HTML."))
        body = part.get_content()
        for inline in message.walk():
            cid = inline.get("Content-ID")
            if cid and inline.get_content_maintype() == "image":
                payload = inline.get_payload(decode=True)
                if not isinstance(payload, bytes):
                    continue
                data = base64.b64encode(payload).decode()
                body = body.replace(f"cid:{cid.strip('<>')}", f"data:{inline.get_content_type()};base64,{data}")
        response = Response(body, mimetype="text/html")
        # The one policy with 'unsafe-inline', for styles only: an email carries its layout in style attributes
        # (mail clients drop <style> blocks), and this page shows the email as a mail client would. It runs no
        # script, loads nothing but its inline images, submits nowhere and may not be framed.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; "
            "frame-ancestors 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return bp

"""Reading form requests safely, and turning errors into responses.

Bodies are checked before parsing: size (413), content type (415) and strict UTF-8
(400), so that a bad request never reaches the domain half-read. This is the one place
that maps errors to HTTP statuses for the HTML forms.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from flask import Request, Response

from functions.errors import (
    BadRequest,
    KinerjaError,
    MethodNotAllowed,
    PayloadTooLarge,
    UnsupportedMediaType,
    http_status,
)
from functions.rendering import render
from functions.web import csrf, ratelimit

if TYPE_CHECKING:
    from functions.runtime import Runtime

log = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"


def read_form(request: Request, max_bytes: int) -> dict[str, str]:
    """The fields of a urlencoded POST body; the first value of a repeated field wins."""
    length = request.content_length
    if length is not None and length > max_bytes:
        raise PayloadTooLarge(f"Kiriman terlalu besar (lebih dari {max_bytes // 1024} KB). Persingkat isian Anda.")
    if request.mimetype != FORM_TYPE:
        raise UnsupportedMediaType(
            "Jenis isi kiriman tidak didukung. Kirim lewat formulir (application/x-www-form-urlencoded)."
        )
    body = request.stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"Kiriman terlalu besar (lebih dari {max_bytes // 1024} KB). Persingkat isian Anda.")
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as err:
        raise BadRequest("Kiriman berisi karakter yang tidak valid (bukan UTF-8). Ketik ulang isian Anda.") from err
    fields: dict[str, str] = {}
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            raise BadRequest("Kiriman berisi karakter yang tidak valid. Ketik ulang isian Anda.")
        fields.setdefault(key, value)
    return fields


def require_method(request: Request, *allowed: str) -> None:
    if request.method not in allowed:
        raise MethodNotAllowed("Metode permintaan tidak didukung untuk halaman ini.")


HTML_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
}


def html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, headers=HTML_HEADERS)


def error_page(error: KinerjaError) -> Response:
    response = html(render("error.html", message=error.message, status=error.status), error.status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    if error.status == 405:
        response.headers["Allow"] = "GET, POST"
    return response


def form_page(request: Request, runtime: Runtime, template: str, status: int = 200, **context: Any) -> Response:
    """A page holding a form: rendered with its CSRF field, setting the cookie when new."""
    token = csrf.issue(request, runtime.settings.secret_key)
    response = html(render(template, csrf=token.token, **context), status)
    return csrf.attach(response, token, secure=runtime.settings.base_url.startswith("https://"))


HONEYPOT = "situs_web"


def read_public_post(request: Request, runtime: Runtime) -> dict[str, str]:
    """A citizen form's POST: rate limit, body checks, CSRF, and the honeypot left empty."""
    ratelimit.check(runtime, request)
    form = read_post(request, runtime)
    if form.get(HONEYPOT, "").strip():
        log.info("honeypot field filled; submission refused")
        raise BadRequest("Kiriman ditolak karena terdeteksi sebagai kiriman otomatis.")
    return form


def read_post(request: Request, runtime: Runtime) -> dict[str, str]:
    """A form POST's fields, after the body checks and the CSRF check."""
    form = read_form(request, runtime.settings.max_body_bytes)
    csrf.check(request, form, runtime.settings.secret_key)
    return form


def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Answer known errors with their page and status; an unexpected one with a logged 500."""

    def wrapper(request: Request) -> Response:
        try:
            return handler(request)
        except KinerjaError as err:
            return error_page(err)
        except Exception:
            log.exception("unexpected error in %s", handler.__name__)
            return html(
                render("error.html", message="Terjadi kesalahan di server. Silakan coba lagi.", status=500),
                http_status(Exception()),
            )

    wrapper.__name__ = handler.__name__
    return wrapper

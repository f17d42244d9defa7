"""Reading form requests safely, and turning errors into responses.

Bodies are checked before parsing: size (413), content type (415) and strict UTF-8 without
NULs (400), so that a bad request never reaches the domain half-read; the size and byte errors
name the field at fault and carry what could be read, so that each page shows its form again.
This is the one place that maps errors to HTTP statuses for the HTML forms.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_to_bytes

from flask import Request, Response

from functions import ids
from functions.errors import (
    BadRequest,
    Forbidden,
    KinerjaError,
    MethodNotAllowed,
    UnreadableForm,
    UnsupportedMediaType,
    http_status,
)
from functions.rendering import render
from functions.staff import identity
from functions.web import csrf, headers, ratelimit

if TYPE_CHECKING:
    from functions.runtime import Runtime

log = logging.getLogger(__name__)

FORM_TYPE = "application/x-www-form-urlencoded"


def read_form(request: Request, max_bytes: int, labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The fields of a urlencoded POST body; the first value of a repeated field wins.

    An over-size body is an UnreadableForm (413) with nothing read; a field holding invalid UTF-8 or a NUL an
    UnreadableForm (400) naming that field (by its label in ``labels``) and carrying what could be read.
    """
    length = request.content_length
    if length is not None and length > max_bytes:
        raise UnreadableForm(too_large_text(max_bytes), status=413)
    if request.mimetype != FORM_TYPE:
        raise UnsupportedMediaType(
            "Jenis isi kiriman tidak didukung. Kirim lewat formulir (application/x-www-form-urlencoded)."
        )
    body = request.stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise UnreadableForm(too_large_text(max_bytes), status=413)
    return _checked(body, labels)


def read_args(request: Request, labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """The query string's fields, checked as a form body is (Werkzeug's ``request.args`` would replace bad bytes
    silently)."""
    return _checked(request.query_string, labels)


def _checked(raw: bytes, labels: Mapping[str, str] | None) -> dict[str, str]:
    fields, bad = parse_fields(raw)
    if bad == "id_kiriman":
        del fields[bad]  # a garbled submission id is no id: the page shows the form with a fresh one
    if bad is not None:
        raise UnreadableForm(
            f"{label(bad, labels)}: berisi karakter yang tidak dapat dibaca (bukan UTF-8, atau karakter NUL). "
            "Tidak ada yang disimpan; hapus karakter itu atau ketik ulang isiannya, lalu kirim lagi.",
            field=bad,
            typed=fields,
        )
    return fields


def too_large_text(max_bytes: int) -> str:
    return (
        f"Kiriman terlalu besar: teks yang dikirim lebih dari {max_bytes // 1024} KB. Tidak ada yang disimpan, dan "
        "isian tidak dapat ditampilkan kembali. Persingkat teks Anda, lalu isi dan kirim lagi."
    )


def parse_fields(raw: bytes) -> tuple[dict[str, str], str | None]:
    """The fields of urlencoded bytes (first value wins) and the name of the first field that holds bad bytes: a
    byte outside ASCII, percent-escapes that are not UTF-8, or a NUL (None when every field is clean). Bad values
    come back decoded with replacement characters and without NULs: for showing the form again, never storing."""
    fields: dict[str, str] = {}
    bad: str | None = None
    for piece in raw.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        key, key_clean = _decode(name)
        text, text_clean = _decode(value)
        if bad is None and not (key_clean and text_clean):
            bad = key
        fields.setdefault(key, text)
    return fields, bad


def _decode(part: bytes) -> tuple[str, bool]:
    """One urlencoded name or value, and whether it was clean."""
    raw = unquote_to_bytes(part.replace(b"+", b" "))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace").replace("\x00", ""), False
    if not part.isascii() or "\x00" in text:
        return text.replace("\x00", ""), False
    return text, True


def label(field: str, labels: Mapping[str, str] | None = None) -> str:
    """How a message names a field: its label (``kegiatan-0`` by ``kegiatan``), else its name in words."""
    labels = {**COMMON_LABELS, **(labels or {})}
    if field in labels:
        return labels[field]
    base = field.split("-", 1)[0]
    return labels.get(base) or (base.replace("_", " ").strip().capitalize() or "Isian")


COMMON_LABELS = {"id_kiriman": "ID kiriman", "csrf": "Token formulir"}


def kept_id(typed: Mapping[str, str], max_length: int = 64) -> str:
    """The submission id a form sent, kept when the form comes back; a new one when it cannot be an id."""
    sent = typed.get("id_kiriman", "")
    return sent if ids.is_valid(sent, max_length) else ids.new_id()


def require_method(request: Request, *allowed: str) -> str:
    """The method the page handles the request as: HEAD as GET (Werkzeug sends the headers without the body);
    any other method outside ``allowed`` is a MethodNotAllowed listing the methods the page answers."""
    method = "GET" if request.method == "HEAD" and "GET" in allowed else request.method
    if method not in allowed:
        answered = [m for m in ("GET", "HEAD", "POST") if m in allowed or (m == "HEAD" and "GET" in allowed)]
        raise MethodNotAllowed("Metode permintaan tidak didukung untuk halaman ini.", tuple(answered))
    return method


def html(body: str, status: int = 200) -> Response:
    return Response(body, status=status, headers=headers.page_headers())


def error_page(error: KinerjaError) -> Response:
    response = html(render("error.html", message=error.message, status=error.status), error.status)
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    if error.status == 405:
        response.headers["Allow"] = ", ".join(getattr(error, "allowed", ()) or ("GET", "HEAD", "POST"))
    return response


def form_page(request: Request, runtime: Runtime, template: str, status: int = 200, **context: Any) -> Response:
    """A page holding a form: rendered with its CSRF field, setting the cookie when new."""
    token = csrf.issue(request, runtime.settings.secret_key)
    context.setdefault("home_url", home_link(request))
    response = html(render(template, csrf=token.token, **context), status)
    return csrf.attach(response, token, secure=runtime.settings.base_url.startswith("https://"))


def home_link(request: Request) -> str:
    """The person's home page (Beranda), relative, for a page opened by a personal link (``?t=``; the handler has
    checked it before rendering); empty for any other page."""
    token = request.args.get("t", "")
    return identity.home_url("", token).lstrip("/") if token else ""


HONEYPOT = "situs_web"


def read_public_post(
    request: Request,
    runtime: Runtime,
    labels: Mapping[str, str] | None = None,
    *,
    kind: str = ratelimit.GENERAL,
    kiosk: str | None = None,
) -> dict[str, str]:
    """A citizen form's POST: rate limit (of the form's kind, or of a verified kiosk), body checks, CSRF, and the
    honeypot left empty."""
    ratelimit.check(runtime, request, kind, kiosk)
    form = read_post(request, runtime, labels)
    if form.get(HONEYPOT, "").strip():
        log.info("honeypot field filled; submission refused")
        raise BadRequest("Kiriman ditolak karena terdeteksi sebagai kiriman otomatis.")
    return form


def read_post(request: Request, runtime: Runtime, labels: Mapping[str, str] | None = None) -> dict[str, str]:
    """A form POST's fields, after the body checks and the CSRF check.

    An UnreadableForm carries what was typed only when the body also carries this visitor's CSRF token: a page
    shows text sent from another site to nobody.
    """
    try:
        form = read_form(request, runtime.settings.max_body_bytes, labels)
    except UnreadableForm as err:
        try:
            csrf.check(request, err.typed, runtime.settings.secret_key)
        except Forbidden:
            err.typed = {}
        raise
    csrf.check(request, form, runtime.settings.secret_key)
    return form


def guarded(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Answer known errors with their page and status; an unexpected one with a logged 500."""

    def wrapper(request: Request) -> Response:
        try:
            response = handler(request)
        except KinerjaError as err:
            response = error_page(err)
        except Exception:
            log.exception("unexpected error in %s", handler.__name__)
            response = html(
                render("error.html", message="Terjadi kesalahan di server. Silakan coba lagi.", status=500),
                http_status(Exception()),
            )
        return headers.protect(response)  # redirects too, on Cloud Functions as locally

    wrapper.__name__ = handler.__name__
    return wrapper

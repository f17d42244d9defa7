"""The security headers of every response, and the hosts the local server answers to.

* Pages (``http.html``) carry a Content-Security-Policy with nothing inline but the one ``<style>`` block every page
  holds (``base.html`` includes ``forms/templates/style.css``), allowed by its sha256: no page has an inline script,
  a style attribute or a ``<style>`` of its own (``tests/web/test_headers.py`` checks every template); a script is a
  file of the app (``<script src=... defer>``, ``script-src 'self'``), as in ``functions.web.staff.ekinerja_page``
  and ``functions.web.staff.offline``.
* Every response, also a redirect, a download, JSON or an error of Flask itself, is never framed by another page
  (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``) and never type-sniffed: :func:`protect`.
* The local server answers only the Host of ``KINERJA_BASE_URL`` and, locally, 127.0.0.1 and localhost
  (:func:`trusted_hosts`, Flask's ``TRUSTED_HOSTS``), so that a page of another site cannot reach it through a
  name that resolves to 127.0.0.1 (DNS rebinding). On Cloud Functions Google's front end routes only its own
  hosts to a function.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Response

from functions.rendering import render

if TYPE_CHECKING:
    from functions.settings import Settings

NO_FRAMING = "frame-ancestors 'none'"
LOCAL_HOSTS = ("127.0.0.1", "localhost")


@functools.cache
def style_source() -> str:
    """The CSP source of the pages' one ``<style>`` block: the sha256 of ``style.css`` as ``base.html`` includes it."""
    digest = hashlib.sha256(render("style.css").encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@functools.cache
def page_headers() -> dict[str, str]:
    """The headers of an HTML page."""
    policy = (
        f"default-src 'self'; img-src 'self' data:; style-src {style_source()}; script-src 'self'; "
        f"form-action 'self'; base-uri 'none'; object-src 'none'; {NO_FRAMING}"
    )
    return {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": policy,
    }


def with_own_style(response: Response, page: str) -> Response:
    """A page with a ``<style>`` block of its own (a QR poster, also saved as a file to print): the policy allows
    that block by its sha256 instead of ``style.css``, so that the browser applies it."""
    start, end = page.index("<style>") + len("<style>"), page.index("</style>")
    digest = base64.b64encode(hashlib.sha256(page[start:end].encode("utf-8")).digest()).decode("ascii")
    policy = response.headers["Content-Security-Policy"].replace(style_source(), f"'sha256-{digest}'")
    response.headers["Content-Security-Policy"] = policy
    return response


def protect(response: Response) -> Response:
    """Any response: not to be framed, not to be sniffed; a policy it has keeps its own rules."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    policy = response.headers.get("Content-Security-Policy")
    if policy is None:
        response.headers["Content-Security-Policy"] = NO_FRAMING
    elif "frame-ancestors" not in policy:
        response.headers["Content-Security-Policy"] = f"{policy.rstrip('; ')}; {NO_FRAMING}"
    return response


def trusted_hosts(settings: Settings) -> list[str]:
    """Host names the local app answers to (ports are not compared: Werkzeug checks the name)."""
    hosts = [urlsplit(settings.base_url).hostname or ""]
    if settings.environment == "local":
        hosts += LOCAL_HOSTS
    return sorted({h for h in hosts if h})


WRONG_HOST = (
    "Alamat yang dibuka tidak dikenal server ini (header Host). Buka Pantau Kinerja lewat {base_url}, "
    "atau sesuaikan KINERJA_BASE_URL."
)

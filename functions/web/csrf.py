"""CSRF protection for every form: a double-submit cookie, works without JavaScript.

GET sets a random value in an HttpOnly, SameSite=Lax cookie and puts its HMAC in a hidden
field; POST must carry both, matching. Another site can neither read the cookie nor
compute the field, so it cannot make a visitor's browser post a form for them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import Request, Response

from functions.errors import Forbidden

COOKIE = "kinerja_csrf"
FIELD = "csrf"
MESSAGE = "Formulir sudah kedaluwarsa atau dibuka dari tempat lain. Muat ulang halaman, lalu kirim lagi."


@dataclass(frozen=True)
class Csrf:
    token: str
    cookie: str
    new: bool


def _sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + value.encode(), hashlib.sha256).hexdigest()


def issue(request: Request, secret: str) -> Csrf:
    """The field token for this visitor, with a new cookie when they have none."""
    cookie = request.cookies.get(COOKIE, "")
    new = not (16 <= len(cookie) <= 64 and cookie.replace("-", "").replace("_", "").isalnum())
    if new:
        cookie = secrets.token_urlsafe(24)
    return Csrf(token=_sign(secret, cookie), cookie=cookie, new=new)


def check(request: Request, form: dict[str, str], secret: str) -> None:
    cookie = request.cookies.get(COOKIE, "")
    sent = form.get(FIELD, "")
    if not cookie or not sent or not hmac.compare_digest(_sign(secret, cookie), sent):
        raise Forbidden(MESSAGE)


def attach(response: Response, csrf: Csrf, secure: bool) -> Response:
    if csrf.new:
        response.set_cookie(COOKIE, csrf.cookie, httponly=True, samesite="Lax", secure=secure, path="/")
    return response

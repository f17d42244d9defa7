"""The operator's session: opened by their personal link, carried by a signed cookie, checked on every request.

``/operator_console?t=<personal link token>`` checks the link like every page does (signature, version, active) and
that the person is an operator, then sets a cookie holding the NIP and link version, signed with the secret key and
valid for ``MAX_AGE`` seconds, and sends the browser on to the console without the token in the address. The sheet
viewer, its exports and the outbox accept only this cookie. Every request checks the person again against Pegawai:
raising their link version, removing the role or making them inactive ends the session at once.
"""

from __future__ import annotations

from typing import Any

from flask import Request, Response, g
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from functions.errors import Forbidden
from functions.runtime import Runtime
from functions.staff import identity, operators
from functions.store import Row

COOKIE = "kinerja_operator"
SALT = "pantau-kinerja/konsol-operator"
MAX_AGE = 8 * 3600  # a working day
NEEDED = (
    "Halaman ini hanya untuk operator. Buka konsol operator lewat tautan pribadi operator Anda; "
    "bila belum punya, mintalah kepada Operator BKPP."
)
ENDED = "Sesi konsol operator sudah berakhir. Buka lagi konsol lewat tautan pribadi operator Anda."


def _serializer(runtime: Runtime) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(runtime.settings.secret_key, salt=SALT)


def open_session(runtime: Runtime, token: str | None) -> tuple[Row, operators.Operator, str]:
    """(employee, operator, cookie value) for a personal-link token; InvalidLink or Forbidden otherwise."""
    employee = identity.employee_for_token(runtime.store, runtime.settings.secret_key, token)
    operator = operators.operator_of(runtime.store, employee)
    value = _serializer(runtime).dumps({"nip": employee["nip"], "v": int(employee.get("versi_tautan") or 1)})
    return employee, operator, value


def attach(response: Response, runtime: Runtime, value: str) -> Response:
    secure = runtime.settings.base_url.startswith("https://")
    response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Strict", secure=secure, path="/")
    return response


def current(request: Request, runtime: Runtime) -> tuple[Row, operators.Operator]:
    """The operator of this request's session; Forbidden (403) without a valid one."""
    value = request.cookies.get(COOKIE)
    if not value:
        raise Forbidden(NEEDED)
    try:
        data: Any = _serializer(runtime).loads(value, max_age=MAX_AGE)
    except SignatureExpired as err:
        raise Forbidden(ENDED) from err
    except BadSignature as err:
        raise Forbidden(NEEDED) from err
    if not isinstance(data, dict) or not isinstance(data.get("nip"), str) or not isinstance(data.get("v"), int):
        raise Forbidden(NEEDED)
    rows = runtime.store.records("Pegawai", where={"nip": data["nip"]})
    if not rows or rows[0].get("aktif") is False or int(rows[0].get("versi_tautan") or 1) != data["v"]:
        raise Forbidden(ENDED)
    return rows[0], operators.operator_of(runtime.store, rows[0])


CITY_WIDE = "Kotak keluar berisi tautan pribadi pegawai seluruh kota: hanya untuk Operator BKPP."


def guard(runtime: Runtime, *, city_wide: bool = False) -> Any:
    """A ``before_request`` hook: the operator in ``g.operator``, or a 403 page."""

    def check() -> Response | None:
        from flask import request

        from functions.web.http import error_page

        try:
            _, operator = current(request, runtime)
            if city_wide and not operator.city_wide:
                raise Forbidden(CITY_WIDE)
        except Forbidden as err:
            return error_page(err)
        g.operator = operator
        return None

    return check

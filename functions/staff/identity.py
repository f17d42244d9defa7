"""Personal links: a signed token naming one employee, revocable by a version number.

The token carries the NIP and the ``versi_tautan`` of the Pegawai row it was made for.
Raising that number in the sheet revokes every older link of the person. The forms
trust only the NIP inside a valid token, never one typed by a person.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer

from functions.errors import InvalidLink
from functions.store import Row, Store

SALT = "pantau-kinerja/tautan-pribadi"
INVALID = (
    "Tautan pribadi tidak dikenali. Pastikan tautan disalin utuh dari pesan yang Anda terima, "
    "atau minta tautan baru kepada operator kepegawaian."
)
REVOKED = "Tautan pribadi ini sudah dicabut. Minta tautan baru kepada operator kepegawaian."
INACTIVE = "Pegawai dengan tautan ini tidak aktif. Hubungi operator kepegawaian."


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def make_token(secret_key: str, employee: Row) -> str:
    return _serializer(secret_key).dumps({"nip": employee["nip"], "v": int(employee.get("versi_tautan") or 1)})


def read_token(secret_key: str, token: str | None) -> tuple[str, int]:
    """The (NIP, version) a token names; raises InvalidLink when it is not ours."""
    if not token or len(token) > 300:
        raise InvalidLink(INVALID)
    try:
        data: Any = _serializer(secret_key).loads(token)
    except BadSignature as err:
        raise InvalidLink(INVALID) from err
    if not isinstance(data, dict) or not isinstance(data.get("nip"), str) or not isinstance(data.get("v"), int):
        raise InvalidLink(INVALID)
    return data["nip"], data["v"]


def employee_for_token(store: Store, secret_key: str, token: str | None) -> Row:
    """The active employee a token names, checked against the Pegawai sheet."""
    nip, version = read_token(secret_key, token)
    rows = store.records("Pegawai", where={"nip": nip})
    if not rows:
        raise InvalidLink(INVALID)
    employee = rows[0]
    if int(employee.get("versi_tautan") or 1) != version:
        raise InvalidLink(REVOKED)
    if employee.get("aktif") is False:
        raise InvalidLink(INACTIVE)
    return employee


def report_url(base_url: str, token: str) -> str:
    return f"{base_url}/submit_report?{urlencode({'t': token})}"


def review_url(base_url: str, token: str) -> str:
    return f"{base_url}/review_reports?{urlencode({'t': token})}"


def behaviour_url(base_url: str, token: str) -> str:
    return f"{base_url}/rate_behaviour?{urlencode({'t': token})}"


def scores_url(base_url: str, token: str) -> str:
    return f"{base_url}/team_scores?{urlencode({'t': token})}"


def complaints_url(base_url: str, token: str) -> str:
    return f"{base_url}/handle_complaints?{urlencode({'t': token})}"


def console_url(base_url: str, token: str) -> str:
    return f"{base_url}/operator_console?{urlencode({'t': token})}"


EKINERJA_COPY = "salin_ekinerja"  # submit_report?t=...&salin_ekinerja=YYYY-MM-DD: the day to copy into e-Kinerja


def ekinerja_copy_url(base_url: str, token: str, day: date) -> str:
    """'Salin ke e-Kinerja' of ``day``: a view of the report link (``functions.web.staff.ekinerja_page``)."""
    return f"{base_url}/submit_report?{urlencode({'t': token, EKINERJA_COPY: day.isoformat()})}"


def home_url(base_url: str, token: str) -> str:
    """The person's home page (Beranda): what the personal link opens, leading to every page of theirs."""
    return f"{base_url}/home?{urlencode({'t': token})}"

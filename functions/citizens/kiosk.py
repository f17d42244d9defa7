"""Kiosk links: a tablet at a service counter takes the survey of one service from one citizen after another.

An operator issues a kiosk link per service in the console (``issue``). The link is the survey's address with a
``kios`` token: an itsdangerous signature, with the secret key and a salt of its own, over the kiosk's id and its
service, so nobody can make one or move it to another service without the key. The Kios row records who issued it
and when; revoking sets ``dicabut_pada`` and the link stops at once, since every kiosk request looks the row up
(``verify``). A survey sent from a valid kiosk link is rate-limited per kiosk instead of per address
(``web.ratelimit``), so a busy counter on the office's Wi-Fi is not stopped; the form clears itself after the thanks.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer

from functions import ids
from functions.errors import Forbidden, ValidationError
from functions.store import Row, Store

log = logging.getLogger(__name__)
SALT = "pantau-kinerja/kios"
PARAM = "kios"  # the query parameter that carries the token
NAME_MAX = 80
REFUSED = (
    "Tautan kios ini tidak berlaku: tautannya diubah, sudah dicabut, atau untuk layanan lain. Minta operator "
    "menerbitkan tautan kios baru di konsol operator."
)


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=SALT)


def token(secret: str, kiosk: Row) -> str:
    return _serializer(secret).dumps({"k": kiosk["id"], "l": kiosk["layanan"]})


def survey_path(secret: str, kiosk: Row) -> str:
    """The kiosk's survey address, relative to the site: ``submit_survey?layanan=...&kios=...``."""
    return "submit_survey?" + urlencode({"layanan": kiosk["layanan"], PARAM: token(secret, kiosk)})


def verify(store: Store, secret: str, text: str, service_id: str) -> Row:
    """The active kiosk a token names, for this service; Forbidden (403) for a tampered, revoked or moved link."""
    try:
        data: Any = _serializer(secret).loads(text)
    except BadSignature as err:
        raise Forbidden(REFUSED) from err
    if not isinstance(data, dict) or data.get("l") != service_id or not isinstance(data.get("k"), str):
        raise Forbidden(REFUSED)
    rows = store.records("Kios", where={"id": data["k"]})
    if not rows or rows[0].get("dicabut_pada") is not None or rows[0]["layanan"] != service_id:
        raise Forbidden(REFUSED)
    return rows[0]


def issue(store: Store, service: Row, name: str, by: str, now: datetime, kiosk_id: str) -> Row:
    """Record a new kiosk of a service; the form's submission id is the kiosk id, so a resend issues one kiosk."""
    label = name.strip()
    if not label or len(label) > NAME_MAX or "\n" in label:
        raise ValidationError({"nama": f"Nama kios wajib diisi dalam satu baris, paling banyak {NAME_MAX} karakter."})
    if not ids.is_valid(kiosk_id):
        raise ValidationError({"id_kiriman": "ID kiriman tidak valid. Muat ulang konsol lalu coba lagi."})
    found = store.records("Kios", where={"id": kiosk_id})
    if found:
        return found[0]
    row = {"id": kiosk_id, "layanan": service["id"], "unit": service["unit"], "nama": label, "dibuat_oleh": by,
           "dibuat_pada": now, "dicabut_pada": None}  # fmt: skip
    store.upsert("Kios", [row])
    log.info("kiosk issued: service=%s", service["id"])
    return store.records("Kios", where={"id": kiosk_id})[0]


def revoke(store: Store, kiosk: Row, now: datetime) -> Row:
    """Revoke a kiosk link (again: no change)."""
    if kiosk.get("dicabut_pada") is None:
        store.upsert("Kios", [kiosk | {"dicabut_pada": now}])
        log.info("kiosk revoked: service=%s", kiosk["layanan"])
    return store.records("Kios", where={"id": kiosk["id"]})[0]


def active(store: Store, units: set[str]) -> list[Row]:
    """The kiosks in force of some units, oldest first."""
    rows = [k for k in store.records("Kios") if k["unit"] in units and k.get("dicabut_pada") is None]
    return sorted(rows, key=lambda k: k["dibuat_pada"])

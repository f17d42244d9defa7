"""Helpers for tests that talk to the forms over HTTP (Flask test client or a real server)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask.testing import FlaskClient

    from functions.runtime import Runtime

SUBMISSION_ID = re.compile(r'name="id_kiriman" value="([^"]+)"')


def submission_id(html: str) -> str:
    match = SUBMISSION_ID.search(html)
    assert match, "the form has no id_kiriman field"
    return match.group(1)


def activity_fields(i: int, day: date, target_id: str, **over: Any) -> dict[str, str]:
    fields = {
        f"tanggal-{i}": day.isoformat(),
        f"kegiatan-{i}": f"Melayani pembuatan surat pengantar nomor {i + 1}",
        f"id_target-{i}": target_id,
        f"kuantitas-{i}": "3",
        f"durasi_menit-{i}": "45",
        f"bukti_dukung-{i}": "",
        f"kendala-{i}": "",
    }
    fields.update({f"{k}-{i}": v for k, v in over.items()})
    return fields


CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def post_form(client: Any, url: str, data: dict[str, str], **kw: Any) -> Any:
    """POST as a browser would: open the page first (CSRF cookie and field), then send."""
    page = client.get(url)
    return client.post(url, data={"csrf": csrf_of(page.text), **data}, **kw)


OPERATOR_NIP = "196801011990031099"


def sign_in_operator(client: FlaskClient, runtime: Runtime) -> FlaskClient:
    """The client with a BKPP operator's console session: the store's first BKPP operator, or one added to the
    first unit when the store has none. The sheet viewer, its exports and the outbox need this session."""
    from functions.staff import identity

    store = runtime.store
    people = [p for p in store.records("Pegawai") if p.get("peran") == "Operator BKPP" and p.get("aktif") is not False]
    if people:
        person = people[0]
    else:
        units = store.records("Unit")
        unit = units[0]["kode"] if units else "BKPP"
        person = {"nip": OPERATOR_NIP, "nama": "Operator Uji", "jabatan": "Analis SDM", "unit": unit,
                  "aktif": True, "versi_tautan": 1, "peran": "Operator BKPP"}  # fmt: skip
        store.upsert("Pegawai", [person])
    answer = client.get("/operator_console?t=" + identity.make_token(runtime.settings.secret_key, person))
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    return client

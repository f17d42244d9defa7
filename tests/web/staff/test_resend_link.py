"""'Kirim ulang tautan saya' (functions/web/staff/resend_link.py): the link goes to the address on file, the page
never tells whether a NIP exists, and neither an address nor a NIP can flood anyone's inbox."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from functions.mail.transport import list_messages, read_message
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import OTHER, STAFF_A, STAFF_B, employee
from tests.support.pages import csrf_of

UNKNOWN = "199912312025121999"


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    store = runtime.store
    store.upsert("Pegawai", [employee(STAFF_B, "Dewi Lestari, A.Md.", "KEL-UJI", None, aktif=False)])
    store.upsert("Pegawai", [employee(OTHER, "Agus Prasetyo", "KEL-UJI", None, email=None)])
    return create_app(runtime).test_client()


def ask(client: FlaskClient, nip: str, address: str = "203.0.113.5") -> Any:
    token = csrf_of(client.get("/resend_link").text)
    return client.post("/resend_link", data={"csrf": token, "nip": nip}, environ_base={"REMOTE_ADDR": address})


def test_the_link_goes_to_the_address_on_file_once_a_day(client: FlaskClient, runtime: Runtime) -> None:
    answer = ask(client, STAFF_A)
    assert answer.status_code == 200 and "Permintaan Diterima" in answer.text
    [entry] = list_messages(runtime.settings.outbox_dir)
    message = read_message(runtime.settings.outbox_dir, entry.name)
    assert message["To"].addresses[0].addr_spec == f"{STAFF_A}@contoh.go.id"
    assert "/submit_report?t=" in message.get_body(("plain",)).get_content()
    ask(client, STAFF_A, "198.51.100.9")  # again, from elsewhere, the same day
    assert len(list_messages(runtime.settings.outbox_dir)) == 1
    assert [r["jenis"] for r in runtime.store.records("Terkirim")] == ["Tautan Pribadi"]


@pytest.mark.parametrize("nip", [UNKNOWN, STAFF_B, OTHER])  # unknown, inactive, no address
def test_the_answer_is_the_same_whether_the_nip_exists_or_not(client: FlaskClient, runtime: Runtime, nip: str) -> None:
    known = ask(client, STAFF_A, "192.0.2.1")
    other = ask(client, nip, "192.0.2.2")
    assert (other.status_code, other.data) == (known.status_code, known.data)
    assert len(list_messages(runtime.settings.outbox_dir)) == 1  # only the real, active, reachable one


@pytest.mark.parametrize("typed", ["1990", "19900303201503100x", "١٩٩٠٠٣٠٣٢٠١٥٠٣١٠٠٣", ""])
def test_a_nip_that_is_not_18_ascii_digits_is_refused_naming_the_field(client: FlaskClient, typed: str) -> None:
    answer = ask(client, typed)
    assert answer.status_code == 400
    assert "NIP: tulis 18 digit NIP Anda" in answer.text and 'aria-invalid="true"' in answer.text
    assert f'value="{typed}"' in answer.text


def test_one_address_is_limited_like_the_other_public_forms(client: FlaskClient, store: SQLiteStore) -> None:
    statuses = [ask(client, UNKNOWN, "203.0.113.77").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_head_is_answered_like_get_and_sends_nothing(client: FlaskClient, runtime: Runtime) -> None:
    answer = client.head("/resend_link")
    assert answer.status_code == 200 and answer.data == b""
    assert list_messages(runtime.settings.outbox_dir) == []


def test_a_nip_with_bad_bytes_comes_back_naming_the_field(client: FlaskClient, runtime: Runtime) -> None:
    token = csrf_of(client.get("/resend_link").text)
    body = f"csrf={token}&nip=1990%FF0303".encode()
    answer = client.post("/resend_link", data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400 and "NIP" in answer.text and 'aria-invalid="true"' in answer.text
    assert list_messages(runtime.settings.outbox_dir) == []

"""Complaints over HTTP: the public form, the status page, handling through personal links, privacy.

The town (two units, each with a head and staff) comes from tests/citizens/test_complaints.py.
"""

from __future__ import annotations

import html
import io
import logging
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions import ids, schema
from functions.citizens import complaints
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from functions.web.public import complaint_page
from tests.citizens.test_complaints import complaint_form, sheet_counts
from tests.conftest import token_for
from tests.support.pages import csrf_of, post_form, sign_in_operator, submission_id
from tests.support.towns import DPU, DUKCAPIL, HEAD_A, HEAD_B, STAFF_A, STAFF_A2, STAFF_B, STAFF_NAMES, UNIT_NAMES

URL = f"/submit_complaint?unit={DUKCAPIL}"
CODE = re.compile(r'id="kode-pelacakan"[^>]*>(ADU-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<')
STATE = re.compile(r'id="status">([^<]+)<')
EVERYONE = (HEAD_A, STAFF_A, STAFF_A2, HEAD_B, STAFF_B)
NOTHING = {"Aduan": 0, "AduanKontak": 0, "AduanPeristiwa": 0}


@pytest.fixture
def app_runtime(settings: Settings, store: SQLiteStore, town: dict[str, Any]) -> Runtime:
    """The test client posts from one address: a limit that a whole test cannot reach."""
    return Runtime(settings=replace(settings, rate_limit=100_000), store=store)


@pytest.fixture
def client(app_runtime: Runtime) -> FlaskClient:
    return create_app(app_runtime).test_client()


def limited_client(settings: Settings, store: SQLiteStore, limit: int) -> FlaskClient:
    return create_app(Runtime(settings=replace(settings, rate_limit=limit), store=store)).test_client()


def file_complaint(client: FlaskClient, sid: str = "aduanUji0001", **over: str) -> Any:
    return post_form(client, URL, complaint_form(sid, **over))


def code_of(page: str) -> str:
    match = CODE.search(page)
    assert match, "the page shows no tracking code"
    return match.group(1)


def file_and_code(client: FlaskClient, sid: str = "aduanUji0001", **over: str) -> tuple[str, str]:
    """File a complaint; its (id, tracking code)."""
    answer = file_complaint(client, sid, **over)
    assert answer.status_code == 200, answer.text[-800:]
    return sid, code_of(answer.text)


def status(client: FlaskClient, typed: str) -> Any:
    return client.get("/complaint_status", query_string={"kode": typed})


def state_of(page: str) -> str:
    match = STATE.search(page)
    assert match, "the page shows no state"
    return match.group(1)


def handling_url(store: SQLiteStore, nip: str) -> str:
    return f"/handle_complaints?t={quote(token_for(store, nip))}"


def handling_page(client: FlaskClient, store: SQLiteStore, nip: str) -> str:
    answer = client.get(handling_url(store, nip))
    assert answer.status_code == 200, answer.text[-800:]
    return str(answer.text)


def act(client: FlaskClient, store: SQLiteStore, nip: str, id_aduan: str, jenis: str, sid: str, **extra: str) -> Any:
    """POST one action as the browser of ``nip`` would, with the CSRF field of a page it opened."""
    url = handling_url(store, nip)
    # A handling page with no complaint holds no form: take the field from the public form (same cookie).
    csrf = csrf_of(client.get(url).text) or csrf_of(client.get(URL).text)
    return client.post(url, data={"csrf": csrf, "id_aduan": id_aduan, "id_kiriman": sid, "jenis": jenis, **extra})


def events_of(store: SQLiteStore, id_aduan: str) -> list[str]:
    return [e["jenis"] for e in store.records("AduanPeristiwa", where={"id_aduan": id_aduan})]


# -- the form and filing -----------------------------------------------------------------------------


def test_form_lists_the_units_preselects_the_linked_one_and_carries_csrf_and_a_fresh_id(client: FlaskClient) -> None:
    page = client.get(f"/submit_complaint?unit={DPU}")
    assert page.status_code == 200
    text = page.text
    assert f'<option value="{DPU}" selected>{UNIT_NAMES[DPU]}</option>' in text
    assert f'<option value="{DUKCAPIL}">{UNIT_NAMES[DUKCAPIL]}</option>' in text
    assert '<option value="">Tidak tahu</option>' in text
    assert 'value="Biasa" checked' in text
    assert csrf_of(text) and 'name="situs_web"' in text
    assert ids.is_valid(submission_id(text))
    assert submission_id(text) != submission_id(client.get(URL).text)
    assert "dihapus setelah 365 hari" in text


def test_a_valid_complaint_is_stored_with_every_field_and_its_code_shown_big(
    client: FlaskClient, store: SQLiteStore, app_runtime: Runtime
) -> None:
    before = app_runtime.now()
    answer = file_complaint(client)
    after = app_runtime.now()
    assert answer.status_code == 200
    code = code_of(answer.text)
    assert f'href="complaint_status?kode={code}" id="lihat-status"' in answer.text
    (row,) = store.records("Aduan")
    assert complaints.CODE_RE.match(code) and row["kode"] == code
    assert before <= row["diterima_pada"] <= after
    calendar = Calendar.from_store(store)
    verification = calendar.add_workdays(row["diterima_pada"], 3)
    assert row == {
        "id": "aduanUji0001",
        "kode": code,
        "tanggal": row["diterima_pada"].date(),
        "diterima_pada": row["diterima_pada"],
        "kategori": "Kependudukan",
        "unit": DUKCAPIL,
        "uraian": "Antrean perekaman KTP-el di loket 3 tidak bergerak selama dua jam.",
        "privasi": "Biasa",
        "ada_kontak": True,
        "batas_verifikasi": verification,
        "batas_tindak_lanjut": calendar.add_workdays(verification, 5),
    }
    assert row["batas_verifikasi"].strftime("%H:%M:%S") == "23:59:59"
    assert store.records("AduanKontak") == [
        {
            "id": "aduanUji0001",
            "telepon": "0812 3456 7890",
            "email": "warga.pelapor@contoh.id",
            "diterima_pada": row["diterima_pada"],
        }
    ]
    (event,) = store.records("AduanPeristiwa")
    assert (event["id_aduan"], event["jenis"], event["waktu"]) == ("aduanUji0001", "Diterima", row["diterima_pada"])


@pytest.mark.parametrize(
    "privasi, telepon, email, kept",
    [
        ("Biasa", "0812 3456 7890", "", True),
        ("Rahasia", "", "warga.pelapor@contoh.id", True),
        ("Biasa", "", "", False),
        ("Anonim", "0812 3456 7890", "warga.pelapor@contoh.id", False),
    ],
)
def test_contact_is_stored_only_when_given_and_not_anonymous(
    client: FlaskClient, store: SQLiteStore, privasi: str, telepon: str, email: str, kept: bool
) -> None:
    answer = file_complaint(client, privasi=privasi, telepon=telepon, email=email)
    assert answer.status_code == 200
    assert store.count("AduanKontak") == int(kept)
    assert store.records("Aduan")[0]["ada_kontak"] is kept
    assert ("kontak yang Anda isi tidak disimpan" in answer.text) is (privasi == "Anonim")


def test_a_retry_with_the_same_id_adds_nothing_and_shows_the_same_code(client: FlaskClient, store: SQLiteStore) -> None:
    _, code = file_and_code(client)
    again = file_complaint(client)
    assert again.status_code == 200
    assert code_of(again.text) == code
    assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}


def test_the_same_id_with_other_text_is_409_keeps_the_text_under_a_fresh_id(
    client: FlaskClient, store: SQLiteStore
) -> None:
    file_and_code(client)
    answer = file_complaint(client, uraian="Petugas loket meminta biaya tambahan.")
    assert answer.status_code == 409
    assert "isi yang berbeda" in answer.text
    assert "Petugas loket meminta biaya tambahan.</textarea>" in answer.text
    assert submission_id(answer.text) != "aduanUji0001"
    assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}
    # Sending that form again files it as a new complaint.
    fresh = {**complaint_form(submission_id(answer.text)), "uraian": "Petugas loket meminta biaya tambahan."}
    assert client.post(URL, data={"csrf": csrf_of(answer.text), **fresh}).status_code == 200
    assert store.count("Aduan") == 2


def test_tracking_codes_are_unique_over_200_complaints(client: FlaskClient, store: SQLiteStore) -> None:
    csrf = csrf_of(client.get(URL).text)
    codes = []
    for n in range(200):
        answer = client.post(URL, data={"csrf": csrf, **complaint_form(f"aduanMassal{n:04d}")})
        assert answer.status_code == 200
        codes.append(code_of(answer.text))
    assert len(set(codes)) == 200
    assert sorted(codes) == sorted(r["kode"] for r in store.records("Aduan"))


# -- bad input ---------------------------------------------------------------------------------------

LONG = "u" * 4001


@pytest.mark.parametrize(
    "change, field, fragment",
    [
        ({"kategori": ""}, "kategori", "Kategori wajib diisi."),
        ({"kategori": "Olahraga"}, "kategori", "Kategori: pilih salah satu: Pelayanan"),
        ({"unit": "DINAS-FIKTIF"}, "unit", "Unit yang diadukan: pilih unit dari daftar, atau pilih Tidak tahu."),
        ({"uraian": ""}, "uraian", "Uraian pengaduan wajib diisi."),
        ({"uraian": " \r\n "}, "uraian", "Uraian pengaduan wajib diisi."),
        ({"uraian": LONG}, "uraian", "Uraian pengaduan: paling banyak 4000 karakter."),
        ({"uraian": "Jalan rusak\x07 parah"}, "uraian", "Uraian pengaduan: berisi karakter kendali"),
        ({"privasi": ""}, "privasi", "Pilihan privasi wajib diisi."),
        ({"privasi": "Publik"}, "privasi", "Pilihan privasi: pilih salah satu: Biasa, Rahasia, Anonim."),
        ({"telepon": "nomor saya"}, "telepon", "Nomor telepon: tulis nomor telepon atau WhatsApp"),
        ({"telepon": "0812\x013456"}, "telepon", "Nomor telepon: tulis nomor telepon atau WhatsApp"),
        ({"telepon": "+62812345678901234567"}, "telepon", "Nomor telepon: tulis nomor telepon atau WhatsApp"),
        ({"email": "warga@"}, "email", "Email: alamat email tidak valid."),
        ({"email": "a@contoh.id\nBcc: b@contoh.id"}, "email", "Email: alamat email tidak valid."),
        ({"id_kiriman": ""}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "pendek"}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "a/b/c/d/e/f/g/h"}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "abcdefgh\n"}, "id_kiriman", "ID kiriman tidak valid"),
    ],
)
def test_bad_fields_answer_400_name_the_field_keep_the_input_and_store_nothing(
    client: FlaskClient, store: SQLiteStore, change: dict[str, str], field: str, fragment: str
) -> None:
    form = complaint_form(**change)
    if field == "id_kiriman" and change["id_kiriman"] == "":
        del form["id_kiriman"]  # missing altogether
    answer = post_form(client, URL, form)
    assert answer.status_code == 400
    text = answer.text
    assert fragment in html.unescape(text)
    assert "Pengaduan belum terkirim" in text
    assert f'id="galat-{field}"' in text or (field == "id_kiriman" and 'class="error-text" id="id_kiriman"' in text)
    # What was typed comes back.
    if field != "uraian":
        assert f"{form['uraian']}</textarea>" in text
    if field != "kategori":
        assert '<option value="Kependudukan" selected>' in text
    if field != "unit":
        assert f'<option value="{DUKCAPIL}" selected>' in text
    if field != "privasi":
        assert 'value="Biasa" checked' in text
    if field != "telepon":
        assert 'value="0812 3456 7890"' in text
    if field != "email":
        assert 'value="warga.pelapor@contoh.id"' in text
    # A bad submission id is replaced, so that sending the fixed form again can pass.
    assert ids.is_valid(submission_id(text))
    assert sheet_counts(store) == NOTHING


def test_a_refused_form_sent_again_fixed_is_filed(client: FlaskClient, store: SQLiteStore) -> None:
    refused = file_complaint(client, kategori="")
    assert refused.status_code == 400 and submission_id(refused.text) == "aduanUji0001"
    fixed = client.post(URL, data={"csrf": csrf_of(refused.text), **complaint_form()})
    assert fixed.status_code == 200
    assert sheet_counts(store) == {"Aduan": 1, "AduanKontak": 1, "AduanPeristiwa": 1}


@pytest.mark.parametrize(
    "case, code, fragment",
    [
        ("no-csrf", 403, "Formulir sudah kedaluwarsa"),
        ("wrong-csrf", 403, "Formulir sudah kedaluwarsa"),
        ("csrf-without-cookie", 403, "Formulir sudah kedaluwarsa"),
        ("honeypot", 400, "terdeteksi sebagai kiriman otomatis"),
        ("too-big", 413, "Kiriman terlalu besar: teks yang dikirim lebih dari 64 KB. Tidak ada yang disimpan"),
        ("json", 415, "Jenis isi kiriman tidak didukung"),
        ("multipart", 415, "Jenis isi kiriman tidak didukung"),
        ("bad-utf8", 400, "Uraian pengaduan: berisi karakter yang tidak dapat dibaca (bukan UTF-8"),
        ("nul", 400, "Uraian pengaduan: berisi karakter yang tidak dapat dibaca"),
    ],
)
def test_bad_requests_answer_4xx_with_an_indonesian_message_and_store_nothing(
    client: FlaskClient, store: SQLiteStore, case: str, code: int, fragment: str
) -> None:
    form = complaint_form()
    csrf = csrf_of(client.get(URL).text)
    form_type = "application/x-www-form-urlencoded"
    if case == "no-csrf":
        answer = client.post(URL, data=form)
    elif case == "wrong-csrf":
        answer = client.post(URL, data={**form, "csrf": "0" * 64})
    elif case == "csrf-without-cookie":
        client.delete_cookie("kinerja_csrf")
        answer = client.post(URL, data={**form, "csrf": csrf})
    elif case == "honeypot":
        answer = client.post(URL, data={**form, "csrf": csrf, "situs_web": "http://spam.example"})
    elif case == "too-big":
        answer = client.post(URL, data={**form, "csrf": csrf, "uraian": "u" * 70_000})
    elif case == "json":
        answer = client.post(URL, data=b'{"uraian": "x"}', content_type="application/json")
    elif case == "multipart":
        answer = client.post(URL, data={**form, "csrf": csrf}, content_type="multipart/form-data")
    elif case == "bad-utf8":
        answer = client.post(URL, data=f"csrf={csrf}&uraian=%FF%FE".encode(), content_type=form_type)
    else:
        answer = client.post(URL, data=f"csrf={csrf}&uraian=a%00b".encode(), content_type=form_type)
    assert answer.status_code == code
    assert fragment in answer.text
    assert sheet_counts(store) == NOTHING


def test_the_fourth_post_in_a_minute_is_429_with_retry_after(
    settings: Settings, store: SQLiteStore, town: dict[str, Any]
) -> None:
    client = limited_client(settings, store, 3)
    for n in range(3):
        assert file_complaint(client, f"aduanBatas{n:03d}").status_code == 200
    answer = file_complaint(client, "aduanBatas999")
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) >= 1
    assert "Terlalu banyak kiriman" in answer.text
    assert store.count("Aduan") == 3


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: FlaskClient, store: SQLiteStore, method: str) -> None:
    assert client.open(URL, method=method).status_code == 405
    assert client.open("/complaint_status", method=method).status_code == 405
    assert client.open(handling_url(store, STAFF_A), method=method).status_code == 405


# -- the status page ---------------------------------------------------------------------------------


def test_the_status_page_shows_state_unit_timeline_and_text_by_code(client: FlaskClient) -> None:
    _, code = file_and_code(client)
    answer = client.get(f"/complaint_status?kode={code}")
    assert answer.status_code == 200
    text = answer.text
    assert state_of(text) == "Diterima"
    assert code in text and UNIT_NAMES[DUKCAPIL] in text and "Kependudukan" in text
    assert "Pengaduan diterima." in text and "Target tindak lanjut" in text
    assert '<p id="uraian">Antrean perekaman KTP-el di loket 3 tidak bergerak selama dua jam.</p>' in text


@pytest.mark.parametrize(
    "typed", [lambda c: c.lower(), lambda c: c.lower().replace("-", " "), lambda c: f"  {c[4:].replace('-', '')} "]
)
def test_a_code_typed_in_lower_case_or_with_spaces_is_found(client: FlaskClient, typed: Any) -> None:
    _, code = file_and_code(client)
    answer = status(client, typed(code))
    assert answer.status_code == 200 and state_of(answer.text) == "Diterima"


@pytest.mark.parametrize("privasi, shown", [("Biasa", True), ("Rahasia", False), ("Anonim", False)])
def test_the_complaint_text_is_public_only_when_the_reporter_chose_biasa(
    client: FlaskClient, privasi: str, shown: bool
) -> None:
    _, code = file_and_code(client, privasi=privasi)
    text = status(client, code).text
    assert ("tidak bergerak selama dua jam" in text) is shown
    assert ("Isi pengaduan dirahasiakan" in text) is not shown


def test_the_status_page_shows_no_staff_and_no_internal_dispatch_note(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code = file_and_code(client)
    note = "Catatan internal: pelapor ini sudah tiga kali datang, tolong Bu Lestari yang tangani."
    moved = act(
        client,
        store,
        HEAD_A,
        sid,
        "Didisposisikan",
        "disposisiUji001",
        unit_tujuan=DPU,
        nip_tujuan=STAFF_B,
        catatan=note,
    )
    assert moved.status_code == 303
    text = html.unescape(status(client, code).text)
    assert state_of(text) == "Didisposisikan"
    assert f"Diteruskan ke {UNIT_NAMES[DPU]}." in text
    assert note not in text and "Lestari" not in text
    for nip, name in STAFF_NAMES.items():
        assert nip not in text and name not in text


@pytest.mark.parametrize("typed", ["ADU-2222-3333-4444", "adu 2222 3333 4445", "bukan-kode", "ADU-1234", "x" * 300])
def test_an_unknown_or_malformed_code_gives_the_same_404(client: FlaskClient, typed: str) -> None:
    file_and_code(client)
    reference = status(client, "ADU-9999-9999-9999")
    answer = status(client, typed)
    assert answer.status_code == reference.status_code == 404
    assert complaint_page.UNKNOWN_CODE in html.unescape(answer.text)
    assert answer.text == reference.text


def test_repeated_failed_lookups_get_429_but_a_known_code_still_answers(
    settings: Settings, store: SQLiteStore, town: dict[str, Any]
) -> None:
    client = limited_client(settings, store, 3)
    _, code = file_and_code(client)  # a complaint filed counts against the form's own limit, not the look-ups'
    assert status(client, "ADU-2222-3333-4444").status_code == 404
    assert status(client, "ADU-2222-3333-4445").status_code == 404
    assert status(client, "ADU-2222-3333-4447").status_code == 404
    blocked = status(client, "ADU-2222-3333-4446")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    assert "Terlalu banyak" in blocked.text
    assert status(client, "bukan-kode").status_code == 429
    assert status(client, code).status_code == 200


def test_the_lookup_page_asks_for_the_code(client: FlaskClient) -> None:
    answer = client.get("/complaint_status")
    assert answer.status_code == 200
    assert 'id="form-lacak"' in answer.text and 'name="kode"' in answer.text


# -- handling through the personal link ------------------------------------------------------------


def test_staff_of_the_handling_unit_see_the_complaint_and_the_reporters_contact(
    client: FlaskClient, store: SQLiteStore
) -> None:
    _, code = file_and_code(client)
    for nip in (STAFF_A, STAFF_A2, HEAD_A):
        text = handling_page(client, store, nip)
        assert code in text and "tidak bergerak selama dua jam" in text
        assert "0812 3456 7890" in text and "warga.pelapor@contoh.id" in text


def test_staff_of_another_unit_neither_see_the_complaint_nor_act_on_it(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code = file_and_code(client)
    for nip in (STAFF_B, HEAD_B):
        text = handling_page(client, store, nip)
        assert code not in text and "0812 3456 7890" not in text and "warga.pelapor" not in text
        assert "Tidak ada pengaduan yang ditangani unit Anda" in text
    answer = act(client, store, STAFF_B, sid, "Ditindaklanjuti", "aksiLuar00001", catatan="Sudah beres.")
    assert answer.status_code == 403 and "tidak ditangani unit Anda" in answer.text
    assert events_of(store, sid) == ["Diterima"]


def test_a_bad_link_is_refused(client: FlaskClient) -> None:
    assert client.get("/handle_complaints?t=bukan-token").status_code == 403
    assert client.get("/handle_complaints").status_code == 403


def test_a_complaint_without_unit_is_dispatched_by_a_verifier_to_a_unit_and_an_employee(
    client: FlaskClient, store: SQLiteStore
) -> None:
    sid, code = file_and_code(client, unit="")
    assert code not in handling_page(client, store, STAFF_A)
    assert code not in handling_page(client, store, STAFF_B)
    for head in (HEAD_A, HEAD_B):
        text = handling_page(client, store, head)
        assert code in text and "unit: belum ditentukan" in text
        assert "0812 3456 7890" not in text  # no unit handles it yet: nobody sees the contact
    answer = act(client, store, HEAD_A, sid, "Didisposisikan", "disposisiUji001", unit_tujuan=DPU, nip_tujuan=STAFF_B)
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("handle_complaints?t=")
    assert answer.headers["Location"].endswith(f"#aduan-{sid}")
    for nip in (STAFF_B, HEAD_B):
        text = handling_page(client, store, nip)
        assert code in text and "0812 3456 7890" in text and "warga.pelapor@contoh.id" in text
    for nip in (HEAD_A, STAFF_A):
        assert code not in handling_page(client, store, nip)
    (dispatch,) = [e for e in store.records("AduanPeristiwa") if e["jenis"] == "Didisposisikan"]
    assert (dispatch["oleh_nip"], dispatch["unit_tujuan"], dispatch["nip_tujuan"]) == (HEAD_A, DPU, STAFF_B)
    assert state_of(status(client, code).text) == "Didisposisikan"


def test_dispatch_moves_the_complaint_and_its_contact_to_the_target_unit(
    client: FlaskClient, store: SQLiteStore
) -> None:
    sid, code = file_and_code(client)
    assert act(client, store, STAFF_A, sid, "Didisposisikan", "disposisiUji001", unit_tujuan=DPU).status_code == 303
    first = handling_page(client, store, STAFF_A)
    assert code not in first and "0812 3456 7890" not in first
    target = handling_page(client, store, STAFF_B)
    assert code in target and "0812 3456 7890" in target


def test_dispatch_to_an_employee_of_the_own_unit_keeps_the_unit(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code = file_and_code(client)
    assert act(client, store, HEAD_A, sid, "Didisposisikan", "disposisiUji001", nip_tujuan=STAFF_A2).status_code == 303
    found = complaints.by_code(store, code, Calendar(), datetime.now(Calendar().tz))
    assert found is not None and (found.unit, found.assignee) == (DUKCAPIL, STAFF_A2)
    assert code in handling_page(client, store, STAFF_A2)


@pytest.mark.parametrize(
    "extra, field, fragment",
    [
        ({}, "unit_tujuan", "pilih unit atau pegawai yang akan menangani"),
        ({"unit_tujuan": "DINAS-FIKTIF"}, "unit_tujuan", "Unit tujuan: pilih unit dari daftar"),
        ({"unit_tujuan": DUKCAPIL, "nip_tujuan": STAFF_B}, "nip_tujuan", "pilih pegawai aktif dari unit tujuan"),
        ({"nip_tujuan": "123"}, "nip_tujuan", "pilih pegawai aktif dari unit tujuan"),
    ],
)
def test_a_dispatch_needs_a_known_target(
    client: FlaskClient, store: SQLiteStore, extra: dict[str, str], field: str, fragment: str
) -> None:
    sid, _ = file_and_code(client)
    answer = act(client, store, STAFF_A, sid, "Didisposisikan", "disposisiUji001", **extra)
    assert answer.status_code == 400 and fragment in answer.text
    assert "Tindakan belum tercatat" in answer.text
    assert events_of(store, sid) == ["Diterima"]


@pytest.mark.parametrize(
    "jenis, fragment",
    [("Ditindaklanjuti", "jawaban untuk pelapor"), ("Ditolak", "alasan penolakan")],
)
def test_an_answer_or_a_rejection_needs_a_note(
    client: FlaskClient, store: SQLiteStore, jenis: str, fragment: str
) -> None:
    sid, _ = file_and_code(client)
    answer = act(client, store, STAFF_A, sid, jenis, "aksiTanpaCatatan", catatan="  ")
    assert answer.status_code == 400
    assert "Catatan wajib diisi" in answer.text and fragment in answer.text
    assert events_of(store, sid) == ["Diterima"]


@pytest.mark.parametrize(
    "change, fragment",
    [({"jenis": "Dihapus"}, "Tindakan: pilih salah satu"), ({"id_kiriman": "pendek"}, "ID kiriman tidak valid")],
)
def test_an_unknown_action_or_a_bad_id_is_400(
    client: FlaskClient, store: SQLiteStore, change: dict[str, str], fragment: str
) -> None:
    sid, _ = file_and_code(client)
    data = {"id_aduan": sid, "id_kiriman": "aksiUji000001", "jenis": "Selesai", **change}
    answer = post_form(client, handling_url(store, STAFF_A), data)
    assert answer.status_code == 400 and fragment in answer.text
    assert events_of(store, sid) == ["Diterima"]


def test_an_action_on_an_unknown_complaint_is_404(client: FlaskClient, store: SQLiteStore) -> None:
    answer = act(client, store, STAFF_A, "tidakAdaAduan", "Selesai", "aksiUji000001")
    assert answer.status_code == 404 and "Pengaduan tidak ditemukan" in answer.text


@pytest.mark.parametrize("final, word", [("Selesai", "sudah selesai"), ("Ditolak", "sudah ditolak")])
def test_actions_on_a_closed_complaint_are_refused(
    client: FlaskClient, store: SQLiteStore, final: str, word: str
) -> None:
    sid, code = file_and_code(client)
    closed = act(client, store, STAFF_A, sid, final, "aksiTutup00001", catatan="Bukan wewenang Pemerintah Kota.")
    assert closed.status_code == 303
    for jenis in ("Ditindaklanjuti", "Selesai", "Didisposisikan"):
        answer = act(client, store, STAFF_A, sid, jenis, f"aksiLagi{jenis}", catatan="Lagi.", unit_tujuan=DPU)
        assert answer.status_code == 400 and word in answer.text
    assert events_of(store, sid) == ["Diterima", final]
    assert state_of(status(client, code).text) == final
    # The card stays, without a form.
    assert code in handling_page(client, store, STAFF_A)
    assert 'class="form-tindakan"' not in handling_page(client, store, STAFF_A)


def test_a_retried_action_adds_one_event_only(client: FlaskClient, store: SQLiteStore) -> None:
    sid, _ = file_and_code(client)
    for _ in range(2):
        answer = act(client, store, STAFF_A, sid, "Selesai", "aksiUlang00001", catatan="Sudah dibetulkan.")
        assert answer.status_code == 303  # the retry after closing is no error
    assert events_of(store, sid) == ["Diterima", "Selesai"]


def test_the_status_page_shows_the_answer_and_then_the_closing(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code = file_and_code(client)
    answer_text = "KTP-el Anda sudah dicetak; silakan ambil di loket 2 dengan membawa kode ini."
    saved = act(client, store, STAFF_A, sid, "Ditindaklanjuti", "jawabanUji0001", catatan=answer_text)
    assert saved.status_code == 303
    page = client.get("/" + saved.headers["Location"].split("#")[0])
    assert 'id="tersimpan"' in page.text and "Ditindaklanjuti" in page.text
    text = html.unescape(status(client, code).text)
    assert state_of(text) == "Ditindaklanjuti" and answer_text in text
    assert "Target tindak lanjut" not in text  # answered: no target to wait for any more
    assert act(client, store, STAFF_A, sid, "Selesai", "selesaiUji0001").status_code == 303
    text = html.unescape(status(client, code).text)
    assert state_of(text) == "Selesai" and answer_text in text
    assert "Pengaduan dinyatakan selesai." in text and "Target tindak lanjut" not in text


def test_a_follow_up_older_than_ten_working_days_shows_selesai(
    client: FlaskClient, store: SQLiteStore, app_runtime: Runtime
) -> None:
    now = app_runtime.now()
    old, _, _ = complaints.file(complaint_form("aduanLama0001"), store, Calendar(), now - timedelta(days=60))
    recent, _, _ = complaints.file(complaint_form("aduanBaru0001"), store, Calendar(), now - timedelta(hours=3))
    store.append(
        "AduanPeristiwa",
        [
            {
                "id": "jawabLama0001",
                "id_aduan": old["id"],
                "jenis": "Ditindaklanjuti",
                "waktu": now - timedelta(days=59),
                "oleh_nip": STAFF_A,
                "catatan": "Sudah diperbaiki.",
            },
            {
                "id": "jawabBaru0001",
                "id_aduan": recent["id"],
                "jenis": "Ditindaklanjuti",
                "waktu": now - timedelta(hours=1),
                "oleh_nip": STAFF_A,
                "catatan": "Sedang diperbaiki.",
            },
        ],
    )
    assert state_of(status(client, old["kode"]).text) == "Selesai"
    assert state_of(status(client, recent["kode"]).text) == "Ditindaklanjuti"
    # A closed one takes no more actions, even though no Selesai event was written.
    answer = act(client, store, STAFF_A, old["id"], "Ditolak", "aksiTelat00001", catatan="Terlambat.")
    assert answer.status_code == 400 and "sudah selesai" in answer.text


# -- privacy: the acceptance test ------------------------------------------------------------------

PHONE = "0813 7777 3131"
EMAIL = "rahasia.pelapor@contoh.id"
SECRET_TEXT = "Oknum petugas meminta uang pelicin Rp200.000 untuk mempercepat akta kelahiran."


def needles() -> list[str]:
    return [PHONE, PHONE.replace(" ", ""), "7777 3131", "77773131", EMAIL, "rahasia.pelapor"]


def viewer_texts(client: FlaskClient) -> dict[str, str]:
    """Every page of the sheet viewer and every download, as text; private sheets must be 404."""
    from openpyxl import load_workbook

    texts = {"/lembar/": client.get("/lembar/").text}
    assert client.get("/lembar/").status_code == 200, "sign the client in as an operator first"
    for name, sheet in schema.load_all().items():
        for fmt in ("", "csv", "xlsx"):
            url = f"/lembar/{name}" + (f"?format={fmt}" if fmt else "")
            answer = client.get(url)
            if sheet.private:
                assert answer.status_code == 404, url
            else:
                assert answer.status_code == 200, url
            if fmt == "xlsx" and answer.status_code == 200:
                book = load_workbook(io.BytesIO(answer.data), read_only=True)
                cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row]
                texts[url] = "\n".join(cells)
            else:
                texts[url] = answer.data.decode("utf-8-sig")
    return texts


def store_texts(store: SQLiteStore) -> dict[str, str]:
    return {name: repr(store.records(name)) for name in schema.load_all()}


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = [caplog.text]
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(record.exc_text or "")
    return "\n".join(parts)


def assert_absent(texts: dict[str, str], words: list[str]) -> None:
    found = [(where, word) for where, text in texts.items() for word in words if word in html.unescape(text)]
    assert found == []


def run_the_whole_flow(client: FlaskClient, store: SQLiteStore, sid: str, **over: str) -> str:
    """File (after one refused try), dispatch, answer, close; the tracking code."""
    refused = file_complaint(client, sid, kategori="", telepon=PHONE, email=EMAIL, uraian=SECRET_TEXT, **over)
    assert refused.status_code == 400
    _, code = file_and_code(client, sid, telepon=PHONE, email=EMAIL, uraian=SECRET_TEXT, **over)
    assert file_complaint(client, sid, telepon=PHONE, email=EMAIL, uraian=SECRET_TEXT, **over).status_code == 200
    assert act(client, store, STAFF_A, sid, "Didisposisikan", "disposisiPriv01", nip_tujuan=STAFF_A2).status_code == 303
    answered = act(client, store, STAFF_A2, sid, "Ditindaklanjuti", "jawabPriv00001", catatan="Sudah ditegur.")
    assert answered.status_code == 303
    for nip in EVERYONE:
        handling_page(client, store, nip)
    status(client, code)
    return code


def test_an_anonymous_reporters_contact_appears_nowhere(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = run_the_whole_flow(client, store, "aduanAnonim001", privasi="Anonim")
    (row,) = store.records("Aduan")
    assert row["privasi"] == "Anonim" and row["ada_kontak"] is False
    assert store.count("AduanKontak") == 0
    texts = {f"store:{k}": v for k, v in store_texts(store).items()}
    texts.update({f"handling:{nip}": handling_page(client, store, nip) for nip in EVERYONE})
    texts["status"] = status(client, code).text
    texts.update(viewer_texts(sign_in_operator(client, runtime)))
    texts["log"] = log_text(caplog)
    assert_absent(texts, needles())
    # The unit handling it sees the complaint, but not who sent it.
    assert code in texts[f"handling:{STAFF_A2}"] and "Kontak pelapor" not in texts[f"handling:{STAFF_A2}"]
    assert SECRET_TEXT not in html.unescape(texts["status"])
    assert_absent({"log": texts["log"]}, [SECRET_TEXT, "pelicin"])
    assert "complaint stored" in texts["log"]  # the log was captured


def test_a_named_reporters_contact_is_kept_apart_and_shown_to_the_handling_unit_only(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = run_the_whole_flow(client, store, "aduanBernama01", privasi="Rahasia")
    (contact,) = store.records("AduanKontak")
    assert (contact["telepon"], contact["email"]) == (PHONE, EMAIL)
    stored = store_texts(store)
    assert_absent({k: v for k, v in stored.items() if k != "AduanKontak"}, needles())
    pages = {nip: handling_page(client, store, nip) for nip in EVERYONE}
    for nip in (HEAD_A, STAFF_A, STAFF_A2):  # the handling unit
        assert PHONE in pages[nip] and EMAIL in pages[nip]
    assert_absent({f"handling:{nip}": pages[nip] for nip in (HEAD_B, STAFF_B)}, [*needles(), code])
    assert_absent({"status": status(client, code).text}, [*needles(), SECRET_TEXT])
    viewer = viewer_texts(sign_in_operator(client, runtime))
    assert_absent(viewer, needles())
    assert client.get("/lembar/AduanKontak").status_code == 404
    assert 'id="lembar-AduanKontak"' not in viewer["/lembar/"] and "/lembar/AduanKontak" not in viewer["/lembar/"]
    assert_absent({"log": log_text(caplog)}, [*needles(), SECRET_TEXT, "pelicin"])


# -- random input ------------------------------------------------------------------------------------

FIELDS = ["id_kiriman", "kategori", "unit", "uraian", "privasi", "telepon", "email", "situs_web", "x"]
SAMPLES = [
    "",
    "Pelayanan",
    "Kependudukan",
    "Biasa",
    "Rahasia",
    "Anonim",
    DUKCAPIL,
    DPU,
    "0812 3456 7890",
    "+62812345678901234567",
    "a@contoh.id",
    "abcdefgh\n",
    "a" * 64,
    "aduanAcak0001",
    "\t",
]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(st.text(max_size=60), st.sampled_from(SAMPLES)),
        max_size=len(FIELDS),
    )
)
def test_random_complaint_fields_never_give_a_5xx(client: FlaskClient, values: dict[str, str]) -> None:
    answer = post_form(client, URL, values)
    assert answer.status_code < 500, answer.text[-500:]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_random_complaint_bodies_never_give_a_5xx(client: FlaskClient, body: bytes) -> None:
    answer = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code < 500


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.one_of(st.text(max_size=40), st.sampled_from(["ADU-", "adu", "ADU-AAAA-AAAA-AAAA", "-" * 20])))
def test_random_codes_never_give_a_5xx(client: FlaskClient, typed: str) -> None:
    # A NUL is no character a person types: 400 naming the field (see tests/web/test_http.py).
    assert status(client, typed).status_code in ((400,) if "\x00" in typed else (200, 404))


ACTION_FIELDS = ["id_aduan", "id_kiriman", "jenis", "unit_tujuan", "nip_tujuan", "catatan", "x"]
ACTION_SAMPLES = ["", "aduanAcak0001", "aksiAcak00001", *complaints.ACTIONS, DUKCAPIL, DPU, STAFF_A2, STAFF_B, "ok"]


@hsettings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(ACTION_FIELDS),
        st.one_of(st.text(max_size=40), st.sampled_from(ACTION_SAMPLES)),
        max_size=len(ACTION_FIELDS),
    )
)
def test_random_handling_actions_never_give_a_5xx(
    client: FlaskClient, store: SQLiteStore, values: dict[str, str]
) -> None:
    if not store.count("Aduan"):
        file_and_code(client, "aduanAcak0001")
    answer = post_form(client, handling_url(store, STAFF_A), values)
    assert answer.status_code < 500, answer.text[-500:]

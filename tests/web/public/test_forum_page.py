"""Suara Warga over HTTP: the index and a service's page, posting (retries, conflicts, bad input), supporting once
per device, the rate limits of both kinds, and a privacy scan of every public forum page."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions import ids
from functions.citizens import forum
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from functions.web.public import forum_page
from tests.support.pages import csrf_of, post_form, submission_id
from tests.support.towns import DOCTOR, SERVICE

URL = f"/suara_warga?layanan={SERVICE}"
TEXT = "Mohon ada kursi tunggu tambahan di depan loket pendaftaran, banyak lansia berdiri."
NOTHING = {"SuaraWarga": 0, "SuaraWargaPeristiwa": 0, "DukunganSuara": 0}


@pytest.fixture
def app_runtime(settings: Settings, store: SQLiteStore, services: dict[str, Any]) -> Runtime:
    """The test client posts from one address: a limit that a whole test cannot reach."""
    return Runtime(settings=replace(settings, rate_limit=100_000), store=store)


@pytest.fixture
def client(app_runtime: Runtime) -> FlaskClient:
    return create_app(app_runtime).test_client()


def counts(store: SQLiteStore) -> dict[str, int]:
    return {name: store.count(name) for name in NOTHING}


def post(client: FlaskClient, sid: str = "suaraUji0001", **over: str) -> Any:
    return post_form(client, URL, {"id_kiriman": sid, "jenis": "Saran", "teks": TEXT, **over})


def publish(store: SQLiteStore, sid: str, text: str | None = None) -> str:
    """The operator publishes a suggestion (as the console does, with an id of its own); the id it is known by in
    public."""
    suggestion = next(s for s in forum.load(store) if s.id == sid)
    step = ids.new_id()
    form = {"id_kiriman": step, "jenis": forum.PUBLISHED, "teks": text or suggestion.row["teks"]}
    forum.act(form, suggestion, DOCTOR, store, datetime.now(WIB).replace(hour=8, minute=13))
    return step


def support(client: FlaskClient, public_id: str) -> Any:
    page = client.get(URL)
    return client.post("/dukung_suara", data={"csrf": csrf_of(page.text), "suara": public_id})


def test_the_index_lists_active_services_by_unit_and_the_service_page_has_the_form(client: FlaskClient) -> None:
    index = client.get("/suara_warga")
    assert index.status_code == 200
    assert "Puskesmas Uji Sehat" in index.text and f"suara_warga?layanan={SERVICE}" in index.text
    assert "PKM-UJI-GIGI" not in index.text  # a closed service
    page = client.get(URL)
    assert page.status_code == 200
    assert "Pemeriksaan Umum" in page.text and 'id="form-suara"' in page.text
    assert "Belum ada saran yang terbit" in page.text
    device = client.get_cookie(forum_page.DEVICE_COOKIE)
    assert device is not None and device.http_only and device.max_age == forum_page.DEVICE_MAX_AGE


@pytest.mark.parametrize("ident", ["PKM-UJI-GIGI", "TIDAK-ADA", "%00"])
def test_a_closed_or_unknown_service_answers_404(client: FlaskClient, ident: str) -> None:
    answer = client.get(f"/suara_warga?layanan={ident}")
    assert answer.status_code == 404 and "Layanan tidak ditemukan" in answer.text


def test_a_post_is_stored_once_and_waits_for_the_operator(client: FlaskClient, store: SQLiteStore) -> None:
    answer = post(client)
    assert answer.status_code == 200 and 'id="suara-diterima"' in answer.text
    assert post(client).status_code == 200  # the same submission again
    (row,) = store.records("SuaraWarga")
    assert (row["teks"], row["jenis"], row["unit"]) == (TEXT, "Saran", "PKM-UJI")
    assert TEXT not in client.get(URL).text  # nothing public before the operator publishes it


def test_the_same_id_with_other_text_answers_409_and_keeps_the_text_under_a_new_id(
    client: FlaskClient, store: SQLiteStore
) -> None:
    post(client)
    answer = post(client, teks="Teks yang lain sama sekali.")
    assert answer.status_code == 409
    assert "Teks yang lain sama sekali." in answer.text
    assert submission_id(answer.text) != "suaraUji0001"
    assert store.count("SuaraWarga") == 1


BAD = [
    ({"jenis": ""}, "jenis", "Jenis: pilih Saran atau Pertanyaan."),
    ({"jenis": "Keluhan"}, "jenis", "Jenis: pilih Saran atau Pertanyaan."),
    ({"teks": ""}, "teks", "Saran atau pertanyaan wajib diisi"),
    ({"teks": "   \n "}, "teks", "Saran atau pertanyaan wajib diisi"),
    ({"teks": "x" * 2001}, "teks", "Saran atau pertanyaan: "),
    ({"id_kiriman": "pendek"}, "id_kiriman", "ID kiriman tidak valid"),
]


@pytest.mark.parametrize(("over", "field", "message"), BAD)
def test_bad_input_answers_400_naming_the_field_keeping_the_text_and_storing_nothing(
    client: FlaskClient, store: SQLiteStore, over: dict[str, str], field: str, message: str
) -> None:
    answer = post(client, **over)
    assert answer.status_code == 400
    assert message in answer.text
    typed = over.get("teks", TEXT)
    if typed.strip() and len(typed) < 100:
        assert typed in answer.text  # what was typed comes back
    assert counts(store) == NOTHING


def test_bad_bytes_answer_400_naming_the_field_and_keeping_what_could_be_read(
    client: FlaskClient, store: SQLiteStore
) -> None:
    page = client.get(URL)
    body = f"csrf={csrf_of(page.text)}&id_kiriman=suaraUji0009&jenis=Saran&teks=Antrean%00panjang%FF".encode()
    answer = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400
    assert "Saran atau pertanyaan: berisi karakter yang tidak dapat dibaca" in answer.text
    assert "Antreanpanjang" in answer.text
    assert counts(store) == NOTHING


def test_without_the_forms_csrf_nothing_is_stored(client: FlaskClient, store: SQLiteStore) -> None:
    answer = client.post(URL, data={"id_kiriman": "suaraUji0010", "jenis": "Saran", "teks": TEXT})
    assert answer.status_code == 403 and "Formulir sudah kedaluwarsa" in answer.text
    assert client.post(URL, data="{}", content_type="application/json").status_code == 415
    assert counts(store) == NOTHING


@given(
    fields=st.dictionaries(st.sampled_from(["id_kiriman", "jenis", "teks", "situs_web", "lain"]), st.text(max_size=300))
)
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_form_is_answered_with_200_or_4xx_never_5xx(client: FlaskClient, store: SQLiteStore, fields: dict) -> None:
    before = counts(store)
    answer = post_form(client, URL, fields)
    assert answer.status_code in (200, 400, 409), answer.text[-500:]
    if answer.status_code != 200:
        assert counts(store) == before


def test_a_published_suggestion_is_supported_once_per_device(
    client: FlaskClient, app_runtime: Runtime, store: SQLiteStore
) -> None:
    post(client)
    public_id = publish(store, "suaraUji0001")
    first = support(client, public_id)
    assert first.status_code == 200 and "dukungan Anda tercatat" in first.text
    again = support(client, public_id)
    assert again.status_code == 200 and "sudah mendukung saran ini dari perangkat ini" in again.text
    other = create_app(app_runtime).test_client()  # another device
    assert "dukungan Anda tercatat" in support(other, public_id).text
    assert "2 warga mendukung" in client.get(URL).text
    assert store.count("DukunganSuara") == 2


@pytest.mark.parametrize(
    ("public_id", "status"),
    [("suaraUji0001", 404), ("tidak-ada-sama-sekali", 404), ("", 404), ("<b>x</b>", 404)],
)
def test_supporting_what_is_not_published_answers_404(
    client: FlaskClient, store: SQLiteStore, public_id: str, status: int
) -> None:
    post(client)  # waiting: neither its submission id nor anything else supports it
    answer = support(client, public_id)
    assert answer.status_code == status and "Saran tidak ditemukan" in answer.text
    assert store.count("DukunganSuara") == 0


def test_supporting_without_the_device_cookie_answers_400(client: FlaskClient, store: SQLiteStore) -> None:
    post(client)
    public_id = publish(store, "suaraUji0001")
    page = client.get(URL)
    client.delete_cookie(forum_page.DEVICE_COOKIE)
    answer = client.post("/dukung_suara", data={"csrf": csrf_of(page.text), "suara": public_id})
    assert answer.status_code == 400 and "satu kali per perangkat" in answer.text
    assert client.get("/dukung_suara").status_code == 405
    assert store.count("DukunganSuara") == 0


def test_posting_and_supporting_have_rate_limits_of_their_own(
    settings: Settings, store: SQLiteStore, services: Any
) -> None:
    runtime = Runtime(settings=replace(settings, rate_limit=2), store=store)
    client = create_app(runtime).test_client()
    assert post(client, "suaraUji0011").status_code == 200
    assert post(client, "suaraUji0012").status_code == 200
    limited = post(client, "suaraUji0013")
    assert limited.status_code == 429 and "Terlalu banyak kiriman" in limited.text
    public_id = publish(store, "suaraUji0011")
    assert support(client, public_id).status_code == 200  # supports count apart from posts
    assert post_form(client, f"/submit_survey?layanan={SERVICE}", {}).status_code == 400  # and surveys too
    assert store.count("SuaraWarga") == 2


def test_no_citizen_text_in_the_logs(client: FlaskClient, store: SQLiteStore, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        post(client)
        post(client, teks="")
        support(client, publish(store, "suaraUji0001"))
    assert caplog.records and TEXT not in caplog.text and "kursi" not in caplog.text


PRIVATE_TEXT = "Saya Budi Santoso, NIK 3374012345678901, HP 0812 3456 7890, antrean KK terlalu lama."
EDITED = "Antrean KK terlalu lama."
DECLINED = "Beli obat murah di toko kami, hubungi 0899 1111 2222."
REASON = "Iklan, bukan saran tentang layanan."


def test_no_public_forum_page_shows_anything_of_the_poster(
    client: FlaskClient, app_runtime: Runtime, store: SQLiteStore
) -> None:
    pages: dict[str, str] = {}
    done = post(client, "suaraPrivasi01", teks=PRIVATE_TEXT)
    pages["terima kasih"] = done.text
    post(client, "suaraPrivasi02", teks=DECLINED, jenis="Pertanyaan")
    public_id = publish(store, "suaraPrivasi01", EDITED)
    declined = next(s for s in forum.load(store) if s.id == "suaraPrivasi02")
    forum.act({"id_kiriman": "tolakPrivasi1", "jenis": forum.DECLINED, "alasan": REASON}, declined, DOCTOR, store,
              datetime.now(WIB).replace(hour=9, minute=41))  # fmt: skip
    answered = next(s for s in forum.load(store) if s.id == "suaraPrivasi01")
    forum.act({"id_kiriman": "jawabPrivasi1", "jenis": forum.ANSWERED, "teks": "Loket KK ditambah."}, answered, DOCTOR,
              store, datetime.now(WIB).replace(hour=10, minute=37))  # fmt: skip
    pages["dukungan"] = support(client, public_id).text
    pages["indeks"] = client.get("/suara_warga").text
    for ident in ("PKM-UJI-UMUM", "PKM-UJI-IMUN"):
        pages[ident] = client.get(f"/suara_warga?layanan={quote(ident)}").text
    service_page = pages["PKM-UJI-UMUM"]
    assert EDITED in service_page and "Loket KK ditambah." in service_page and "Dijawab" in service_page

    cookies = [client.get_cookie(name).value for name in (forum_page.DEVICE_COOKIE, "kinerja_csrf")]
    (row,) = store.records("SuaraWarga", where={"id": "suaraPrivasi01"})
    secrets_of_the_poster = [
        "Budi Santoso", "3374012345678901", "0812 3456 7890", DECLINED, "0899 1111 2222", REASON,
        "suaraPrivasi01", "suaraPrivasi02", "tolakPrivasi1", "127.0.0.1", DOCTOR, "dr. Wahyu Nugroho",
        *cookies, *(r["id"] for r in store.records("DukunganSuara")),
        row["diterima_pada"].strftime("%H:%M"), "08:13", "08.13", "09.41", "09:41", "10:37", "10.37",
    ]  # fmt: skip
    for name, page in pages.items():
        text = page.replace("&#39;", "'").replace("&amp;", "&")
        for secret in secrets_of_the_poster:
            assert secret not in text, (name, secret)
        assert not re.search(
            r"\b\d{1,2}[:.]\d{2}\b(?! ?(?:KB|%))", re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        ), name


def test_an_over_size_body_answers_413_and_stores_nothing(
    settings: Settings, store: SQLiteStore, services: Any
) -> None:
    runtime = Runtime(settings=replace(settings, max_body_bytes=1024, rate_limit=1000), store=store)
    answer = post(create_app(runtime).test_client(), teks="x" * 1500)
    assert answer.status_code == 413 and "Kiriman terlalu besar" in answer.text
    assert 'id="form-suara"' in answer.text and counts(store) == NOTHING


def test_the_survey_thanks_page_leads_to_the_services_forum(client: FlaskClient) -> None:
    answer = post_form(
        client,
        f"/submit_survey?layanan={SERVICE}",
        {"id_kiriman": "surveiUji0001"} | {f"u{i}": "3" for i in range(1, 10)},
    )
    assert answer.status_code == 200
    assert f'href="suara_warga?layanan={SERVICE}"' in answer.text


def test_a_suggestion_of_a_service_closed_since_takes_no_support(client: FlaskClient, store: SQLiteStore) -> None:
    post(client)
    public_id = publish(store, "suaraUji0001")
    page = client.get(URL)
    service = store.records("Layanan", where={"id": SERVICE})[0]
    store.upsert("Layanan", [service | {"aktif": False}])
    answer = client.post("/dukung_suara", data={"csrf": csrf_of(page.text), "suara": public_id})
    assert answer.status_code == 404 and store.count("DukunganSuara") == 0

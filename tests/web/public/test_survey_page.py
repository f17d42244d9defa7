"""The public satisfaction survey (SKM) over HTTP: rendering, submitting, retries and bad input."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.citizens.ikm import UNSUR
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.support.pages import csrf_of, post_form, sign_in_operator, submission_id
from tests.support.towns import CLOSED, DOCTOR, ELSEWHERE, NURSE, RETIRED, SERVICE, UNIT, URL

SID = "surveiA1b2c3d4e5"


@pytest.fixture
def client(runtime: Runtime, services: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


def good_form(sid: str = SID, **over: str) -> dict[str, str]:
    form = {
        "id_kiriman": sid,
        **{u.key: str(3 + i % 2) for i, u in enumerate(UNSUR)},  # 3, 4, 3, 4, ...
        "usia": "30-39",
        "jenis_kelamin": "Perempuan",
        "pendidikan": "SMA/SMK",
        "pekerjaan": "Wiraswasta",
        "nip_pegawai": NURSE,
        "saran": "Antrean sudah rapi, ruang tunggu perlu kipas angin.",
        "situs_web": "",
    }
    form.update(over)
    return form


def post(client: FlaskClient, data: dict[str, str], url: str = URL, **kw: Any) -> Any:
    return post_form(client, url, data, **kw)


def checked(page: str, name: str) -> str | None:
    """The value of the checked radio of a group, None when none is checked."""
    match = re.search(rf'name="{name}" value="(\d)" checked', page)
    return match.group(1) if match else None


def test_form_shows_the_nine_unsur_in_order_with_their_four_labels(client: FlaskClient) -> None:
    page = client.get(URL)
    assert page.status_code == 200
    text = page.text
    positions = [text.index(f"<legend>{n}. {u.name}</legend>") for n, u in enumerate(UNSUR, start=1)]
    assert positions == sorted(positions)
    for u, start, end in zip(UNSUR, positions, [*positions[1:], len(text)], strict=True):
        block = text[start:end]
        assert u.question in block
        labels = re.findall(rf'name="{u.key}" value="(\d)"> ([^<]+)</label>', block)
        assert labels == [(str(n), label) for n, label in enumerate(u.labels, start=1)]
    assert [u.name for u in UNSUR][2:4] == ["Waktu Penyelesaian", "Biaya/Tarif"]
    assert "Sangat mahal" in text and "Gratis" in text


def test_form_names_the_service_the_unit_and_the_active_staff_by_name_only(client: FlaskClient) -> None:
    page = client.get(URL)
    text = page.text
    assert "Pemeriksaan Umum" in text and "Puskesmas Uji Sehat" in text
    assert "Ratna Lestari, A.Md.Kep." in text and "dr. Wahyu Nugroho" in text
    assert "Slamet Hartono" not in text and "Agus Prasetyo" not in text
    assert f'<option value="{NURSE}">Ratna Lestari, A.Md.Kep.</option>' in text
    without_values = re.sub(r'value="[^"]*"', "", text)
    for nip in (NURSE, DOCTOR, RETIRED, ELSEWHERE):
        assert nip not in without_values
    assert re.fullmatch(r"[A-Za-z0-9_-]{8,64}", submission_id(text))
    assert csrf_of(text) and "kinerja_csrf=" in page.headers["Set-Cookie"]
    assert 'name="situs_web"' in text
    assert "submit_complaint?unit=PKM-UJI" in text


def test_a_full_answer_is_stored_with_every_field(client: FlaskClient, runtime: Runtime) -> None:
    form = good_form(u5="", u8="1", pekerjaan="", kirim_walau_kosong="ya")  # u5 left open, as confirmed
    answer = post(client, form)
    assert answer.status_code == 200
    assert 'id="terima-kasih"' in answer.text and "sudah kami terima" in answer.text
    assert "Pemeriksaan Umum" in answer.text and "submit_complaint?unit=PKM-UJI" in answer.text
    rows = runtime.store.records("Survei")
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["unit"], row["id_layanan"]) == (SID, UNIT, SERVICE)
    assert row["tanggal"] == datetime.now(ZoneInfo("Asia/Jakarta")).date() == runtime.today()
    assert row["diterima_pada"].utcoffset() == timedelta(hours=7)
    assert row["diterima_pada"].date() == row["tanggal"]
    answers = {u.key: row[u.key] for u in UNSUR}
    assert answers == {"u1": 3, "u2": 4, "u3": 3, "u4": 4, "u5": None, "u6": 4, "u7": 3, "u8": 1, "u9": 3}
    assert all(type(v) is int for v in answers.values() if v is not None)
    assert (row["usia"], row["jenis_kelamin"], row["pendidikan"], row["pekerjaan"]) == (
        "30-39",
        "Perempuan",
        "SMA/SMK",
        None,
    )
    assert row["nip_pegawai"] == NURSE
    assert row["saran"] == "Antrean sudah rapi, ruang tunggu perlu kipas angin."


def test_an_answer_without_profile_staff_or_saran_is_stored(client: FlaskClient, runtime: Runtime) -> None:
    form = good_form(usia="", jenis_kelamin="", pendidikan="", pekerjaan="", nip_pegawai="", saran="")
    del form["situs_web"]
    assert post(client, form).status_code == 200
    row = runtime.store.records("Survei")[0]
    assert [row[k] for k in ("usia", "jenis_kelamin", "pendidikan", "pekerjaan", "nip_pegawai", "saran")] == [None] * 6


def test_retry_with_the_same_id_stores_nothing_more(client: FlaskClient, runtime: Runtime) -> None:
    form = good_form()
    assert post(client, form).status_code == 200
    again = post(client, form)
    assert again.status_code == 200 and 'id="terima-kasih"' in again.text
    assert runtime.store.count("Survei") == 1


def test_same_id_with_other_answers_is_409(client: FlaskClient, runtime: Runtime) -> None:
    post(client, good_form())
    answer = post(client, good_form(u1="1"))
    assert answer.status_code == 409
    assert (
        "isi yang berbeda" in answer.text and "Kirim sekali lagi untuk menyimpannya sebagai kiriman baru" in answer.text
    )
    assert runtime.store.records("Survei")[0]["u1"] == 3
    assert runtime.store.count("Survei") == 1


def test_unit_link_lists_the_units_open_services(client: FlaskClient) -> None:
    page = client.get(f"/submit_survey?unit={UNIT}")
    assert page.status_code == 200
    assert 'id="daftar-layanan"' in page.text and "Puskesmas Uji Sehat" in page.text
    assert f'href="submit_survey?{urlencode({"layanan": SERVICE})}"' in page.text
    assert "Imunisasi" in page.text and "Pemeriksaan Gigi" not in page.text


def test_unit_without_services_says_so(client: FlaskClient) -> None:
    page = client.get("/submit_survey?unit=KEL-LAIN")
    assert page.status_code == 200 and "belum mendaftarkan layanan" in page.text


@pytest.mark.parametrize(
    "url, method, fragment",
    [
        ("/submit_survey?layanan=TIDAK-ADA", "GET", "Layanan tidak ditemukan"),
        ("/submit_survey?layanan=TIDAK-ADA", "POST", "Layanan tidak ditemukan"),
        (f"/submit_survey?layanan={CLOSED}", "GET", "tidak lagi dibuka"),
        (f"/submit_survey?layanan={CLOSED}", "POST", "tidak lagi dibuka"),
        ("/submit_survey", "GET", "Unit tidak ditemukan"),
        ("/submit_survey", "POST", "Layanan tidak ditemukan"),
        ("/submit_survey?unit=TIDAK-ADA", "GET", "Unit tidak ditemukan"),
        ("/submit_survey?layanan=", "GET", "Unit tidak ditemukan"),
    ],
)
def test_unknown_inactive_or_missing_service_is_404(
    client: FlaskClient, runtime: Runtime, url: str, method: str, fragment: str
) -> None:
    if method == "GET":
        answer = client.get(url)
    else:
        csrf = csrf_of(client.get(URL).text)
        answer = client.post(url, data={"csrf": csrf, **good_form()})
    assert answer.status_code == 404
    assert fragment in answer.text and "Pindai ulang kode QR" in answer.text
    assert runtime.store.count("Survei") == 0


UNSUR_MESSAGE = "pilih salah satu jawaban"
ALL_BLANK = {u.key: "" for u in UNSUR}


@pytest.mark.parametrize(
    "change, field, fragment",
    [
        *[
            ({u.key: value}, u.key, f"{u.name}: {UNSUR_MESSAGE}")
            for u in UNSUR
            for value in ("0", "5", "a", "1.5", "٣", "３", "0_3", "+3")
        ],
        (ALL_BLANK, "u1", "Jawab paling sedikit satu pertanyaan survei"),
        ({"usia": "17"}, "usia", "Usia: pilih salah satu: < 20, 20-29"),
        ({"jenis_kelamin": "L"}, "jenis_kelamin", "Jenis kelamin: pilih salah satu: Laki-laki, Perempuan"),
        ({"pendidikan": "S3"}, "pendidikan", "Pendidikan: pilih salah satu: SD ke bawah"),
        ({"pekerjaan": "Petani"}, "pekerjaan", "Pekerjaan: pilih salah satu: PNS/TNI/Polri"),
        ({"nip_pegawai": ELSEWHERE}, "nip_pegawai", "Petugas yang melayani: pilih dari daftar petugas unit ini"),
        ({"nip_pegawai": RETIRED}, "nip_pegawai", "Petugas yang melayani: pilih dari daftar petugas unit ini"),
        ({"nip_pegawai": "bukan-nip"}, "nip_pegawai", "Petugas yang melayani: pilih dari daftar petugas unit ini"),
        ({"saran": "s" * 2001}, "saran", "Saran: paling banyak 2000 karakter"),
        ({"saran": "Pelayanan\x07 lambat"}, "saran", "Saran: berisi karakter kendali"),
        ({"id_kiriman": ""}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "pendek"}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "a/b/c/d/e/f/g/h"}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "x" * 65}, "id_kiriman", "ID kiriman tidak valid"),
    ],
)
def test_bad_fields_answer_400_name_the_field_keep_input_and_store_nothing(
    client: FlaskClient, runtime: Runtime, change: dict[str, str], field: str, fragment: str
) -> None:
    form = good_form(**change)
    answer = post(client, form)
    assert answer.status_code == 400
    text = answer.text
    assert fragment in html.unescape(text)
    assert "Survei belum terkirim" in text
    assert f'id="galat-{field}"' in text or (field == "id_kiriman" and 'class="error-text" id="id_kiriman"' in text)
    # What was typed comes back: the other answers stay checked, the profile selected, the saran kept.
    for u in UNSUR:
        if u.key not in change:
            assert checked(text, u.key) == form[u.key], u.key
    if field != "usia":
        assert '<option value="30-39" selected>' in text
    if field != "nip_pegawai":
        assert f'<option value="{NURSE}" selected>' in text
    if field != "saran":
        assert "Antrean sudah rapi, ruang tunggu perlu kipas angin.</textarea>" in text
    assert runtime.store.count("Survei") == 0


def test_unanswered_unsur_are_asked_about_once_then_accepted(client: FlaskClient, runtime: Runtime) -> None:
    form = good_form(u3="", u8="")
    asked = post(client, form)
    assert asked.status_code == 200 and runtime.store.count("Survei") == 0
    text = html.unescape(asked.text)
    assert "Ada 2 unsur yang belum dijawab. Kirim juga?" in text
    assert 'href="#u3">Waktu Penyelesaian</a>' in text and 'href="#u8">Penanganan Pengaduan' in text
    assert 'id="terima-kasih"' not in text
    # The answers come back checked, with the confirmation set: sending the form as it is stores it, once.
    assert checked(asked.text, "u1") == "3" and checked(asked.text, "u3") is None
    assert '<input type="hidden" name="kirim_walau_kosong" value="ya">' in asked.text
    assert submission_id(asked.text) == SID
    sent = client.post(URL, data={"csrf": csrf_of(asked.text), **form, "kirim_walau_kosong": "ya"})
    assert sent.status_code == 200 and 'id="terima-kasih"' in sent.text
    (row,) = runtime.store.records("Survei")
    assert (row["u3"], row["u8"], row["u1"]) == (None, None, 3)


def test_an_answer_added_after_the_question_is_kept(client: FlaskClient, runtime: Runtime) -> None:
    asked = post(client, good_form(u3=""))
    assert "Ada 1 unsur yang belum dijawab" in html.unescape(asked.text)
    sent = client.post(URL, data={"csrf": csrf_of(asked.text), **good_form(u3="2"), "kirim_walau_kosong": "ya"})
    assert 'id="terima-kasih"' in sent.text
    assert runtime.store.records("Survei")[0]["u3"] == 2


def test_a_complete_answer_is_not_asked_about(client: FlaskClient, runtime: Runtime) -> None:
    answer = post(client, good_form())
    assert 'id="terima-kasih"' in answer.text and "belum dijawab" not in answer.text
    assert runtime.store.count("Survei") == 1


def test_a_refused_form_keeps_a_good_submission_id_for_the_next_try(client: FlaskClient, runtime: Runtime) -> None:
    answer = post(client, good_form(u3="9"))
    assert answer.status_code == 400
    assert submission_id(answer.text) == SID
    fixed = post(client, good_form(u3="2"))
    assert fixed.status_code == 200
    assert runtime.store.records("Survei")[0]["u3"] == 2


@pytest.mark.parametrize("csrf", [None, "", "0" * 64, "salah"])
def test_missing_or_wrong_csrf_is_403_and_stores_nothing(
    client: FlaskClient, runtime: Runtime, csrf: str | None
) -> None:
    client.get(URL)  # the browser has the cookie
    form = good_form()
    if csrf is not None:
        form["csrf"] = csrf
    answer = client.post(URL, data=form)
    assert answer.status_code == 403 and "Muat ulang halaman" in answer.text
    assert runtime.store.count("Survei") == 0


def test_csrf_field_without_its_cookie_is_403(client: FlaskClient, runtime: Runtime) -> None:
    csrf = csrf_of(client.get(URL).text)
    client.delete_cookie("kinerja_csrf")
    answer = client.post(URL, data={"csrf": csrf, **good_form()})
    assert answer.status_code == 403
    assert runtime.store.count("Survei") == 0


@pytest.mark.parametrize("value", ["http://spam.example", " x "])
def test_filled_honeypot_is_400_and_stores_nothing(client: FlaskClient, runtime: Runtime, value: str) -> None:
    answer = post(client, good_form(situs_web=value))
    assert answer.status_code == 400 and "kiriman otomatis" in answer.text
    assert runtime.store.count("Survei") == 0


def test_body_over_the_limit_is_413(client: FlaskClient, runtime: Runtime) -> None:
    answer = post(client, good_form(saran="s" * 70_000))
    assert answer.status_code == 413 and "terlalu besar" in answer.text and "64 KB" in answer.text
    assert runtime.store.count("Survei") == 0


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", b'{"u1": "4"}'),
        ("text/plain", b"u1=4"),
        ("multipart/form-data; boundary=x", b"--x--"),
    ],
)
def test_wrong_content_type_is_415(client: FlaskClient, runtime: Runtime, content_type: str, body: bytes) -> None:
    answer = client.post(URL, data=body, content_type=content_type)
    assert answer.status_code == 415 and "Jenis isi kiriman" in answer.text
    assert runtime.store.count("Survei") == 0


@pytest.mark.parametrize("body", [b"saran=%FF%FE", b"saran=\xff", b"u1=4&saran=a%00b"])
def test_invalid_utf8_or_nul_is_400_naming_the_field(client: FlaskClient, runtime: Runtime, body: bytes) -> None:
    answer = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400 and "Saran: berisi karakter yang tidak dapat dibaca" in answer.text
    assert runtime.store.count("Survei") == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: FlaskClient, method: str) -> None:
    answer = client.open(URL, method=method)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, HEAD, POST"


def test_the_fourth_post_in_a_minute_is_429_with_retry_after(
    settings: Settings, store: SQLiteStore, services: dict[str, Any]
) -> None:
    runtime = Runtime(settings=replace(settings, rate_limit=3), store=store)
    client = create_app(runtime).test_client()
    for n in range(3):
        assert post(client, good_form(sid=f"kiriman{n:04d}")).status_code == 200
    answer = post(client, good_form(sid="kiriman0004"))
    assert answer.status_code == 429
    assert "Terlalu banyak kiriman" in answer.text and "Tunggu" in answer.text
    assert 1 <= int(answer.headers["Retry-After"]) <= 61
    assert store.count("Survei") == 3
    assert client.get(URL).status_code == 200  # opening the form is not limited


def test_formula_like_saran_is_stored_as_typed_and_escaped_in_pages(client: FlaskClient, runtime: Runtime) -> None:
    typed = '=HYPERLINK("http://x")<script>alert(1)</script>'
    refused = post(client, good_form(u1="7", saran=typed))
    assert refused.status_code == 400
    assert "<script>alert(1)</script>" not in refused.text
    assert "=HYPERLINK(&#34;http://x&#34;)&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in refused.text
    assert post(client, good_form(saran=typed)).status_code == 200
    assert runtime.store.records("Survei")[0]["saran"] == typed
    sheet = sign_in_operator(client, runtime).get("/lembar/Survei")
    assert sheet.status_code == 200
    assert "<script>alert(1)</script>" not in sheet.text and "&lt;script&gt;" in sheet.text


FIELDS = [
    "id_kiriman",
    *[u.key for u in UNSUR],
    "usia",
    "jenis_kelamin",
    "pendidikan",
    "pekerjaan",
    "nip_pegawai",
    "saran",
    "situs_web",
    "x",
]


@pytest.fixture
def unlimited_client(settings: Settings, store: SQLiteStore, services: dict[str, Any]) -> FlaskClient:
    """A client whose runtime never rate-limits, so that every random example reaches the form."""
    return create_app(Runtime(settings=replace(settings, rate_limit=100_000), store=store)).test_client()


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(
            st.text(max_size=60),
            st.sampled_from(["", "0", "1", "4", "5", "-1", "1e309", "Perempuan", NURSE, ELSEWHERE, "abcdefgh\n"]),
        ),
        max_size=len(FIELDS),
    )
)
def test_random_field_values_never_give_a_5xx(unlimited_client: FlaskClient, values: dict[str, str]) -> None:
    answer = post(unlimited_client, values)
    assert answer.status_code < 500, answer.text[-500:]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_random_bodies_never_give_a_5xx(unlimited_client: FlaskClient, body: bytes) -> None:
    answer = unlimited_client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code < 500


def test_survey_path_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = "import sys, main; from functions.web.public import survey_page; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

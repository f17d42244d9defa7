"""Bodies that cannot be used as sent, on every form: bad bytes in a field, or a body over the size limit.

Each answers 4xx with its own form again: what could be read kept in the fields (bad bytes shown replaced, NULs
dropped), an Indonesian message naming the field, nothing stored, never a 5xx.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.rules import predikat
from functions.runtime import Runtime
from functions.staff import behaviour
from functions.web import http
from functions.web.app import create_app
from tests.citizens.test_complaints import complaint_form
from tests.conftest import STAFF_A, SUPERVISOR, token_for
from tests.support import towns
from tests.support.pages import activity_fields, csrf_of, submission_id

TYPED = "Teks yang sudah diketik"  # a value that must come back in the form


@dataclass(frozen=True)
class Form:
    """One form page: how to reach it, a good body, the field corrupted and how the message names it."""

    name: str
    url: Callable[[Runtime], str]
    fields: Callable[[Runtime], dict[str, str]]
    field: str
    label: str
    sheet: str  # where a submission would be stored


def report_fields(runtime: Runtime) -> dict[str, str]:
    day = runtime.today()
    return {"id_kiriman": "laporanRusak0001", **activity_fields(0, day, f"{STAFF_A}-{day.year}-1", kendala=TYPED)}


def waiting_activity(runtime: Runtime) -> str:
    """An activity of STAFF_A waiting for SUPERVISOR, stored directly."""
    day = runtime.today()
    runtime.store.append(
        "LaporanHarian",
        [
            {
                "id": "menunggu00000001-1",
                "id_kiriman": "menunggu00000001",
                "nip": STAFF_A,
                "nama": "Budi Santoso",
                "unit": "KEL-UJI",
                "tanggal": day,
                "kegiatan": "Melayani warga",
                "id_target": f"{STAFF_A}-{day.year}-1",
                "indikator": "Jumlah surat",
                "kuantitas": 2,
                "satuan": "surat",
                "durasi_menit": 30,
                "diterima_pada": runtime.now(),
                "verifikasi": "Menunggu",
            }
        ],
    )
    return "menunggu00000001-1"


def review_fields(runtime: Runtime) -> dict[str, str]:
    activity = waiting_activity(runtime)
    return {f"status-{activity}": "Dikembalikan", f"catatan-{activity}": TYPED}


def behaviour_fields(runtime: Runtime) -> dict[str, str]:
    values = {behaviour.field(v.key, STAFF_A): predikat.RATINGS[1] for v in predikat.BERAKHLAK}
    return {"id_kiriman": "perilakuRusak001", **values, behaviour.field("catatan", STAFF_A): TYPED}


def survey_fields(runtime: Runtime) -> dict[str, str]:
    return {"id_kiriman": "surveiRusak00001", "u1": "4", "u2": "3", "saran": TYPED, "situs_web": ""}


def handling_fields(runtime: Runtime) -> dict[str, str]:
    client = create_app(runtime).test_client()
    filed = client.post("/submit_complaint", data={"csrf": csrf_of(client.get("/submit_complaint").text),
                                                    **complaint_form("aduanDitangani1")})  # fmt: skip
    assert filed.status_code == 200
    return {"id_aduan": "aduanDitangani1", "id_kiriman": "tindakanRusak001", "jenis": "Ditindaklanjuti",
            "catatan": TYPED}  # fmt: skip


FORMS = [
    Form("report", lambda r: f"/submit_report?t={quote(token_for(r.store, STAFF_A))}", report_fields,
         "kegiatan-0", "Kegiatan", "LaporanHarian"),
    Form("review", lambda r: f"/review_reports?t={quote(token_for(r.store, SUPERVISOR))}", review_fields,
         "status-menunggu00000001-1", "Status", "LaporanHarian"),
    Form("behaviour", lambda r: f"/rate_behaviour?t={quote(token_for(r.store, SUPERVISOR))}", behaviour_fields,
         behaviour.field("akuntabel", STAFF_A), "Akuntabel", "PenilaianPerilaku"),
    Form("survey", lambda r: towns.URL, survey_fields, "pekerjaan", "Pekerjaan", "Survei"),
    Form("complaint", lambda r: "/submit_complaint", lambda r: {**complaint_form("aduanRusak00001"), "email": TYPED},
         "uraian", "Uraian pengaduan", "Aduan"),
    Form("handling", lambda r: f"/handle_complaints?t={quote(token_for(r.store, towns.HEAD_A))}", handling_fields,
         "unit_tujuan", "Unit tujuan", "AduanPeristiwa"),
]  # fmt: skip
SEEDS = {"report": "city", "review": "city", "behaviour": "city", "survey": "services"}


@pytest.fixture
def page_runtime(request: pytest.FixtureRequest, runtime: Runtime) -> Runtime:
    """The runtime with the page's small city seeded (by the ``form`` parameter) and no rate limit to reach."""
    request.getfixturevalue(SEEDS.get(request.node.callspec.params["form"].name, "town"))
    return replace(runtime, settings=replace(runtime.settings, rate_limit=100_000))


def stored(runtime: Runtime, form: Form) -> list[dict[str, Any]]:
    return runtime.store.records(form.sheet)


def send(client: FlaskClient, url: str, body: bytes, with_csrf: bool = True) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page.text[-500:]
    token = csrf_of(page.text)
    prefix = f"csrf={token}&".encode() if with_csrf else b""
    return client.post(url, data=prefix + body, content_type=http.FORM_TYPE)


def body_with(fields: dict[str, str], field: str, bad: bytes) -> bytes:
    """The urlencoded fields, then ``field`` holding ``bad`` between readable text."""
    clean = {k: v for k, v in fields.items() if k != field}
    return urlencode(clean).encode() + b"&" + quote(field).encode() + b"=Awal" + bad + b"akhir"


BAD_BYTES = {
    "invalid UTF-8, escaped": b"%FF%FE",
    "invalid UTF-8, raw": b"\xff",
    "a lone continuation byte": b"%80",
    "a truncated sequence": b"%E2%82",
    "NUL": b"%00",
    "raw NUL": b"\x00",
}


@pytest.mark.parametrize("bad", BAD_BYTES.values(), ids=BAD_BYTES.keys())
@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_bad_bytes_in_a_field_answer_400_naming_it_and_keep_what_was_typed(
    page_runtime: Runtime, form: Form, bad: bytes
) -> None:
    client = create_app(page_runtime).test_client()
    url = form.url(page_runtime)
    fields = form.fields(page_runtime)
    before = stored(page_runtime, form)
    answer = send(client, url, body_with(fields, form.field, bad))
    assert answer.status_code == 400, answer.text[-800:]
    assert f"{form.label}: berisi karakter yang tidak dapat dibaca" in answer.text
    assert "Tidak ada yang disimpan" in answer.text
    assert TYPED in answer.text  # the other fields come back as typed
    assert 'name="csrf"' in answer.text  # the form itself, ready to send again
    assert "\x00" not in answer.text
    assert stored(page_runtime, form) == before


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_a_bad_body_from_another_site_still_names_the_field_but_shows_nothing_it_sent(
    page_runtime: Runtime, form: Form
) -> None:
    client = create_app(page_runtime).test_client()
    url = form.url(page_runtime)
    fields = form.fields(page_runtime)
    before = stored(page_runtime, form)
    answer = send(client, url, body_with(fields, form.field, b"%FF"), with_csrf=False)
    assert answer.status_code == 400
    assert f"{form.label}: berisi karakter yang tidak dapat dibaca" in answer.text
    assert TYPED not in answer.text
    assert stored(page_runtime, form) == before


@pytest.mark.parametrize("form", FORMS, ids=[f.name for f in FORMS])
def test_a_body_over_the_limit_answers_413_with_the_empty_form_and_the_limit(page_runtime: Runtime, form: Form) -> None:
    client = create_app(page_runtime).test_client()
    url = form.url(page_runtime)
    fields = form.fields(page_runtime)
    before = stored(page_runtime, form)
    long = urlencode({**fields, form.field: "k" * (page_runtime.settings.max_body_bytes + 1)}).encode()
    answer = send(client, url, long)
    assert answer.status_code == 413
    assert "Kiriman terlalu besar: teks yang dikirim lebih dari 64 KB. Tidak ada yang disimpan" in answer.text
    assert 'name="csrf"' in answer.text and TYPED not in answer.text
    assert stored(page_runtime, form) == before


@pytest.mark.parametrize(
    "query, shown",
    [("kode=ADU-%FF7KQ2", "ADU-\ufffd7KQ2"), ("kode=ADU-%007KQ2", "ADU-7KQ2"), ("kode=%E2%82", "\ufffd")],
)
def test_bad_bytes_in_a_tracking_code_answer_400_naming_it(
    runtime: Runtime, town: dict[str, Any], query: str, shown: str
) -> None:
    answer = create_app(runtime).test_client().get(f"/complaint_status?{query}")
    assert answer.status_code == 400
    assert "Kode pelacakan: berisi karakter yang tidak dapat dibaca" in answer.text
    assert f'value="{shown}"' in answer.text and 'id="galat-kode"' in answer.text


def test_an_id_that_came_back_unreadable_is_replaced_so_that_sending_again_works(
    runtime: Runtime, city: dict[str, Any]
) -> None:
    client = create_app(runtime).test_client()
    url = f"/submit_report?t={quote(token_for(runtime.store, STAFF_A))}"
    fields = report_fields(runtime)
    answer = send(client, url, body_with(fields, "id_kiriman", b"%00"))
    assert answer.status_code == 400 and "ID kiriman: berisi karakter yang tidak dapat dibaca" in answer.text
    fresh = submission_id(answer.text)
    assert fresh != "Awalakhir"
    again = {**fields, "id_kiriman": fresh}
    assert client.post(url, data={"csrf": csrf_of(answer.text), **again}).status_code == 200
    assert runtime.store.count("LaporanHarian") == 1


def test_parse_fields_keeps_the_first_value_and_names_the_first_bad_field() -> None:
    fields, bad = http.parse_fields(b"a=1&a=2&b=%FF&c=%00x&d")
    assert fields == {"a": "1", "b": "\ufffd", "c": "x", "d": ""}
    assert bad == "b"
    assert http.parse_fields(b"x=%E2%82%AC+1&y=") == ({"x": "\u20ac 1", "y": ""}, None)


@pytest.mark.parametrize(
    "field, label",
    [("kegiatan-0", "Kegiatan"), ("durasi_menit-3", "Durasi"), ("catatan-199003032015031003", "Catatan"),
     ("nomor_lain", "Nomor lain"), ("", "Isian")],
)  # fmt: skip
def test_a_field_is_named_by_its_label(field: str, label: str) -> None:
    assert http.label(field, {"kegiatan": "Kegiatan", "durasi_menit": "Durasi", "catatan": "Catatan"}) == label


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200), with_csrf=st.booleans())
def test_random_bodies_on_the_public_forms_never_give_a_5xx_nor_store_anything(
    runtime: Runtime, services: dict[str, Any], body: bytes, with_csrf: bool
) -> None:
    app_runtime = replace(runtime, settings=replace(runtime.settings, rate_limit=100_000))
    client = create_app(app_runtime).test_client()
    answer = send(client, towns.URL, body, with_csrf)
    assert answer.status_code < 500
    assert runtime.store.count("Survei") == 0 or answer.status_code == 200

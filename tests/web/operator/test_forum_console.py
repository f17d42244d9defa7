"""The console's Suara Warga section on the demo city: only the operator's units, publishing with personal data
edited out, declining with a private reason, answering in public, retries, and bad input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.citizens import forum
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from tests.web.operator.conftest import sign_in

WAITING_TEXT = "Tolong jadwal dokter ditempel di depan pintu masuk"  # the demo's suggestion at Puskesmas Pandanaran
DISDUKCAPIL_TEXT = "Mohon antrean perekaman KTP-el dibuka secara daring"
SECTION = "/operator_console?bagian=suara"


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def waiting(store: SQLiteStore, unit: str = "PKM-PANDANARAN") -> forum.Suggestion:
    return next(s for s in forum.load(store, units=[unit]) if s.state == forum.WAITING)


def act(client: FlaskClient, suggestion: forum.Suggestion, **fields: str) -> Any:
    page = client.get(SECTION)
    data = {"csrf": csrf_of(page.text), "aksi": "suara", "id_suara": suggestion.id, "id_kiriman": "langkahKonsol01"}
    return client.post("/operator_console", data=data | fields)


def test_the_opd_operator_sees_and_acts_only_on_their_units(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")  # Dinas Kesehatan and its puskesmas
    page = client.get(SECTION)
    assert page.status_code == 200 and WAITING_TEXT in page.text and DISDUKCAPIL_TEXT not in page.text
    theirs = next(s for s in forum.load(city, units=["DISDUKCAPIL"]) if s.is_public)
    before = city.count("SuaraWargaPeristiwa")
    answer = act(client, theirs, jenis=forum.FOLLOWED_UP, teks="Sudah.")
    assert answer.status_code == 403 and "bukan tentang layanan unit yang Anda kelola" in answer.text
    assert city.count("SuaraWargaPeristiwa") == before


def test_the_bkpp_operator_sees_the_whole_city(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime, "Operator BKPP")
    page = client.get(SECTION).text
    assert WAITING_TEXT in page and DISDUKCAPIL_TEXT in page
    assert "Iklan jasa pengurusan dokumen" in page and "Promosi jasa" in page  # declined, with its reason


def test_publishing_an_edited_text_keeps_the_original_private(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    suggestion = waiting(city)
    answer = act(client, suggestion, jenis=forum.PUBLISHED, teks="Mohon jadwal dokter ditempel di pintu masuk.")
    assert answer.status_code == 200 and "Saran diterbitkan." in answer.text
    public = client.get(f"/suara_warga?layanan={suggestion.row['id_layanan']}").text
    assert "Mohon jadwal dokter ditempel di pintu masuk." in public and WAITING_TEXT not in public
    assert "disunting operator" in public
    assert city.records("SuaraWarga", where={"id": suggestion.id})[0]["teks"].startswith(WAITING_TEXT)
    (event,) = [e for e in city.records("SuaraWargaPeristiwa") if e["id_suara"] == suggestion.id]
    assert event["oleh_nip"] == next(p for p in city.records("Pegawai") if p.get("peran") == "Operator OPD")["nip"]


def test_a_step_sent_again_is_stored_once(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator OPD")
    suggestion = waiting(city)
    for _ in range(2):
        answer = act(client, suggestion, jenis=forum.PUBLISHED, teks="Jadwal dokter di pintu masuk.")
        assert answer.status_code == 200
    assert len([e for e in city.records("SuaraWargaPeristiwa") if e["id_suara"] == suggestion.id]) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"jenis": forum.DECLINED, "alasan": ""}, "alasan", "Alasan penolakan wajib diisi"),
        ({"jenis": forum.DECLINED}, "alasan", "Alasan penolakan wajib diisi"),
        ({"jenis": forum.DECLINED, "alasan": "x" * 501}, "alasan", "Alasan penolakan: "),
        ({"jenis": forum.PUBLISHED, "teks": "  "}, "teks", "Teks yang diterbitkan wajib diisi"),
        ({"jenis": forum.ANSWERED, "teks": "Jawaban."}, "jenis", "Tindakan: saran ini menunggu"),
        ({"jenis": "Dihapus", "teks": "Apa saja."}, "jenis", "Tindakan: saran ini menunggu"),
        ({"jenis": forum.PUBLISHED, "teks": "Teks.", "id_kiriman": "x"}, "id_kiriman", "ID kiriman tidak valid"),
    ],
)
def test_bad_steps_answer_400_at_the_suggestion_keeping_the_text(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore, fields: dict[str, str], field: str, message: str
) -> None:
    sign_in(client, runtime, "Operator OPD")
    suggestion = waiting(city)
    before = city.count("SuaraWargaPeristiwa")
    answer = act(client, suggestion, **fields)
    assert answer.status_code == 400
    assert message in answer.text
    assert f'href="#nilai-{field}-{suggestion.id}"' in answer.text  # the summary leads to the suggestion
    typed = fields.get("alasan") or fields.get("teks") or ""
    if typed.strip() and fields["jenis"] in (forum.DECLINED, forum.PUBLISHED):
        assert typed in answer.text
    if "teks" not in fields:  # the other form of the suggestion keeps its own text
        assert f">{suggestion.row['teks']}</textarea>" in answer.text
    assert city.count("SuaraWargaPeristiwa") == before


def test_unknown_suggestions_and_actions_are_refused(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator BKPP")
    page = client.get(SECTION)
    data = {"csrf": csrf_of(page.text), "aksi": "suara", "id_suara": "tidak-ada", "jenis": forum.PUBLISHED}
    assert client.post("/operator_console", data=data).status_code == 403
    assert client.post("/operator_console", data={"aksi": "suara"}).status_code == 403  # no CSRF token


def test_declining_and_answering_from_the_console(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator BKPP")
    suggestion = waiting(city)
    answer = act(client, suggestion, jenis=forum.DECLINED, alasan="Sudah ada di papan informasi.")
    assert answer.status_code == 200 and "ditolak (tidak tampil di halaman publik)" in answer.text
    public = client.get(f"/suara_warga?layanan={suggestion.row['id_layanan']}").text
    assert WAITING_TEXT not in public and "papan informasi" not in public
    open_one = next(s for s in forum.load(city) if s.state == forum.RECEIVED)
    page = client.get(SECTION)
    data = {"csrf": csrf_of(page.text), "aksi": "suara", "id_suara": open_one.id, "id_kiriman": "jawabKonsol01"}
    answered = client.post("/operator_console", data=data | {"jenis": forum.ANSWERED, "teks": "Bisa, dengan surat."})
    assert answered.status_code == 200 and "dijawab" in answered.text
    public = client.get(f"/suara_warga?layanan={open_one.row['id_layanan']}").text
    assert "Bisa, dengan surat." in public and "Dijawab dalam" in public


@given(
    pick=st.integers(min_value=0, max_value=5),
    fields=st.fixed_dictionaries(
        {
            "jenis": st.sampled_from([*forum.STATE_AFTER, ""]) | st.text(max_size=12),
            "teks": st.text(max_size=2100),
            "alasan": st.text(max_size=600),
            "id_kiriman": st.text(max_size=70) | st.uuids().map(lambda u: u.hex),
        }
    ),
)
@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_step_is_stored_whole_or_answered_with_a_4xx(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore, pick: int, fields: dict[str, str]
) -> None:
    sign_in(client, runtime, "Operator BKPP")
    every = forum.load(city)
    suggestion = every[pick % len(every)]
    before = city.count("SuaraWargaPeristiwa")
    existed = bool(city.records("SuaraWargaPeristiwa", where={"id": fields["id_kiriman"]}))
    answer = act(client, suggestion, **fields)
    assert answer.status_code in (200, 400, 409), answer.text[-500:]
    added = city.count("SuaraWargaPeristiwa") - before
    assert added == (1 if answer.status_code == 200 and not existed else 0)

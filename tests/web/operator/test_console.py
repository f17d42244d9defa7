"""The operator's console over HTTP on the demo city: the session, the sheets and outbox behind it, the checklist,
Konfigurasi edits, personal links by email, slips, revocation, and an OPD operator's narrower view."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from functions.mail.transport import list_messages
from functions.runtime import Runtime
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from tests.web.operator.conftest import DEMO_DAY, sign_in

DINKES = {"DINKES", "PKM-PANDANARAN", "PKM-HALMAHERA"}  # the OPD operator's OPD: Dinas Kesehatan and its puskesmas


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


GUARDED = [
    "/lembar/",
    "/lembar/Aduan",
    "/lembar/Aduan?format=csv",
    "/lembar/Pegawai?format=xlsx",
    "/kotak-keluar/",
    "/operator_console",
    "/operator_console?bagian=tautan",
]


@pytest.mark.parametrize("path", GUARDED)
def test_sheets_exports_outbox_and_console_answer_403_without_an_operator_session(
    client: FlaskClient, path: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 403
    assert "tautan pribadi operator" in answer.text


def test_a_staff_link_opens_no_console(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    someone = next(p for p in city.records("Pegawai") if not p.get("peran"))
    answer = client.get("/operator_console?t=" + identity.make_token(runtime.settings.secret_key, someone))
    assert answer.status_code == 403 and "bukan tautan operator" in answer.text
    assert client.get("/lembar/").status_code == 403


def test_the_bkpp_operator_sees_every_section_and_every_sheet(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime, "Operator BKPP")
    for section in ("persiapan", "konfigurasi", "tautan"):
        assert client.get(f"/operator_console?bagian={section}").status_code == 200
    page = client.get("/operator_console").text
    # The demo city has sent no link yet: every one of its 64 people is waiting.
    assert "Tautan pribadi belum dikirim: 64" in page and "Pegawai tanpa target SKP 2026: 0" in page
    assert client.get("/lembar/Aduan").status_code == 200
    assert client.get("/kotak-keluar/").status_code == 200


def test_a_bad_konfigurasi_value_is_refused_with_its_reason_and_kept_a_good_one_is_recorded(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    person = sign_in(client, runtime, "Operator BKPP")
    token = csrf_of(client.get("/operator_console?bagian=konfigurasi").text)
    form = {"csrf": token, "aksi": "konfigurasi", "kunci": "laporan_batas_hari", "id_kiriman": "ubahKonfig000001"}
    refused = client.post("/operator_console", data=form | {"nilai": "tiga"})
    assert refused.status_code == 400
    assert "tulis angka dengan digit 0-9" in refused.text and 'value="tiga"' in refused.text  # what was typed stays
    assert (
        city.records("RiwayatKonfigurasi") == []
        and city.records("Konfigurasi", where={"kunci": "laporan_batas_hari"})[0]["nilai"] == "7"
    )
    accepted = client.post("/operator_console", data=form | {"nilai": "5", "id_kiriman": "ubahKonfig000002"})
    assert accepted.status_code == 200 and "laporan_batas_hari diubah dari 7 menjadi 5" in accepted.text
    [change] = city.records("RiwayatKonfigurasi")
    assert (change["nip"], change["kunci"], change["nilai_lama"], change["nilai_baru"]) == (
        person["nip"],
        "laporan_batas_hari",
        "7",
        "5",
    )
    assert city.records("Konfigurasi", where={"kunci": "laporan_batas_hari"})[0]["nilai"] == "5"


def test_a_bad_value_typed_in_the_sheet_shows_on_the_checklist(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    city.upsert("Konfigurasi", [{"kunci": "laporan_batas_hari", "nilai": "tiga"}])
    sign_in(client, runtime, "Operator BKPP")
    page = client.get("/operator_console").text
    assert 'id="konfigurasi-bermasalah"' in page and "laporan_batas_hari" in page


def test_a_units_links_go_to_the_outbox_once_and_the_checklist_counts_them(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator BKPP")
    page = client.get("/operator_console?bagian=tautan&unit=BKPP").text
    staff = [p for p in city.records("Pegawai") if p["unit"] == "BKPP"]
    assert page.count("WhatsApp</a>") == len(staff) and "https://wa.me/?text=" in page
    form = {"csrf": csrf_of(page), "aksi": "kirim", "sasaran": "unit", "unit": "BKPP"}
    answer = client.post("/operator_console", data=form)
    assert f"{len(staff)} email tautan terkirim" in answer.text
    again = client.post("/operator_console", data=form)
    assert f"0 email tautan terkirim; {len(staff)} sudah dikirim hari ini" in again.text
    outbox = list_messages(runtime.settings.outbox_dir)
    assert len(outbox) == len(staff)
    assert f"Tautan pribadi belum dikirim: {64 - len(staff)}" in client.get("/operator_console").text


def test_slips_of_a_unit_carry_a_qr_code_per_person(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator BKPP")
    page = client.get("/operator_console?bagian=slip&unit=KEL-MIROTO")
    staff = [p for p in city.records("Pegawai") if p["unit"] == "KEL-MIROTO"]
    assert page.status_code == 200
    assert page.text.count('class="slip"') == page.text.count("<svg") == len(staff)
    assert all(p["nip"] in page.text for p in staff)


def test_revoking_a_link_ends_it_at_once(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator BKPP")
    person = next(p for p in city.records("Pegawai") if p["unit"] == "KEL-MIROTO")
    old = identity.make_token(runtime.settings.secret_key, person)
    page = client.get("/operator_console?bagian=tautan&unit=KEL-MIROTO").text
    answer = client.post("/operator_console", data={"csrf": csrf_of(page), "aksi": "cabut", "nip": person["nip"]})
    assert answer.status_code == 200 and "sudah dicabut" in answer.text
    assert client.get("/submit_report?t=" + old).status_code == 403


def test_an_opd_operator_sees_and_changes_only_their_opd(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    sheet = client.get("/lembar/Pegawai?format=csv").text
    inside = [p for p in city.records("Pegawai") if p["unit"] in DINKES]
    assert all(p["nip"] in sheet for p in inside)
    assert not any(p["nip"] in sheet for p in city.records("Pegawai") if p["unit"] not in DINKES)
    assert client.get("/lembar/Terkirim").status_code == 404  # no unit column: not theirs to read
    assert client.get("/kotak-keluar/").status_code == 403  # everyone's links are in there
    assert client.get("/operator_console?bagian=tautan&unit=BKPP").status_code == 403
    page = client.get("/operator_console?bagian=konfigurasi").text
    assert 'name="nilai"' not in page  # the city's settings: read only
    form = {
        "csrf": csrf_of(client.get("/operator_console?bagian=tautan").text),
        "aksi": "konfigurasi",
        "kunci": "laporan_batas_hari",
        "nilai": "3",
        "id_kiriman": "x" * 16,
    }
    assert client.post("/operator_console", data=form).status_code == 403
    outsider = next(p for p in city.records("Pegawai") if p["unit"] == "BKPP")
    assert (
        client.post(
            "/operator_console", data={"csrf": form["csrf"], "aksi": "cabut", "nip": outsider["nip"]}
        ).status_code
        == 403
    )


def test_the_checklist_asks_for_the_programme_start_until_it_is_set(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator BKPP")
    assert "Tanggal mulai program belum diisi: 0" in client.get("/operator_console").text  # the demo sets it
    city.upsert("Konfigurasi", [{"kunci": "tanggal_mulai_program", "nilai": None}])
    assert "Tanggal mulai program belum diisi: 1" in client.get("/operator_console").text


def test_services_count_as_without_a_poster_until_one_is_marked_put_up(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator BKPP")
    services = [s for s in city.records("Layanan") if s.get("aktif") is not False]
    assert f"Layanan tanpa poster QR di loket: {len(services)}" in client.get("/operator_console").text
    city.upsert("Layanan", [{**services[0], "poster_dipasang": DEMO_DAY}])
    assert f"Layanan tanpa poster QR di loket: {len(services) - 1}" in client.get("/operator_console").text


def test_a_poster_is_printed_and_marked_put_up_from_the_console(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    services = [s for s in city.records("Layanan") if s.get("aktif") is not False]
    mine = next(s for s in services if s["unit"] in DINKES)
    theirs = next(s for s in services if s["unit"] not in DINKES)
    page = client.get("/operator_console?bagian=poster")
    assert page.status_code == 200 and mine["nama"] in page.text and theirs["nama"] not in page.text
    poster = client.get(f"/operator_console?bagian=poster&layanan={mine['id']}")
    assert poster.status_code == 200 and poster.text.count("<svg") == 2  # the survey and the complaint QR codes
    assert client.get(f"/operator_console?bagian=poster&layanan={theirs['id']}").status_code == 403
    form = {"csrf": csrf_of(page.text), "aksi": "poster"}
    marked = client.post("/operator_console", data=form | {"layanan": mine["id"]})
    assert marked.status_code == 200 and "ditandai sudah dipasang" in marked.text
    assert city.records("Layanan", where={"id": mine["id"]})[0]["poster_dipasang"] == runtime.today()
    assert client.post("/operator_console", data=form | {"layanan": theirs["id"]}).status_code == 403
    assert city.records("Layanan", where={"id": theirs["id"]})[0]["poster_dipasang"] is None

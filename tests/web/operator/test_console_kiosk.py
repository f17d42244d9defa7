"""The console's Tautan kios section on the demo city: issuing a kiosk link per service, opening it, revoking it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from tests.support.pages import csrf_of
from tests.web.operator.conftest import sign_in

DINKES = {"DINKES", "PKM-PANDANARAN", "PKM-HALMAHERA"}  # the demo OPD operator's OPD


def kiosk_links(page: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'<a href="([^"]+kios=[^"]+)"', page)]


def test_an_operator_issues_a_kiosk_link_that_opens_the_survey_in_kiosk_mode(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    page = client.get("/operator_console?bagian=kios")
    assert page.status_code == 200 and "Belum ada tautan kios yang berlaku" in page.text
    mine = next(s for s in city.records("Layanan") if s["unit"] in DINKES)
    form = {"csrf": csrf_of(page.text), "aksi": "kios", "layanan": mine["id"], "nama": "Tablet loket 2",
            "id_kiriman": "kiosKonsol00001"}  # fmt: skip
    issued = client.post("/operator_console", data=form)
    assert issued.status_code == 200 and "Tautan kios Tablet loket 2" in issued.text
    assert client.post("/operator_console", data=form).status_code == 200  # sent twice: one kiosk
    (row,) = city.records("Kios")
    assert (row["layanan"], row["unit"], row["nama"], row["dicabut_pada"]) == (mine["id"], mine["unit"],
                                                                               "Tablet loket 2", None)  # fmt: skip
    (link,) = kiosk_links(issued.text)
    assert link.startswith(runtime.settings.base_url + "/submit_survey?")
    survey = client.get(link.removeprefix(runtime.settings.base_url))
    assert survey.status_code == 200 and 'id="mode-kios"' in survey.text and mine["nama"] in survey.text


def test_a_revoked_kiosk_link_stops_at_once(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator BKPP")
    page = client.get("/operator_console?bagian=kios")
    service = city.records("Layanan")[0]
    form = {"csrf": csrf_of(page.text), "aksi": "kios", "layanan": service["id"], "nama": "Tablet depan",
            "id_kiriman": "kiosKonsol00002"}  # fmt: skip
    (link,) = kiosk_links(client.post("/operator_console", data=form).text)
    path = link.removeprefix(runtime.settings.base_url)
    assert client.get(path).status_code == 200
    (row,) = city.records("Kios")
    revoked = client.post("/operator_console", data={"csrf": form["csrf"], "aksi": "kios_cabut", "kios": row["id"]})
    assert revoked.status_code == 200 and "sudah dicabut" in revoked.text and not kiosk_links(revoked.text)
    assert city.records("Kios")[0]["dicabut_pada"] is not None
    assert client.get(path).status_code == 403


def test_an_opd_operator_cannot_issue_or_revoke_another_opds_kiosk(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    page = client.get("/operator_console?bagian=kios")
    theirs = next(s for s in city.records("Layanan") if s["unit"] not in DINKES)
    assert theirs["nama"] not in page.text
    form = {"csrf": csrf_of(page.text), "aksi": "kios", "layanan": theirs["id"], "nama": "Tablet",
            "id_kiriman": "kiosKonsol00003"}  # fmt: skip
    assert client.post("/operator_console", data=form).status_code == 403
    city.upsert("Kios", [{"id": "kiosLain0000001", "layanan": theirs["id"], "unit": theirs["unit"], "nama": "Tablet",
                          "dibuat_oleh": "196801011990031099", "dibuat_pada": runtime.now()}])  # fmt: skip
    cabut = {"csrf": form["csrf"], "aksi": "kios_cabut", "kios": "kiosLain0000001"}
    assert client.post("/operator_console", data=cabut).status_code == 403
    assert city.records("Kios", where={"id": "kiosLain0000001"})[0]["dicabut_pada"] is None


def test_a_kiosk_needs_a_name(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime, "Operator BKPP")
    page = client.get("/operator_console?bagian=kios")
    service = city.records("Layanan")[0]
    form = {"csrf": csrf_of(page.text), "aksi": "kios", "layanan": service["id"], "nama": "  ",
            "id_kiriman": "kiosKonsol00004"}  # fmt: skip
    answer = client.post("/operator_console", data=form)
    assert answer.status_code == 400 and "Nama kios wajib diisi" in answer.text
    assert 'id="galat-kios-nama"' in answer.text and city.count("Kios") == 0

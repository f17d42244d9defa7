"""Verification in bulk (with a confirmation step), per person, by day, and corrections marked, over HTTP."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.rendering import format_date
from functions.runtime import Runtime
from functions.web.app import create_app
from tests.conftest import OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.pages import csrf_of
from tests.web.staff.test_review_page import report


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime).test_client()


@pytest.fixture
def team(runtime: Runtime, city: dict[str, Any]) -> dict[str, str]:
    today = runtime.today()
    return {
        "a1": report(runtime, STAFF_A, "kirimanA0001", today, "Surat pengantar KTP"),
        "a2": report(runtime, STAFF_A, "kirimanA0002", today - timedelta(days=1), "Surat keterangan usaha"),
        "b1": report(runtime, STAFF_B, "kirimanB0001", today, "Arsip surat masuk"),
        "other": report(runtime, OTHER, "kirimanO0001", today, "Kegiatan tim lain"),
    }


def url(runtime: Runtime, who: str = SUPERVISOR, **query: str) -> str:
    extra = "".join(f"&{k}={quote(v)}" for k, v in query.items())
    return f"/review_reports?t={quote(token_for(runtime.store, who))}{extra}"


def status(runtime: Runtime, activity_id: str) -> str:
    return str(runtime.store.records("LaporanHarian", where={"id": activity_id})[0]["verifikasi"])


def confirm_form(html: str) -> dict[str, str]:
    """The hidden fields of the confirmation's form, as the browser would send them."""
    start = html.index('id="form-setujui-semua"')
    form = html[start : html.index("</form>", start)]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_the_button_counts_what_is_shown_and_opens_a_confirmation_that_stores_nothing(
    client: FlaskClient, runtime: Runtime, team: dict[str, str]
) -> None:
    page = client.get(url(runtime))
    assert "Setujui semua yang ditampilkan (3)" in page.text
    # The links to the team's scores and behaviour ratings come before the list.
    assert page.text.index("Skor dan tren tim") < page.text.index('id="laporan-tim"')
    assert page.text.index("Penilaian perilaku kerja tim") < page.text.index('id="laporan-tim"')
    confirm = client.get(url(runtime, setujui="semua"))
    assert confirm.status_code == 200 and "Setujui 3 kegiatan?" in confirm.text
    fields = confirm_form(confirm.text)
    assert {k for k in fields if k.startswith("setujui-")} == {f"setujui-{team[k]}" for k in ("a1", "a2", "b1")}
    assert {status(runtime, i) for i in team.values()} == {"Menunggu"}


def test_confirming_approves_exactly_the_listed_activities_once(
    client: FlaskClient, runtime: Runtime, team: dict[str, str]
) -> None:
    confirm = client.get(url(runtime, setujui="semua"))
    fields = confirm_form(confirm.text)
    # Meanwhile one is returned in another tab and a new activity arrives: neither is touched.
    runtime.store.set_cells("LaporanHarian", team["b1"], {"verifikasi": "Dikembalikan", "catatan_verifikasi": "Ulang"})
    late = report(runtime, STAFF_B, "kirimanB0002", runtime.today(), "Datang kemudian")
    answer = client.post(url(runtime), data=fields)
    assert answer.status_code == 303 and "tersimpan=2" in answer.headers["Location"]
    assert (status(runtime, team["a1"]), status(runtime, team["a2"])) == ("Disetujui", "Disetujui")
    assert (status(runtime, team["b1"]), status(runtime, late)) == ("Dikembalikan", "Menunggu")
    row = runtime.store.records("LaporanHarian", where={"id": team["a1"]})[0]
    assert row["diverifikasi_oleh"] == SUPERVISOR and row["diverifikasi_pada"] is not None
    # Sent again (a double click, a retry): nothing more is approved.
    again = client.post(url(runtime), data=fields)
    assert again.status_code == 303 and "tersimpan=0" in again.headers["Location"]
    assert status(runtime, late) == "Menunggu"


def test_approval_per_person_and_per_day(client: FlaskClient, runtime: Runtime, team: dict[str, str]) -> None:
    page = client.get(url(runtime))
    assert "Setujui semua kegiatan Budi Santoso yang ditampilkan (2)" in page.text
    assert "Setujui semua kegiatan Dewi Lestari, A.Md. yang ditampilkan (1)" in page.text
    confirm = client.get(url(runtime, nip=STAFF_B, setujui="semua"))
    assert "Setujui 1 kegiatan Dewi Lestari, A.Md.?" in confirm.text
    assert client.post(url(runtime), data=confirm_form(confirm.text)).status_code == 303
    assert (status(runtime, team["b1"]), status(runtime, team["a1"])) == ("Disetujui", "Menunggu")
    yesterday = (runtime.today() - timedelta(days=1)).isoformat()
    by_day = client.get(url(runtime, tanggal=yesterday, status="Menunggu"))
    assert "Surat keterangan usaha" in by_day.text and "Surat pengantar KTP" not in by_day.text
    confirm = client.get(url(runtime, tanggal=yesterday, status="Menunggu", setujui="semua"))
    assert client.post(url(runtime), data=confirm_form(confirm.text)).status_code == 303
    assert (status(runtime, team["a2"]), status(runtime, team["a1"])) == ("Disetujui", "Menunggu")


def test_bulk_approval_without_csrf_or_of_another_team_is_403(
    client: FlaskClient, runtime: Runtime, team: dict[str, str]
) -> None:
    confirm = client.get(url(runtime, setujui="semua"))
    fields = confirm_form(confirm.text)
    assert client.post(url(runtime), data={k: v for k, v in fields.items() if k != "csrf"}).status_code == 403
    foreign = {**fields, f"setujui-{team['other']}": "1"}
    assert client.post(url(runtime), data=foreign).status_code == 403
    assert {status(runtime, i) for i in team.values()} == {"Menunggu"}


def test_confirming_an_empty_list_is_400_naming_it(client: FlaskClient, runtime: Runtime, team: dict[str, str]) -> None:
    page = client.get(url(runtime))
    answer = client.post(url(runtime), data={"csrf": csrf_of(page.text), "aksi": "setujui_semua"})
    assert answer.status_code == 400 and "Tidak ada kegiatan yang menunggu untuk disetujui" in answer.text
    assert 'href="#setujui"' in answer.text
    nothing = client.get(url(runtime, status="Disetujui", setujui="semua"))
    assert "Setujui 0 kegiatan?" in nothing.text and 'id="form-setujui-semua"' not in nothing.text


@pytest.mark.parametrize("day", ["kemarin", "2026-13-01", "2026-1-5", "٢٠٢٦-12-01"])
def test_a_day_filter_that_is_no_date_is_400_naming_it(
    client: FlaskClient, runtime: Runtime, team: dict[str, str], day: str
) -> None:
    page = client.get(url(runtime, tanggal=day))
    assert page.status_code == 400 and "Tanggal: tanggal harus berformat TTTT-BB-HH" in page.text
    assert 'href="#tanggal"' in page.text and "Surat pengantar KTP" in page.text


def test_each_control_names_its_activity(client: FlaskClient, runtime: Runtime, team: dict[str, str]) -> None:
    first = runtime.store.records("LaporanHarian", where={"id": team["a1"]})[0]
    evidence = {"bukti_dukung": "https://drive.example.go.id/ktp", "kegiatan": "Foto posyandu"}
    runtime.store.append("LaporanHarian", [{**first, "id": "kirimanA0003-1", "id_kiriman": "kirimanA0003", **evidence}])
    page = client.get(url(runtime)).text
    day = format_date(runtime.today(), with_day=False)
    about = f"Budi Santoso, {day}: Surat pengantar KTP"
    assert f'Setujui<span class="visually-hidden"> kegiatan {about}</span>' in page
    assert f'Kembalikan<span class="visually-hidden"> kegiatan {about}</span>' in page
    assert f'<span class="visually-hidden"> untuk kegiatan {about}</span></label>' in page
    assert f'Bukti dukung<span class="visually-hidden"> kegiatan Budi Santoso, {day}: Foto posyandu</span></a>' in page
    labels = re.findall(r'<label for="(catatan-[^"]+)"', page)
    assert sorted(labels) == sorted(f"catatan-{i}" for i in (team["a1"], team["a2"], team["b1"], "kirimanA0003-1"))


def test_a_correction_waits_again_marked_with_the_note_it_answers(
    client: FlaskClient, runtime: Runtime, team: dict[str, str]
) -> None:
    from tests.support.pages import post_form

    returned = team["a1"]
    answer = post_form(
        client,
        url(runtime),
        {f"status-{returned}": "Dikembalikan", f"catatan-{returned}": "Nomor surat belum ada."},
    )
    assert answer.status_code == 303
    staff = f"/submit_report?t={quote(token_for(runtime.store, STAFF_A))}"
    fix = client.get(f"{staff}&perbaiki={returned}")
    form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', fix.text))
    form.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', fix.text))
    form.update({"id_target-0": f"{STAFF_A}-{runtime.today().year}-1", "kegiatan-0": "Surat pengantar KTP no. 12"})
    assert client.post(staff, data={**form, "aksi": "kirim"}).status_code == 200
    page = client.get(url(runtime)).text
    card = page[page.index("Surat pengantar KTP no. 12") - 600 : page.index("Surat pengantar KTP no. 12") + 900]
    assert "badge-perbaikan" in card and "dengan catatan: «Nomor surat belum ada.»" in card
    week = client.get(url(runtime, status="Dikembalikan")).text
    assert "Sudah diperbaiki" in week and f'name="status-{returned}"' not in week


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(["aksi", "setujui-kirimanA0001-1", "setujui-x", "setujui-", "minggu", "tanggal", "nip"]),
        st.one_of(st.text(max_size=40), st.sampled_from(["", "1", "setujui_semua", "2026-12-01", STAFF_A])),
        max_size=7,
    )
)
def test_random_bulk_forms_never_give_a_5xx(
    client: FlaskClient, runtime: Runtime, team: dict[str, str], values: dict[str, str]
) -> None:
    page = client.get(url(runtime))
    answer = client.post(url(runtime), data={"csrf": csrf_of(page.text), **values})
    assert answer.status_code < 500, answer.text[-500:]
    assert status(runtime, team["other"]) == "Menunggu"

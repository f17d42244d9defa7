"""Supervisors verify and return their team's activities, and see nobody else's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from functions import periods
from functions.runtime import Runtime
from functions.web.app import create_app
from tests.conftest import HEAD, OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.pages import post_form


def report(runtime: Runtime, nip: str, sid: str, day: date, kegiatan: str = "Melayani warga") -> str:
    person = runtime.store.records("Pegawai", where={"nip": nip})[0]
    runtime.store.append(
        "LaporanHarian",
        [
            {
                "id": f"{sid}-1",
                "id_kiriman": sid,
                "nip": nip,
                "nama": person["nama"],
                "unit": person["unit"],
                "tanggal": day,
                "kegiatan": kegiatan,
                "id_target": f"{nip}-{day.year}-1",
                "indikator": "Jumlah surat",
                "kuantitas": 2,
                "satuan": "surat",
                "durasi_menit": 30,
                "diterima_pada": datetime.combine(day, datetime.min.time(), runtime.settings.tz),
                "verifikasi": "Menunggu",
            }
        ],
    )
    return f"{sid}-1"


@pytest.fixture
def reports(runtime: Runtime, city: dict[str, Any]) -> dict[str, str]:
    monday = runtime.today() - timedelta(days=runtime.today().weekday())
    return {
        "a": report(runtime, STAFF_A, "kirimanA0001", monday, "Surat pengantar KTP"),
        "b": report(runtime, STAFF_B, "kirimanB0001", monday, "Arsip surat masuk"),
        "other": report(runtime, OTHER, "kirimanO0001", monday, "Kegiatan tim lain"),
        "last_week": report(runtime, STAFF_A, "kirimanA0002", monday - timedelta(days=7), "Minggu lalu"),
    }


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime).test_client()


def url(runtime: Runtime, who: str, **query: str) -> str:
    extra = "".join(f"&{k}={quote(v)}" for k, v in query.items())
    return f"/review_reports?t={quote(token_for(runtime.store, who))}{extra}"


def test_supervisor_first_sees_everything_of_their_team_still_waiting(
    client: FlaskClient, runtime: Runtime, reports: dict
) -> None:
    runtime.store.set_cells("LaporanHarian", reports["b"], {"verifikasi": "Disetujui"})
    page = client.get(url(runtime, SUPERVISOR))
    assert page.status_code == 200
    assert "Menunggu verifikasi, 28 hari terakhir" in page.text
    assert "Surat pengantar KTP" in page.text and "Minggu lalu" in page.text
    assert "Arsip surat masuk" not in page.text and "Kegiatan tim lain" not in page.text


def test_supervisor_sees_only_their_team_this_week(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    week = periods.week(runtime.today() - timedelta(days=runtime.today().weekday())).label
    page = client.get(url(runtime, SUPERVISOR, minggu=week))
    assert page.status_code == 200
    assert "Surat pengantar KTP" in page.text and "Arsip surat masuk" in page.text
    assert "Kegiatan tim lain" not in page.text
    assert "Minggu lalu" not in page.text


def test_filter_by_week_and_person(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    last_monday = runtime.today() - timedelta(days=runtime.today().weekday() + 7)
    week = periods.week(last_monday).label
    page = client.get(url(runtime, SUPERVISOR, minggu=week))
    assert "Minggu lalu" in page.text and "Surat pengantar KTP" not in page.text
    page = client.get(url(runtime, SUPERVISOR, nip=STAFF_B, status="Menunggu"))
    assert "Arsip surat masuk" in page.text and "Surat pengantar KTP" not in page.text


def test_filtering_on_someone_outside_the_team_is_403(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    page = client.get(url(runtime, SUPERVISOR, nip=OTHER))
    assert page.status_code == 403 and "bukan anggota tim Anda" in page.text


def test_verify_and_return_with_a_note(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    form = {
        f"status-{reports['a']}": "Disetujui",
        f"status-{reports['b']}": "Dikembalikan",
        f"catatan-{reports['b']}": "Lampirkan bukti dukung.",
    }
    answer = post_form(client, url(runtime, SUPERVISOR), form)
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"].replace("review_reports", "/review_reports", 1))
    assert "2 keputusan verifikasi tersimpan" in page.text
    a = runtime.store.records("LaporanHarian", where={"id": reports["a"]})[0]
    b = runtime.store.records("LaporanHarian", where={"id": reports["b"]})[0]
    assert (a["verifikasi"], a["diverifikasi_oleh"]) == ("Disetujui", SUPERVISOR)
    assert (b["verifikasi"], b["catatan_verifikasi"]) == ("Dikembalikan", "Lampirkan bukti dukung.")
    assert b["diverifikasi_pada"] is not None
    # The staff member sees the decision and the note under their form.
    staff_page = client.get(f"/submit_report?t={quote(token_for(runtime.store, STAFF_B))}")
    assert "Dikembalikan" in staff_page.text and "Lampirkan bukti dukung." in staff_page.text


def test_returning_without_a_note_is_refused_and_nothing_is_written(
    client: FlaskClient, runtime: Runtime, reports: dict
) -> None:
    form = {f"status-{reports['a']}": "Disetujui", f"status-{reports['b']}": "Dikembalikan"}
    answer = post_form(client, url(runtime, SUPERVISOR), form)
    assert answer.status_code == 400
    assert "Catatan wajib diisi" in answer.text
    assert 'value="Disetujui" checked' in answer.text  # the choice made is kept
    assert {r["verifikasi"] for r in runtime.store.records("LaporanHarian")} == {"Menunggu"}


@pytest.mark.parametrize(
    "form, status",
    [
        ({"status-ID": "Mungkin"}, 400),
        ({"catatan-ID": "catatan tanpa keputusan"}, 400),
        ({"status-ID": "Dikembalikan", "catatan-ID": "x" * 1001}, 400),
        ({"status-tidak-ada-1": "Disetujui"}, 403),
    ],
)
def test_bad_decisions_are_4xx(client: FlaskClient, runtime: Runtime, reports: dict, form: dict, status: int) -> None:
    form = {k.replace("ID", reports["a"]): v for k, v in form.items()}
    answer = post_form(client, url(runtime, SUPERVISOR), form)
    assert answer.status_code == status
    assert {r["verifikasi"] for r in runtime.store.records("LaporanHarian")} == {"Menunggu"}


def test_supervisor_cannot_verify_another_teams_report(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    answer = post_form(client, url(runtime, SUPERVISOR), {f"status-{reports['other']}": "Disetujui"})
    assert answer.status_code == 403
    assert runtime.store.records("LaporanHarian", where={"id": reports["other"]})[0]["verifikasi"] == "Menunggu"


def test_staff_without_a_team_see_an_explanation(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    page = client.get(url(runtime, STAFF_A))
    assert page.status_code == 200 and "Belum ada pegawai" in page.text


def test_head_sees_direct_reports_only(client: FlaskClient, runtime: Runtime, reports: dict) -> None:
    page = client.get(url(runtime, HEAD))
    assert "Kegiatan tim lain" in page.text and "Surat pengantar KTP" not in page.text


@pytest.mark.parametrize(
    "query, field, fragment",
    [
        ({"minggu": "bukan-minggu"}, "minggu", "Minggu: pilih dari kalender, atau tulis seperti "),
        ({"minggu": "2026-W4_8"}, "minggu", "Minggu: pilih dari kalender, atau tulis seperti "),  # int() takes "4_8"
        # and Arabic-Indic digits
        ({"minggu": "٢٠٢٦-W10"}, "minggu", "Minggu: pilih dari kalender, atau tulis seperti "),
        ({"minggu": "2026-W60"}, "minggu", "Minggu: pilih dari kalender, atau tulis seperti "),
        ({"minggu": "2026-W10x"}, "minggu", "Minggu: pilih dari kalender, atau tulis seperti "),
        ({"status": "Mungkin"}, "status", "Status: pilih Menunggu, Disetujui, Dikembalikan"),
    ],
)
def test_a_filter_that_is_no_week_or_status_is_400_naming_it_and_kept(
    client: FlaskClient, runtime: Runtime, reports: dict, query: dict[str, str], field: str, fragment: str
) -> None:
    page = client.get(url(runtime, SUPERVISOR, **query))
    assert page.status_code == 400
    assert fragment in page.text and f'href="#{field}"' in page.text
    if field == "minggu":
        assert f'name="minggu" value="{query["minggu"]}"' in page.text  # what was typed comes back
        # The example names its days, not a bare week label.
        monday = runtime.today() - timedelta(days=runtime.today().weekday())
        week = periods.week(monday)
        assert f"{week.label} (untuk {periods.span_text(week.start, week.end)})" in page.text
    # Meanwhile the page lists what still waits, as without filters.
    assert "Surat pengantar KTP" in page.text and "Minggu lalu" in page.text


def test_a_decision_sent_with_a_bad_week_filter_is_400_and_stores_nothing(
    client: FlaskClient, runtime: Runtime, reports: dict
) -> None:
    form = {"minggu": "2026-W4_8", f"status-{reports['a']}": "Disetujui"}
    answer = post_form(client, url(runtime, SUPERVISOR), form)
    assert answer.status_code == 400 and "Minggu: pilih dari kalender, atau tulis seperti " in answer.text
    assert runtime.store.records("LaporanHarian", where={"id": reports["a"]})[0]["verifikasi"] == "Menunggu"


def test_review_page_rejects_bad_links(client: FlaskClient, reports: dict) -> None:
    assert client.get("/review_reports?t=palsu").status_code == 403

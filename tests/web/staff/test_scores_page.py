"""The supervisor's team scores page: the latest week, the numbers behind it, trends, only the team."""

from __future__ import annotations

import base64
import re
from datetime import date
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from functions.runtime import Runtime
from functions.scoring import job
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import HEAD, OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.scoring.test_job import (
    AFTER_W10,
    GONE,
    HEAD_B,
    LOW,
    build_town,
    file_overdue_complaint,
    fill_w09,
    fill_w10,
    rate_behaviour,
    report,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def scored(runtime: Runtime) -> SQLiteStore:
    """The town of ``test_scoring_job`` scored for W09 and W10, with a report of GONE still waiting
    for verification since 24 February (8 working days after it by 8 March: Verifikasi Tertunda)."""
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    build_town(store)
    fill_w09(store)
    fill_w10(store)
    file_overdue_complaint(store)
    report(store, GONE, date(2026, 2, 24), 2, 1, tag="x")
    rate_behaviour(store, STAFF_A, "2026-03", "Sesuai Ekspektasi")
    # March to date (W10) has five working days: enough for a predikat here (the default asks ten).
    store.upsert("Konfigurasi", [{"kunci": "predikat_min_hari_kerja", "nilai": "5"}])
    job.run(store, AFTER_W10, "2026-W09")
    job.run(store, AFTER_W10, "2026-W10")
    return store


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime).test_client()


def url(store: SQLiteStore, who: str, nip: str | None = None) -> str:
    return f"/team_scores?t={quote(token_for(store, who))}" + (f"&nip={nip}" if nip else "")


def section(page: str, element_id: str) -> str:
    match = re.search(rf'<ul class="cards" id="{element_id}">(.*?)</ul>', page, re.S)
    assert match, element_id
    return match.group(1)


def test_supervisor_sees_the_latest_week_of_the_team(client: FlaskClient, scored: SQLiteStore) -> None:
    page = client.get(url(scored, SUPERVISOR))
    assert page.status_code == 200
    text = page.text
    assert "Minggu 2–8 Maret 2026" in text and "Peringatan · Minggu 2–8 Maret 2026" in text
    for name in ("Budi Santoso", "Dewi Lestari, A.Md.", "Eko Nugroho", "Fitri Handayani", "Gilang Ramadhan"):
        assert name in text
    for outsider in ("Hartono", "Agus Prasetyo", "Heru Wibowo"):
        assert outsider not in text
    row = re.search(r"Budi Santoso</a></td>(.*?)</tr>", text, re.S)
    assert row
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    # Total 90,3125 shown as 90,31; +5,7 against W09 (84,62); components 92, none, 75, 100; March predikat Baik.
    assert cells == ["<strong>90,31</strong>", "Naik (+5,7)", "92", "tanpa data", "75", "100", "Baik"]
    assert "belum dinilai" in text  # the others were not rated in March


def test_warnings_and_suggestions_are_the_teams_only(client: FlaskClient, scored: SQLiteStore) -> None:
    text = client.get(url(scored, SUPERVISOR)).text
    warnings = section(text, "peringatan")
    assert "<strong>Tidak Melapor</strong> · Gilang Ramadhan" in warnings
    assert "5 hari kerja berturut-turut" in warnings
    # The team's report waiting 8 working days since 24 February (more than 5) is the supervisor's to verify.
    assert "<strong>Verifikasi Tertunda</strong> · Sri Wahyuni, S.E." in warnings
    assert "laporan tertua 24 Februari 2026, sudah 8 hari kerja" in warnings
    # Not shown: the supervisor's own and the head's Tidak Melapor, KEL-B's late complaint.
    assert warnings.count("Tidak Melapor") == 1
    assert "Pengaduan Terlambat" not in warnings
    all_warnings = scored.records("Peringatan", where={"periode": "2026-W10"})
    assert {w["nip"] for w in all_warnings} >= {HEAD, SUPERVISOR, HEAD_B, GONE, None}

    suggestions = section(text, "saran")
    assert "<strong>Fitri Handayani</strong>: Coaching oleh Atasan Langsung" in suggestions
    assert "<strong>Gilang Ramadhan</strong>: Coaching oleh Atasan Langsung" in suggestions
    assert "Skor hasil kerja 12 di bawah 60." in suggestions
    named = set(re.findall(r"<strong>(.*?)</strong>:", suggestions))
    assert named == {"Fitri Handayani", "Gilang Ramadhan"}
    others = {s["nip"] for s in scored.records("SaranPelatihan", where={"periode": "2026-W10"})}
    assert {HEAD, SUPERVISOR, HEAD_B} <= others  # they exist, and are not on this page


def one_decimal(value: float) -> str:
    """As the pages write a score: one decimal with a comma, none when it is whole (72,5 and 80)."""
    text = f"{round(value, 1):.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def test_two_trend_charts_are_inline_png_images_with_their_numbers(client: FlaskClient, scored: SQLiteStore) -> None:
    text = client.get(url(scored, SUPERVISOR)).text
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', text)
    unit = scored.records("Pegawai", where={"nip": SUPERVISOR})[0]["unit"]
    w09, w10 = (scored.records("SkorUnit", where={"periode": p, "unit": unit})[0] for p in ("2026-W09", "2026-W10"))
    # W09 of 2026 is Monday 23 February to Sunday 1 March, W10 is 2 to 8 March; five people in the team.
    assert [alt for _, alt in images] == [
        "Grafik garis skor total anggota tim per minggu, 2 minggu dari 23 Feb–1 Mar sampai 2–8 Mar: "
        "5 garis, satu per pegawai. Angkanya ada di bawah grafik.",
        "Grafik garis skor rata-rata unit per minggu, 2 minggu dari 23 Feb–1 Mar sampai 2–8 Mar: Rata-rata unit "
        f"dari {one_decimal(w09['rata_total'])} ke {one_decimal(w10['rata_total'])}. "
        "Angkanya ada di bawah grafik.",
    ]
    for data, _ in images:
        png = base64.b64decode(data, validate=True)
        assert png.startswith(PNG) and len(png) > 1000
    # The data table under the team's chart: a row per member, the weekly totals of Skor.
    match = re.search(r'<table class="trend" id="tren-tim">(.*?)</table>', text, re.S)
    assert match
    rows = dict(re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', match.group(1)))
    assert re.findall(r'<th scope="col">([^<]+)</th>', match.group(1)) == ["Pegawai", "23 Feb–1 Mar", "2–8 Mar"]
    names = {p["nip"]: p["nama"] for p in scored.records("Pegawai")}
    for week in ("2026-W09", "2026-W10"):
        for row in scored.records("Skor", where={"periode": week}):
            if names[row["nip"]] in rows and row["total"] is not None:
                assert f"<td>{one_decimal(row['total'])}</td>" in rows[names[row["nip"]]]
    assert len(rows) == 5


def test_one_member_shows_the_numbers_behind_the_score(client: FlaskClient, scored: SQLiteStore) -> None:
    page = client.get(url(scored, SUPERVISOR, STAFF_B))
    assert page.status_code == 200
    text = page.text
    assert "Angka di balik skor" in text and "← Seluruh tim" in text
    assert "Budi Santoso" not in text
    assert (
        "Hasil kerja: Jumlah surat pengantar yang diterbitkan: 15 / 15,0 surat (100%, bobot 60); "
        "Jumlah warga yang dilayani: 15 / 15,0 orang (100%, bobot 40)"
    ) in text
    assert "Kedisiplinan: 3 dari 3 hari kerja ada laporan (2 hari cuti tidak dihitung)." in text
    assert "Responsivitas: tidak ada pengaduan jatuh tempo." in text
    assert "Kepuasan: IKM 75,00 dari 5 responden (Unit)." in text
    assert "Komponen tanpa data (tidak dihitung): Responsivitas." in text
    assert "Tidak ada peringatan." in text and "Tidak ada saran minggu ini." in text
    assert text.count("data:image/png;base64,") == 2


def test_a_member_without_results_shows_what_is_missing(client: FlaskClient, scored: SQLiteStore) -> None:
    text = client.get(url(scored, SUPERVISOR, LOW)).text
    assert "Jumlah warga yang dilayani: 0 / 25,0 orang (0%, bobot 40)" in text
    assert "Kedisiplinan: 5 dari 5 hari kerja ada laporan." in text


def test_someone_outside_the_team_is_403(client: FlaskClient, scored: SQLiteStore) -> None:
    page = client.get(url(scored, SUPERVISOR, OTHER))
    assert page.status_code == 403 and "bukan anggota tim Anda" in page.text
    assert "Agus Prasetyo" not in page.text


def test_staff_without_a_team_see_an_explanation(client: FlaskClient, scored: SQLiteStore) -> None:
    page = client.get(url(scored, STAFF_A))
    assert page.status_code == 200
    assert "Belum ada pegawai yang tercatat dengan Anda sebagai atasan langsung." in page.text
    assert "data:image/png" not in page.text


def test_before_any_scoring_the_page_says_so(client: FlaskClient, runtime: Runtime) -> None:
    assert isinstance(runtime.store, SQLiteStore)
    build_town(runtime.store)
    page = client.get(url(runtime.store, SUPERVISOR))
    assert page.status_code == 200 and "Belum ada skor. Skor dihitung setiap Senin pagi" in page.text


@pytest.mark.parametrize("token", ["palsu", "", "eyJuaXAiOiIxOTgwMDIwMjIwMDUwMTIwMDIiLCJ2IjoxfQ.salah"])
def test_a_bad_link_is_403(client: FlaskClient, scored: SQLiteStore, token: str) -> None:
    page = client.get(f"/team_scores?t={quote(token)}")
    assert page.status_code == 403
    assert "Budi Santoso" not in page.text

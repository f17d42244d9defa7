"""'Salin ke e-Kinerja' (``submit_report?t=..&salin_ekinerja=YYYY-MM-DD``): a person's own day in the fields of
e-Kinerja's Progres Harian, a correction in place of the activity it replaces, the time left until the deadline.

The tiny city of ``conftest``; Budi's (STAFF_A) Thursday 3 December 2026 is written by hand in :func:`seed_day`,
and the expected texts below are written from it by hand. The clock is set to 20:39 WIB that day: the deadline
23:59 runs to 23:59:59, so 3 hours 20 minutes and 59 seconds are left, shown as whole minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import STAFF_A, STAFF_B, token_for
from tests.support.pages import activity_fields, post_form, submission_id

DAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 20, 39, tzinfo=WIB)

FIRST = """Tanggal: 3 Desember 2026
RHK: Hasil kerja 1
Uraian: Menerbitkan surat pengantar
Output/realisasi: 3 surat
Bukti dukung: https://drive.contoh.go.id/surat-3-des"""
SECOND = """Tanggal: 3 Desember 2026
RHK: Hasil kerja 2
Uraian: Melayani warga di loket kelurahan
Output/realisasi: 12 orang
Bukti dukung: https://drive.contoh.go.id/daftar-hadir"""
WHOLE_DAY = FIRST + "\n\n" + SECOND


@dataclass(frozen=True, eq=False)
class Clocked(Runtime):
    at: datetime = NOW

    def now(self) -> datetime:
        return self.at


def row(
    n: int, nip: str, day: date, text: str, target: int, quantity: int, unit: str, hour: int, **extra: Any
) -> dict[str, Any]:
    return {
        "id": f"k{n}-1",
        "id_kiriman": f"k{n}",
        "nip": nip,
        "nama": "Pegawai Uji",
        "unit": "KEL-UJI",
        "tanggal": day,
        "kegiatan": text,
        "id_target": f"{nip}-{day.year}-{target}",
        "indikator": "Indikator",
        "kuantitas": quantity,
        "satuan": unit,
        "durasi_menit": 60,
        "diterima_pada": datetime.combine(day, time(hour, 0), WIB),
        "verifikasi": "Menunggu",
        **extra,
    }


def seed_day(store: SQLiteStore) -> None:
    """Budi's day: one activity with evidence, one returned and corrected (the correction counts, the returned one
    not); Dewi's activity of that day and Budi's of the day before must not show."""
    store.append(
        "LaporanHarian",
        [
            row(
                1,
                STAFF_A,
                DAY,
                "Menerbitkan surat pengantar",
                1,
                3,
                "surat",
                9,
                bukti_dukung="https://drive.contoh.go.id/surat-3-des",
            ),
            row(
                2,
                STAFF_A,
                DAY,
                "Melayani warga",
                2,
                12,
                "orang",
                10,
                verifikasi="Dikembalikan",
                catatan_verifikasi="Lampirkan daftar hadir",
            ),
            row(
                3,
                STAFF_A,
                DAY,
                "Melayani warga di loket kelurahan",
                2,
                12,
                "orang",
                14,
                bukti_dukung="https://drive.contoh.go.id/daftar-hadir",
                menggantikan="k2-1",
            ),
            row(4, STAFF_B, DAY, "Mengarsip surat masuk", 1, 20, "surat", 11),
            row(5, STAFF_A, date(2026, 12, 2), "Rapat koordinasi", 1, 1, "surat", 9),
        ],
    )


@pytest.fixture
def clocked(runtime: Runtime, city: dict[str, Any]) -> Clocked:
    seed_day(runtime.store)  # type: ignore[arg-type]
    return Clocked(settings=runtime.settings, store=runtime.store)


@pytest.fixture
def client(clocked: Clocked) -> FlaskClient:
    return create_app(clocked).test_client()


def areas(page: str) -> dict[str, str]:
    """The read-only text areas by id, as the browser reads them (entities decoded)."""
    import html

    return {
        m.group(1): html.unescape(m.group(2))
        for m in re.finditer(r'<textarea id="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S)
    }


def page(client: FlaskClient, store: SQLiteStore, day: str, nip: str = STAFF_A) -> Any:
    return client.get("/submit_report", query_string={"t": token_for(store, nip), "salin_ekinerja": day})


def test_the_day_in_e_kinerjas_fields_the_correction_in_place_of_the_returned_activity(
    client: FlaskClient, store: SQLiteStore
) -> None:
    answer = page(client, store, "2026-12-03")
    assert answer.status_code == 200, answer.text[-500:]
    assert areas(answer.text) == {"salin-1": FIRST, "salin-2": SECOND, "salin-hari": WHOLE_DAY}
    assert "Mengarsip surat masuk" not in answer.text and "Rapat koordinasi" not in answer.text
    assert '<script src="submit_report?aset=salin_ekinerja.js" defer></script>' in answer.text
    assert 'href="home?t=' in answer.text  # back to Beranda


def test_the_deadline_in_words_with_the_clock_set(client: FlaskClient, store: SQLiteStore) -> None:
    notice = re.search(r'id="batas-ekinerja">(.*?)</div>', page(client, store, "2026-12-03").text, re.S)
    assert notice
    assert "pukul 23.59" in notice.group(1)
    assert "3 jam 20 menit lagi" in notice.group(1)
    yesterday = page(client, store, "2026-12-02").text
    assert "lewat batas" in yesterday


def test_a_day_without_activities_says_so_and_links_to_the_form(client: FlaskClient, store: SQLiteStore) -> None:
    answer = page(client, store, "2026-12-01")
    assert answer.status_code == 200
    assert "Belum ada kegiatan Anda pada Selasa, 1 Desember 2026." in answer.text
    assert areas(answer.text) == {}


def test_gaps_are_named_in_e_kinerjas_terms(client: FlaskClient, store: SQLiteStore) -> None:
    text = page(client, store, "2026-12-02").text
    assert "1 kegiatan belum punya bukti dukung." in text
    assert "Bukti dukung: (belum ada)" in areas(text)["salin-1"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "tulis tanggal sebagai TTTT-BB-HH"),
        ("3-12-2026", "tulis tanggal sebagai TTTT-BB-HH"),
        ("20261203", "tulis tanggal sebagai TTTT-BB-HH"),
        ("2026-02-30", "2026-02-30 bukan tanggal yang ada"),
        ("２026-12-03", "tulis tanggal sebagai TTTT-BB-HH"),
        ("2026-12-04", "Jumat, 4 Desember 2026 belum tiba"),
    ],
)
def test_a_bad_date_is_400_in_indonesian_naming_the_field(
    client: FlaskClient, store: SQLiteStore, raw: str, reason: str
) -> None:
    answer = page(client, store, raw)
    assert answer.status_code == 400
    assert "Tanggal: " in answer.text and reason in answer.text
    assert "salin_ekinerja:" not in answer.text  # no developer word


def test_another_persons_day_cannot_be_asked_for(client: FlaskClient, store: SQLiteStore) -> None:
    """The page shows only the link holder's day: Dewi's link shows Dewi's activity, never Budi's, and a link whose
    Budi's NIP is signed by anyone but the city (someone asking for Budi's day without his link) is refused."""
    dewi = page(client, store, "2026-12-03", STAFF_B)
    assert dewi.status_code == 200
    assert "Mengarsip surat masuk" in dewi.text and "Menerbitkan surat pengantar" not in dewi.text
    forged = identity.make_token("bukan-kunci-kota-ini-" * 3, {"nip": STAFF_A, "versi_tautan": 1})
    answer = client.get("/submit_report", query_string={"t": forged, "salin_ekinerja": "2026-12-03"})
    assert answer.status_code == 403
    assert "Menerbitkan surat pengantar" not in answer.text


def test_the_script_is_a_file_of_the_app(client: FlaskClient) -> None:
    answer = client.get("/submit_report?aset=salin_ekinerja.js")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/javascript")
    assert "navigator.clipboard.writeText" in answer.text


def test_the_confirmation_and_the_home_page_link_here(
    client: FlaskClient, store: SQLiteStore, clocked: Clocked
) -> None:
    token = token_for(store, STAFF_A)
    home = client.get("/home", query_string={"t": token}).text
    assert "salin_ekinerja=2026-12-03" in home and "Salin ke e-Kinerja" in home
    form = client.get("/submit_report", query_string={"t": token}).text
    data = {"id_kiriman": submission_id(form), **activity_fields(0, DAY, f"{STAFF_A}-2026-1")}
    done = post_form(client, f"/submit_report?t={token}", data)
    assert done.status_code == 200, done.text[-800:]
    assert "salin_ekinerja=2026-12-03" in done.text


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.text(max_size=30), st.sampled_from(["0000-01-01", "9999-12-31", "2026-13-01", "2026-12-03 "])))
def test_any_date_text_is_answered_200_or_400_never_5xx(client: FlaskClient, store: SQLiteStore, raw: str) -> None:
    answer = page(client, store, raw)
    assert answer.status_code in (200, 400)
    if answer.status_code == 400:
        assert "Tanggal: " in answer.text

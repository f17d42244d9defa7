"""The home page (Beranda) behind a personal link: the parts that apply to the person, with counts that match the
sheets, and a way back to it from every page of theirs.

The tiny city of ``conftest``: Hartono heads Kelurahan Uji (and supervises Sri and Agus), Sri Wahyuni supervises
Budi (STAFF_A) and Dewi (STAFF_B). Rows are written by hand below; each expected count is read off them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from functions import periods
from functions.citizens import complaints
from functions.mail import links
from functions.rules import predikat
from functions.rules.workdays import WIB, Calendar
from functions.runtime import Runtime
from functions.scoring import job
from functions.staff import behaviour
from functions.staff.links import personal_links
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import HEAD, OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


def home(client: FlaskClient, store: SQLiteStore, nip: str) -> str:
    answer = client.get(f"/home?t={token_for(store, nip)}")
    assert answer.status_code == 200, answer.text[-500:]
    return answer.text


def card(page: str, element_id: str) -> str:
    match = re.search(rf'<li id="{element_id}">(.*?)</li>', page, re.S)
    assert match, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def activity(n: int, nip: str, day: date, status: str = "Menunggu", minutes: int = 60) -> dict[str, Any]:
    return {
        "id": f"kiriman{n:04d}-1",
        "id_kiriman": f"kiriman{n:04d}",
        "nip": nip,
        "nama": "Pegawai Uji",
        "unit": "KEL-UJI",
        "tanggal": day,
        "kegiatan": "Menerbitkan surat pengantar",
        "id_target": f"{nip}-{day.year}-1",
        "indikator": "Jumlah surat pengantar yang diterbitkan",
        "kuantitas": 3,
        "satuan": "surat",
        "durasi_menit": minutes,
        "diterima_pada": datetime.combine(day, time(15, 0), WIB),
        "verifikasi": status,
        "catatan_verifikasi": "Lampirkan bukti" if status == "Dikembalikan" else None,
    }


def skor(nip: str, week: periods.Period, total: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"{week.label}:{nip}",
        "periode": week.label,
        "jenis_periode": week.kind,
        "mulai": week.start,
        "selesai": week.end,
        "nip": nip,
        "nama": "Budi Santoso",
        "unit": "KEL-UJI",
        "total": total,
        **extra,
    }


def test_staff_see_today_their_returned_activities_and_no_score_yet(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime
) -> None:
    today = runtime.today()
    page = home(client, store, STAFF_A)
    assert "Belum ada laporan hari ini." in card(page, "laporan-hari-ini")
    assert "Tidak ada kegiatan yang dikembalikan." in card(page, "dikembalikan")
    assert 'id="belum-ada-skor"' in page and "Belum ada skor untuk Anda." in page
    assert 'id="tim-menunggu"' not in page  # no team
    assert "Pengaduan unit saya" in card(page, "pengaduan")  # not a head: the link, no count

    store.append(
        "LaporanHarian",
        [
            activity(1, STAFF_A, today, minutes=30),
            activity(2, STAFF_A, today, minutes=45),
            activity(3, STAFF_A, today - timedelta(days=2), "Dikembalikan"),
            activity(4, STAFF_A, today - timedelta(days=3), "Dikembalikan"),
            activity(5, STAFF_A, today - timedelta(days=3), "Disetujui"),
            activity(6, STAFF_A, today - timedelta(days=60), "Dikembalikan"),  # long gone from the form
            activity(7, STAFF_B, today, "Dikembalikan"),  # someone else's
        ],
    )
    page = home(client, store, STAFF_A)
    assert "Terkirim: 2 kegiatan, 75 menit." in card(page, "laporan-hari-ini")
    assert "2 kegiatan dikembalikan dengan catatan atasan, belum diperbaiki." in card(page, "dikembalikan")
    assert f'href="submit_report?t={token_for(store, STAFF_A)}"' in page

    # Activity 3 corrected (a new row replacing it, waiting again): one is left to fix.
    store.append("LaporanHarian", [activity(8, STAFF_A, today - timedelta(days=2)) | {"menggantikan": "kiriman0003-1"}])
    page = home(client, store, STAFF_A)
    assert "1 kegiatan dikembalikan dengan catatan atasan, belum diperbaiki." in card(page, "dikembalikan")


def test_a_supervisor_sees_the_team_waiting_scores_and_behaviour_ratings(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime
) -> None:
    today = runtime.today()
    store.append(
        "LaporanHarian",
        [
            activity(11, STAFF_A, today),
            activity(12, STAFF_A, today - timedelta(days=1)),
            activity(13, STAFF_B, today - timedelta(days=27)),  # the oldest day of the waiting list
            activity(14, STAFF_B, today - timedelta(days=2), "Disetujui"),
            activity(15, STAFF_B, today - timedelta(days=28)),  # older: left to the warning
            activity(16, OTHER, today),  # Hartono's team, not Sri's
        ],
    )
    week = periods.last_complete_week(today)
    store.replace_period("Skor", week.label, [skor(STAFF_A, week, 80.0), skor(OTHER, week, 10.0)])
    month = behaviour.window(today, Calendar.from_store(store)).rated  # open now, or the next to be rated
    values = {f"{key}-{STAFF_B}": predikat.RATINGS[1] for key in predikat.BERAKHLAK_KEYS}
    supervisor = store.records("Pegawai", where={"nip": SUPERVISOR})[0]
    behaviour.submit(store, supervisor, month, {"id_kiriman": "nilaiUji0001", **values}, runtime.now())

    page = home(client, store, SUPERVISOR)
    assert "Tim saya (2 orang)" in page
    assert "3 kegiatan dari 2 orang menunggu keputusan Anda." in card(page, "tim-menunggu")
    assert f"{periods.text(week)}: 1 dari 2 anggota dinilai, rata-rata skor 80." in card(page, "tim-skor")
    behaviour_card = card(page, "tim-perilaku")
    assert periods.text(month) in behaviour_card and "1 dari 2 anggota sudah dinilai; 1 belum." in behaviour_card
    token = token_for(store, SUPERVISOR)
    for function in ("review_reports", "team_scores", "rate_behaviour", "submit_report", "handle_complaints"):
        assert f'href="{function}?t={token}"' in page, function


def test_a_head_of_unit_sees_the_complaints_waiting_and_those_past_their_deadline(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime
) -> None:
    calendar = Calendar.from_store(store, runtime.settings.tz)
    now = runtime.now()

    def filed(n: int, unit: str, when: datetime) -> None:
        form = {"id_kiriman": f"aduanUji{n:04d}", "kategori": "Pelayanan", "unit": unit, "privasi": "Biasa",
                "uraian": "Antrean di loket tidak bergerak selama dua jam."}  # fmt: skip
        complaints.file(form, store, calendar, when)

    filed(1, "KEL-UJI", now)
    filed(2, "KEL-UJI", now - timedelta(days=40))  # past both deadlines
    filed(3, "", now)  # the reporter did not know the unit: the heads dispatch it
    closed = next(c for c in complaints.all_complaints(store, calendar, now) if c.row["id"] == "aduanUji0001")
    head = store.records("Pegawai", where={"nip": HEAD})[0]
    complaints.act(
        {"id_kiriman": "selesaiUji01", "jenis": "Selesai", "catatan": "Sudah ditangani."},
        closed,
        head,
        store,
        True,
        now,
    )
    page = home(client, store, HEAD)
    assert "2 pengaduan terbuka, 1 melewati batas waktu." in card(page, "pengaduan")
    assert "Tim saya (2 orang)" in page  # a head supervises too


def test_my_score_shows_the_weekly_summary_with_its_trend_and_what_to_improve(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime
) -> None:
    latest = periods.last_complete_week(runtime.today())
    before = latest.previous().previous()  # a week without a score between them
    store.replace_period("Skor", before.label, [skor(STAFF_A, before, 61.5)])
    store.replace_period(
        "Skor",
        latest.label,
        [
            skor(STAFF_A, latest, 72.4, perubahan=10.9, tren="Naik", hasil_kerja=75.0, kedisiplinan=60.0,
                 hari_lapor=3, hari_kerja=5, komponen_kosong="Responsivitas pengaduan, Kepuasan masyarakat")
        ],
    )  # fmt: skip
    page = home(client, store, STAFF_A)
    total = re.search(r'<div class="alert alert-info" id="skor-total">(.*?)</div>\n</div>', page, re.S)
    assert total
    text = " ".join(re.sub(r"<[^>]+>", " ", total.group(1)).split())
    assert f"Skor total {periods.text(latest).replace('Minggu', 'minggu')}" in text
    assert "72,4" in text and "Naik +10,9 dibanding minggu sebelumnya" in text
    trend = re.search(r'<table id="tren">(.*?)</table>', page, re.S)
    assert trend
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td></tr>", trend.group(1))
    assert rows == [(periods.text(before), "61,5"), (periods.text(latest), "72,4")]
    assert "3 dari 5 hari kerja ada laporan harian" in page
    assert "Komponen terlemah Anda: <strong>Kedisiplinan lapor</strong> (60)" in page
    assert "Belum ada skor untuk Anda." not in page


def test_a_broken_link_says_what_to_do_and_no_status_code(client: FlaskClient) -> None:
    answer = client.get("/home?t=rusak")
    assert answer.status_code == 403
    assert "Kirim ulang tautan saya" in answer.text and "Kode" not in answer.text


@pytest.mark.parametrize(
    ("function", "nip"),
    [
        ("submit_report", STAFF_A),
        ("handle_complaints", STAFF_A),
        ("review_reports", SUPERVISOR),
        ("rate_behaviour", SUPERVISOR),
        ("team_scores", SUPERVISOR),
    ],
)
def test_every_page_of_a_person_links_back_to_their_home(
    client: FlaskClient, store: SQLiteStore, function: str, nip: str
) -> None:
    token = token_for(store, nip)
    page = client.get(f"/{function}?t={token}")
    assert page.status_code == 200
    assert f'<a href="home?t={token}">← Beranda saya</a>' in page.text


def test_the_links_people_get_open_their_home(store: SQLiteStore, runtime: Runtime, city: dict[str, Any]) -> None:
    base = runtime.settings.base_url
    by_nip = {link["nip"]: link for link in personal_links(store, runtime.settings)}
    assert by_nip[STAFF_A]["home"] == f"{base}/home?t={token_for(store, STAFF_A)}"
    people = store.records("Pegawai", where={"nip": STAFF_A})
    (planned,) = links.plan_links(runtime.settings, people, {SUPERVISOR, HEAD}, "Operator Uji", runtime.now())
    message = planned.render().message
    text = message.get_body(("plain",))
    assert text is not None
    assert f"Beranda Anda (laporan hari ini, skor Anda dan semua halaman Anda):\n{base}/home?t=" in text.get_content()


def test_on_going_live_and_its_first_monday_the_home_pages_say_what_there_is(
    client: FlaskClient, store: SQLiteStore, runtime: Runtime
) -> None:
    """The city starts on Wednesday of last week (Konfigurasi tanggal_mulai_program, as in
    tests/scoring/test_golive.py); staff report on its working days; Monday's run scores last week."""
    week = periods.last_complete_week(runtime.today())
    start = week.start + timedelta(days=2)
    store.upsert("Konfigurasi", [{"kunci": "tanggal_mulai_program", "nilai": start.isoformat()}])
    days = Calendar.from_store(store, runtime.settings.tz).workdays_between(start, week.end)
    store.append("LaporanHarian", [activity(20 + i, STAFF_A, day, "Disetujui") for i, day in enumerate(days)])

    page = home(client, store, STAFF_A)  # go-live week: nothing scored yet
    assert "Belum ada skor untuk Anda." in page
    supervisor_page = home(client, store, SUPERVISOR)
    assert "Belum ada skor untuk minggu" in card(supervisor_page, "tim-skor")

    monday = datetime.combine(week.end + timedelta(days=1), time(7, 0), WIB)
    job.run(store, monday, week.label)
    page = home(client, store, STAFF_A)
    assert "Belum ada skor untuk Anda." not in page
    assert f"Dihitung dari {start.day} " in page and f"{len(days)} hari kerja." in page
    assert f"{len(days)} dari {len(days)} hari kerja ada laporan harian" in page
    trend = re.search(r'<table id="tren">(.*?)</table>', page, re.S)
    assert trend and len(re.findall(r"<tr><td>", trend.group(1))) == 1  # no week before the start
    supervisor_page = home(client, store, SUPERVISOR)
    assert f"{periods.text(week)}: 2 dari 2 anggota dinilai" in card(supervisor_page, "tim-skor")

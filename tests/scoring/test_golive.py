"""Going live mid-quarter (DOMAIN.md section 9): the first Monday of a city that starts on Wednesday 15 July 2026.

Four people of one unit have one SKP indicator each, 1,200 a year; 2026 has 240 working days, so a working day's
share is 1200 / 240 = 5. From the programme start they report 5 on every working day: 15, 16 and 17 July (Wed-Fri).
Their supervisors rate July "Sesuai Ekspektasi". The first weekly run is Monday 20 July 07:00 WIB.

By hand, for each of them:
- 2026-W29 (13-19 July): working days since the start 15, 16, 17 July = 3 (13 and 14 July are before it);
  target prorated 1200 x 3 / 240 = 15; realised 3 x 5 = 15: capaian 100; kedisiplinan 3 / 3 = 100.
- July and 2026-Q3 to date: the same 3 days; fewer than predikat_min_hari_kerja (10): no predikat,
  "Belum cukup data", never "Butuh Perbaikan" from a fraction of the month.
- Weeks 2026-W26 to W28 ended before the start: never scored, so no trend starts at 0 and no absence is counted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from functions.mail import compose
from functions.rules import predikat
from functions.rules.workdays import WIB, Calendar
from functions.scoring import job
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from tests.conftest import HEAD, STAFF_A, STAFF_B, SUPERVISOR, employee, target

START = date(2026, 7, 15)
FIRST_MONDAY = datetime(2026, 7, 20, 7, 0, tzinfo=WIB)
UNIT = "KEL-UJI"
PEOPLE = (HEAD, SUPERVISOR, STAFF_A, STAFF_B)
DAYS = [date(2026, 7, 15), date(2026, 7, 16), date(2026, 7, 17)]
SEVEN = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


@pytest.fixture
def city(store: SQLiteStore) -> SQLiteStore:
    store.upsert_many(
        {
            "Unit": [{"kode": UNIT, "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": HEAD}],
            "Pegawai": [
                employee(HEAD, "Lurah Uji", UNIT, None, jabatan="Lurah"),
                employee(SUPERVISOR, "Sekretaris Uji", UNIT, HEAD, jabatan="Sekretaris Kelurahan"),
                employee(STAFF_A, "Staf Satu", UNIT, SUPERVISOR),
                employee(STAFF_B, "Staf Dua", UNIT, SUPERVISOR),
            ],
            "Target": [target(nip, 1, 2026, "Jumlah layanan surat", "surat", 100) for nip in PEOPLE],
            "Konfigurasi": [{"kunci": "tanggal_mulai_program", "nilai": START.isoformat()}],
        }
    )
    for nip in PEOPLE:
        for day in DAYS:
            store.append("LaporanHarian", [activity(store, nip, day)])
        rate_july(store, nip)
    return store


def activity(store: SQLiteStore, nip: str, day: date) -> dict[str, Any]:
    person = store.records("Pegawai", where={"nip": nip})[0]
    sid = f"golive{nip[-4:]}{day:%m%d}"
    return {
        "id": f"{sid}-1",
        "id_kiriman": sid,
        "nip": nip,
        "nama": person["nama"],
        "unit": UNIT,
        "tanggal": day,
        "kegiatan": "Melayani surat pengantar warga",
        "id_target": f"{nip}-2026-1",
        "indikator": "Jumlah layanan surat",
        "kuantitas": 5,
        "satuan": "surat",
        "durasi_menit": 240,
        "diterima_pada": datetime.combine(day, datetime.min.time().replace(hour=15), WIB),
        "verifikasi": "Disetujui",
    }


def rate_july(store: SQLiteStore, nip: str) -> None:
    person = store.records("Pegawai", where={"nip": nip})[0]
    values = dict.fromkeys(SEVEN, predikat.MEETS)
    store.append(
        "PenilaianPerilaku",
        [
            {
                "id": f"nilai2026-07{nip}",
                "id_kiriman": f"nilaiJuli{nip[-4:]}",
                "periode": "2026-07",
                "nip": nip,
                "nama": person["nama"],
                "unit": UNIT,
                "nip_penilai": person["nip_atasan"] or SUPERVISOR,
                **values,
                "rating_perilaku": predikat.rating_perilaku(values),
                "catatan": None,
                "diterima_pada": datetime(2026, 7, 17, 16, 0, tzinfo=WIB),
            }
        ],
    )


def test_the_days_behind_the_hand_computation() -> None:
    calendar = Calendar()
    assert calendar.workdays_between(date(2026, 7, 13), date(2026, 7, 19))[2:] == DAYS
    assert len(calendar.workdays_between(date(2026, 1, 1), date(2026, 12, 31))) == 240


def test_the_first_monday_scores_no_week_before_the_start(city: SQLiteStore) -> None:
    # What `python -m functions score` does on a store never scored: the last four weeks.
    job.run_recent(city, FIRST_MONDAY, 4)
    assert {r["periode"] for r in city.records("Skor")} == {"2026-W29", "2026-07", "2026-Q3"}
    assert {r["periode"] for r in city.records("Peringatan")} <= {"2026-W29"}


@pytest.mark.parametrize("nip", PEOPLE)
def test_full_reporting_since_the_start_scores_full_marks_for_the_days_since(city: SQLiteStore, nip: str) -> None:
    job.run(city, FIRST_MONDAY)
    week = city.records("Skor", where={"id": f"2026-W29:{nip}"})[0]
    assert (week["hari_kerja"], week["hari_lapor"], week["kedisiplinan"]) == (3, 3, 100.0)
    assert (week["capaian_persen"], week["hasil_kerja"]) == (100.0, 100.0)
    assert (week["dihitung_mulai"], week["dihitung_sampai"]) == (START, date(2026, 7, 19))
    assert week["perubahan"] is None and week["tren"] is None  # the trend starts here, not at a zero before it
    for label in ("2026-07", "2026-Q3"):
        row = city.records("Skor", where={"id": f"{label}:{nip}"})[0]
        assert (row["hari_kerja"], row["dihitung_mulai"]) == (3, START)
        assert (row["rating_hasil_kerja"], row["rating_perilaku"]) == (predikat.MEETS, predikat.MEETS)
        assert (row["predikat"], row["keterangan_predikat"]) == (None, "Belum cukup data")


def test_no_absence_warning_counts_a_day_before_the_start(city: SQLiteStore) -> None:
    job.run(city, FIRST_MONDAY)
    assert [w for w in city.records("Peringatan") if w["jenis"] == "Tidak Melapor"] == []


def test_no_skor_row_counts_a_working_day_before_the_start(city: SQLiteStore) -> None:
    job.run_recent(city, FIRST_MONDAY, 4)
    calendar = Calendar()
    for row in city.records("Skor"):
        counted = calendar.workdays_between(max(row["mulai"], START), min(row["selesai"], date(2026, 7, 19)))
        assert row["hari_kerja"] <= len(counted), row["id"]


def test_an_employee_who_starts_after_the_programme_counts_from_their_own_first_day(city: SQLiteStore) -> None:
    city.upsert("Pegawai", [employee(STAFF_B, "Staf Dua", UNIT, SUPERVISOR, mulai_tugas=date(2026, 7, 17))])
    job.run(city, FIRST_MONDAY)
    week = city.records("Skor", where={"id": f"2026-W29:{STAFF_B}"})[0]
    # One working day counted (17 July), with its report: kedisiplinan 1 / 1.
    assert (week["hari_kerja"], week["hari_lapor"], week["dihitung_mulai"]) == (1, 1, date(2026, 7, 17))


def test_a_week_before_the_start_is_refused_quietly(city: SQLiteStore) -> None:
    summary = job.run(city, FIRST_MONDAY, "2026-W28")
    assert (summary.periods, summary.employees) == ([], 0)
    assert city.records("Skor") == []


def test_the_first_digest_says_the_scores_cover_the_days_since_the_start(city: SQLiteStore, settings: Settings) -> None:
    job.run(city, FIRST_MONDAY)
    digest = next(
        p
        for p in compose.plan_weekly(city, settings, "2026-W29", FIRST_MONDAY)
        if p.kind == "atasan" and p.nip == SUPERVISOR
    )
    text = digest.render().message.get_body(("plain",)).get_content()
    assert text.count("dihitung sejak 15 Juli 2026, 3 hari kerja") == 2  # both staff members of the team

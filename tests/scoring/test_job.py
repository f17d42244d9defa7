"""The weekly scoring run over a small hand-computed town, in a real SQLite store.

The town (``build_town``): two kelurahan. KEL-A has a head, a supervisor and five staff under
her; KEL-B has a head and one employee without SKP targets. Every staff member with targets has
two indicators for 2026, 1200 a year each, bobot 60 and 40 (sum 100). 2026 has 240 working days
(``workdays_between(2026-01-01, 2026-12-31)``), so one working day is worth 1200 / 240 = 5 of
each indicator.

Weeks used: 2026-W09 (23-27 February, five working days), 2026-W10 (2-6 March, five working
days) and 2026-W12 (16-22 March: only Monday 16 and Tuesday 17 are working days; 18 March
cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama Idul Fitri, 21 Idul Fitri (Saturday), 23/24
cuti bersama). Runs use a fixed ``now`` on the Monday after the week.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from functions import periods
from functions.citizens import complaints
from functions.errors import ValidationError
from functions.rules import predikat, workdays
from functions.rules.workdays import WIB, Calendar
from functions.runtime import Runtime
from functions.scoring import job, units
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import HEAD, OTHER, SECRET, STAFF_A, STAFF_B, SUPERVISOR, employee
from tests.support.scheduler import Scheduler
from tests.support.servers import ROOT, free_port, python_bin, running

# KEL-A: HEAD heads it; SUPERVISOR's team is STAFF_A, STAFF_B (on leave), NEW (starts mid-week),
# LOW (reports little) and GONE (stopped reporting after W09).
NEW = "199306062018012006"
LOW = "199407072019031007"
GONE = "199508082020012008"
# KEL-B: HEAD_B heads it; OTHER has no SKP targets and works under HEAD_B.
HEAD_B = "197509092000031009"
UNIT_A, UNIT_B = "KEL-A", "KEL-B"
YEAR = 2026
W09, W10, W12 = date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 16)  # Mondays
AFTER_W10 = datetime(2026, 3, 9, 7, 0, tzinfo=WIB)
AFTER_W12 = datetime(2026, 3, 23, 7, 0, tzinfo=WIB)
COMPLAINT_TEXT = "Lampu jalan di gang Melati padam sejak sebulan, warga takut keluar malam."
COMPLAINT_PHONE = "0812 9876 5432"
COMPLAINT_EMAIL = "pelapor.melati@contoh.id"
DERIVED = ("Skor", "SkorUnit", "Peringatan", "SaranPelatihan")
SEVEN = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


def indicator(nip: str, n: int, bobot: float) -> dict[str, Any]:
    name = ("Jumlah surat pengantar yang diterbitkan", "Jumlah warga yang dilayani")[n - 1]
    return {
        "id": f"{nip}-{YEAR}-{n}",
        "nip": nip,
        "tahun": YEAR,
        "jenis": "Utama",
        "rencana_hasil_kerja": f"Hasil kerja {n}",
        "indikator": name,
        "target": 1200,
        "satuan": ("surat", "orang")[n - 1],
        "bobot": bobot,
    }


def build_town(store: SQLiteStore) -> None:
    units = [
        {"kode": UNIT_A, "nama": "Kelurahan Melati", "jenis": "Kelurahan", "induk": None, "nip_kepala": HEAD},
        {"kode": UNIT_B, "nama": "Kelurahan Mawar", "jenis": "Kelurahan", "induk": None, "nip_kepala": HEAD_B},
    ]
    people = [
        employee(HEAD, "Hartono, S.Sos.", UNIT_A, None, jabatan="Lurah"),
        employee(SUPERVISOR, "Sri Wahyuni, S.E.", UNIT_A, HEAD, jabatan="Sekretaris Kelurahan"),
        employee(STAFF_A, "Budi Santoso", UNIT_A, SUPERVISOR),
        employee(STAFF_B, "Dewi Lestari, A.Md.", UNIT_A, SUPERVISOR),
        employee(NEW, "Eko Nugroho", UNIT_A, SUPERVISOR, mulai_tugas=W10 + timedelta(days=2)),  # Wednesday 4 March
        employee(LOW, "Fitri Handayani", UNIT_A, SUPERVISOR),
        employee(GONE, "Gilang Ramadhan", UNIT_A, SUPERVISOR),
        employee(HEAD_B, "Heru Wibowo, S.IP.", UNIT_B, None, jabatan="Lurah"),
        employee(OTHER, "Agus Prasetyo", UNIT_B, HEAD_B),
    ]
    targets = [
        indicator(nip, n, bobot) for nip in (STAFF_A, STAFF_B, NEW, LOW, GONE) for n, bobot in ((1, 60), (2, 40))
    ]
    leave = [
        {"id": f"{STAFF_B}-2026-03-04", "nip": STAFF_B, "mulai": date(2026, 3, 4), "selesai": date(2026, 3, 5),
         "jenis": "Cuti Tahunan", "keterangan": "Acara keluarga"},
    ]  # fmt: skip
    store.upsert_many({"Unit": units, "Pegawai": people, "Target": targets, "Cuti": leave})


def report(store: SQLiteStore, nip: str, day: date, n: int, kuantitas: float, tag: str = "", **extra: Any) -> None:
    """One LaporanHarian activity on indicator ``n`` (every required column filled)."""
    person = store.records("Pegawai", where={"nip": nip})[0]
    sid = f"k{nip[-4:]}{day:%m%d}{n}{tag}"
    store.append(
        "LaporanHarian",
        [
            {
                "id": f"{sid}-1",
                "id_kiriman": sid,
                "nip": nip,
                "nama": person["nama"],
                "unit": person["unit"],
                "tanggal": day,
                "kegiatan": "Melayani warga di loket" if n == 2 else "Menerbitkan surat pengantar",
                "id_target": f"{nip}-{YEAR}-{n}",
                "indikator": indicator(nip, n, 0)["indikator"],
                "kuantitas": kuantitas,
                "satuan": indicator(nip, n, 0)["satuan"],
                "durasi_menit": 60,
                "diterima_pada": datetime.combine(day, datetime.min.time().replace(hour=15), WIB),
                "verifikasi": extra.pop("verifikasi", "Menunggu"),
                **extra,
            }
        ],
    )


def survey(store: SQLiteStore, unit: str, day: date, n: int, answer: int) -> None:
    row: dict[str, Any] = {"id": f"survei{unit}{day:%m%d}{n}", "unit": unit, "id_layanan": f"{unit}-SP", "tanggal": day}
    row |= {f"u{i}": answer for i in range(1, 10)}
    row["diterima_pada"] = datetime.combine(day, datetime.min.time().replace(hour=10), WIB)
    store.append("Survei", [row])


def week_days(monday: date) -> list[date]:
    return workdays.workdays_between(monday, monday + timedelta(days=6))


def fill_w09(store: SQLiteStore) -> None:
    """W09: everyone of the team who has started reports every day; GONE's last week of reporting."""
    for day in week_days(W09):
        for nip in (STAFF_A, STAFF_B, GONE):
            report(store, nip, day, 1, 4, verifikasi="Disetujui")
            report(store, nip, day, 2, 4, verifikasi="Disetujui")
        report(store, LOW, day, 1, 1, verifikasi="Disetujui")
        report(store, OTHER, day, 1, 3, verifikasi="Disetujui")


def fill_w10(store: SQLiteStore) -> None:
    """W10 (2-6 March), the week checked by hand.

    STAFF_A: 5 surat and 4 orang a day. STAFF_B: on leave Wednesday-Thursday, 5 and 5 on the
    other three days. NEW: starts Wednesday, 5 and 5 a day. LOW: 1 surat a day. GONE: nothing.
    OTHER (no targets): a report every day. KEL-A gets five surveys answering 3 to every unsur;
    KEL-B none.
    """
    for day in week_days(W10):
        report(store, STAFF_A, day, 1, 5)
        report(store, STAFF_A, day, 2, 4)
        if day not in (date(2026, 3, 4), date(2026, 3, 5)):
            report(store, STAFF_B, day, 1, 5)
            report(store, STAFF_B, day, 2, 5)
        if day >= date(2026, 3, 4):
            report(store, NEW, day, 1, 5)
            report(store, NEW, day, 2, 5)
        report(store, LOW, day, 1, 1)
        report(store, OTHER, day, 1, 3)
    for n in range(5):
        survey(store, UNIT_A, date(2026, 3, 3), n, 3)


def file_overdue_complaint(store: SQLiteStore) -> str:
    """A complaint to KEL-B filed 2 February and never handled: overdue by W10."""
    form = {
        "id_kiriman": "aduanMelati0001",
        "kategori": "Infrastruktur",
        "unit": UNIT_B,
        "uraian": COMPLAINT_TEXT,
        "privasi": "Biasa",
        "telepon": COMPLAINT_PHONE,
        "email": COMPLAINT_EMAIL,
    }
    row, _, _ = complaints.file(form, store, Calendar.from_store(store), datetime(2026, 2, 2, 9, 0, tzinfo=WIB))
    return str(row["id"])


def rate_behaviour(store: SQLiteStore, nip: str, month: str, rating: str) -> None:
    person = store.records("Pegawai", where={"nip": nip})[0]
    values = dict.fromkeys(SEVEN, rating)
    store.append(
        "PenilaianPerilaku",
        [
            {
                "id": f"nilai{month}{nip}",
                "id_kiriman": f"nilai{month}{nip[-4:]}",
                "periode": month,
                "nip": nip,
                "nama": person["nama"],
                "unit": person["unit"],
                "nip_penilai": person["nip_atasan"],
                **values,
                "rating_perilaku": predikat.rating_perilaku(values),
                "catatan": None,
                "diterima_pada": datetime(2026, 3, 6, 15, 0, tzinfo=WIB),
            }
        ],
    )


@pytest.fixture
def town(store: SQLiteStore) -> SQLiteStore:
    """The town with W09 and W10 filled in, a complaint overdue in KEL-B, nothing scored yet."""
    build_town(store)
    fill_w09(store)
    fill_w10(store)
    file_overdue_complaint(store)
    return store


def skor(store: SQLiteStore, periode: str, nip: str) -> dict[str, Any]:
    rows = store.records("Skor", where={"id": f"{periode}:{nip}"})
    assert len(rows) == 1, f"{periode}:{nip}"
    return rows[0]


def derived(store: SQLiteStore) -> dict[str, list[dict[str, Any]]]:
    return {name: store.records(name) for name in DERIVED}


# -- idempotency -----------------------------------------------------------------------------------


def test_running_the_same_week_twice_rewrites_identical_sheets(town: SQLiteStore) -> None:
    first = job.run(town, AFTER_W10, "2026-W10")
    before = derived(town)
    second = job.run(town, AFTER_W10, "2026-W10")
    after = derived(town)
    assert first == second
    assert before == after
    for name, rows in after.items():
        assert rows, f"{name} is empty"
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), f"{name} has duplicate ids"
    # 9 active employees, each scored for the week, March to date and Q1 to date.
    assert len(after["Skor"]) == 9 * 3
    assert {(r["periode"], r["jenis_periode"]) for r in after["Skor"]} == {
        ("2026-W10", "Minggu"),
        ("2026-03", "Bulan"),
        ("2026-Q1", "Triwulan"),
    }
    assert first.as_dict() == {
        "minggu": "2026-W10",
        "periode": ["2026-W10", "2026-03", "2026-Q1"],
        "pegawai": 9,
        "peringatan": len(after["Peringatan"]),
        "saran_pelatihan": len(after["SaranPelatihan"]),
    }


def test_scoring_a_past_week_again_later_ignores_what_happened_since(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    before = derived(town)
    # In April the overdue complaint is answered and a new one is filed: neither was known on 8 March.
    answered = datetime(2026, 4, 1, 10, 0, tzinfo=WIB)
    town.append(
        "AduanPeristiwa",
        [{"id": "jawabMelati0001", "id_aduan": "aduanMelati0001", "jenis": "Ditindaklanjuti", "waktu": answered,
          "oleh_nip": HEAD_B, "catatan": "Lampu sudah diganti."}],
    )  # fmt: skip
    form = {"id_kiriman": "aduanApril0001", "kategori": "Lainnya", "unit": UNIT_B, "uraian": "Uji April.",
            "privasi": "Anonim"}  # fmt: skip
    complaints.file(form, town, Calendar.from_store(town), datetime(2026, 4, 2, 9, 0, tzinfo=WIB))
    job.run(town, datetime(2026, 4, 10, 7, 0, tzinfo=WIB), "2026-W10")
    assert derived(town) == before
    assert skor(town, "2026-W10", OTHER)["aduan_jumlah"] == 1


# -- the acceptance scenarios, by hand ------------------------------------------------------------


def test_year_has_240_working_days_and_w10_five() -> None:
    # The denominators used by hand below; if the holidays package changes them, fix the arithmetic.
    assert len(workdays.workdays_between(date(2026, 1, 1), date(2026, 12, 31))) == 240
    assert week_days(W10) == [date(2026, 3, d) for d in (2, 3, 4, 5, 6)]
    assert week_days(W12) == [date(2026, 3, 16), date(2026, 3, 17)]


def test_a_full_skor_row_matches_the_hand_computation(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    row = skor(town, "2026-W10", STAFF_A)
    # Hasil kerja: target per period = 1200 x 5 / 240 = 25 for each indicator.
    #   surat: 5 a day x 5 days = 25 / 25 = 100 %; orang: 4 x 5 = 20 / 25 = 80 %.
    #   capaian = (60 x 100 + 40 x 80) / (60 + 40) = 9200 / 100 = 92.
    # Kedisiplinan: reports on 5 of 5 working days = 100.
    # Kepuasan: five KEL-A surveys answering 3 everywhere: NRR 3 per unsur, IKM 3, konversi 3 x 25 = 75.
    # Responsivitas: no complaint in KEL-A: no data, left out.
    # Total with 50/20/15/15 renormalised over the three with data:
    #   (50 x 92 + 15 x 75 + 15 x 100) / (50 + 15 + 15) = (4600 + 1125 + 1500) / 80 = 7225 / 80 = 90.3125.
    assert row == {
        "id": f"2026-W10:{STAFF_A}",
        "periode": "2026-W10",
        "jenis_periode": "Minggu",
        "mulai": date(2026, 3, 2),
        "selesai": date(2026, 3, 8),
        "nip": STAFF_A,
        "nama": "Budi Santoso",
        "unit": UNIT_A,
        "nip_atasan": SUPERVISOR,
        "hasil_kerja": 92.0,
        "capaian_persen": 92.0,
        "jumlah_indikator": 2,
        "rincian_hasil_kerja": "Jumlah surat pengantar yang diterbitkan: 25 / 25,0 surat (100%, bobot 60); "
        "Jumlah warga yang dilayani: 20 / 25,0 orang (80%, bobot 40)",
        "responsivitas": None,
        "aduan_jumlah": None,
        "aduan_tepat_waktu": None,
        "jam_respon_median": None,
        "kepuasan": 75.0,
        "kepuasan_sumber": "Unit",
        "kepuasan_responden": 5,
        "kedisiplinan": 100.0,
        "hari_kerja": 5,
        "hari_lapor": 5,
        "hari_cuti": 0,
        "total": 90.3125,
        "komponen": "Hasil kerja, Kepuasan, Kedisiplinan",
        "komponen_kosong": "Responsivitas",
        "rating_hasil_kerja": predikat.MEETS,  # 85 <= 92 < 110
        "rating_perilaku": None,  # behaviour is rated per month, never per week
        "predikat": None,
        "keterangan_predikat": None,  # a week never has a predikat: nothing to explain
        "dihitung_mulai": date(2026, 3, 2),  # no programme start, no mulai_tugas: the whole week
        "dihitung_sampai": date(2026, 3, 8),
        "perubahan": None,  # W09 was not scored
        "tren": None,
    }


def test_a_week_with_holidays_counts_only_its_working_days(town: SQLiteStore) -> None:
    # W12: Monday 16 and Tuesday 17 March are the only working days; Wednesday 18 is cuti bersama Nyepi.
    for day in (date(2026, 3, 16), date(2026, 3, 17)):
        report(town, STAFF_A, day, 1, 4)
        report(town, STAFF_A, day, 2, 4)
    report(town, STAFF_A, date(2026, 3, 18), 2, 2)  # work done on a holiday counts as results, not as a day
    job.run(town, AFTER_W12, "2026-W12")
    rows = town.records("Skor", where={"periode": "2026-W12"})
    assert {r["nip"]: r["hari_kerja"] for r in rows} == dict.fromkeys(
        [HEAD, SUPERVISOR, STAFF_A, STAFF_B, NEW, LOW, GONE, HEAD_B, OTHER], 2
    )
    row = skor(town, "2026-W12", STAFF_A)
    # Target per period = 1200 x 2 / 240 = 10 each. surat: 4 + 4 = 8 / 10 = 80 %;
    # orang: 4 + 4 + 2 (Nyepi) = 10 / 10 = 100 %. capaian = (60 x 80 + 40 x 100) / 100 = 88.
    # Kedisiplinan: 2 of 2 working days (the holiday report is not a working day) = 100. No surveys in W12.
    # Total = (50 x 88 + 15 x 100) / (50 + 15) = 5900 / 65 = 90.7692...
    assert (row["hari_kerja"], row["hari_lapor"], row["hari_cuti"]) == (2, 2, 0)
    assert row["hasil_kerja"] == 88.0 and row["kedisiplinan"] == 100.0
    assert row["total"] == pytest.approx(5900 / 65, abs=1e-4)
    assert row["komponen_kosong"] == "Responsivitas, Kepuasan"
    assert "10 / 10,0 orang" in row["rincian_hasil_kerja"]
    # March to date (1-22 March): 2-6, 9-13, 16, 17 = 12 working days; 18-20 March are holidays.
    month = skor(town, "2026-03", STAFF_A)
    assert month["hari_kerja"] == 12
    assert month["hari_lapor"] == 7  # 5 in W10, none in W11, 2 in W12


def test_leave_reduces_working_days_and_prorates_the_target(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    row = skor(town, "2026-W10", STAFF_B)
    # Cuti 4-5 March: 5 - 2 = 3 working days. Target per period = 1200 x 3 / 240 = 15 each; 5 a day on
    # the three days present = 15 / 15 = 100 % each: a person reporting normally is not punished.
    assert (row["hari_kerja"], row["hari_lapor"], row["hari_cuti"]) == (3, 3, 2)
    assert row["hasil_kerja"] == 100.0 and row["kedisiplinan"] == 100.0
    assert "15 / 15,0 surat (100%" in row["rincian_hasil_kerja"]
    # (50 x 100 + 15 x 75 + 15 x 100) / 80 = 7625 / 80 = 95.3125
    assert row["total"] == 95.3125


def test_an_employee_without_targets_is_scored_on_the_other_components(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    row = skor(town, "2026-W10", OTHER)
    assert row["hasil_kerja"] is None and row["jumlah_indikator"] is None and row["rincian_hasil_kerja"] is None
    assert "Hasil kerja" in row["komponen_kosong"] and "Hasil kerja" not in row["komponen"]
    # KEL-B: the complaint overdue since February counts against every KEL-B employee: 0 of 1 on time.
    # Kedisiplinan 5 / 5 = 100; no surveys in KEL-B. Total = (20 x 0 + 15 x 100) / (20 + 15) = 1500 / 35.
    assert (row["responsivitas"], row["aduan_jumlah"], row["aduan_tepat_waktu"]) == (0.0, 1, 0)
    assert row["kedisiplinan"] == 100.0
    assert row["total"] == pytest.approx(1500 / 35, abs=1e-4)
    assert row["komponen"] == "Responsivitas, Kedisiplinan"
    assert row["komponen_kosong"] == "Hasil kerja, Kepuasan"


def test_a_new_employee_is_due_from_the_day_they_start(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    row = skor(town, "2026-W10", NEW)
    # mulai_tugas Wednesday 4 March: 4, 5 and 6 March = 3 days; target 1200 x 3 / 240 = 15; 5 a day = 15.
    assert (row["hari_kerja"], row["hari_lapor"], row["hari_cuti"]) == (3, 3, 0)
    assert row["hasil_kerja"] == 100.0 and row["kedisiplinan"] == 100.0
    assert not town.records("Peringatan", where={"nip": NEW})


def test_a_unit_without_surveys_has_no_kepuasan(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    for nip in (HEAD_B, OTHER):
        row = skor(town, "2026-W10", nip)
        assert row["kepuasan"] is None and row["kepuasan_sumber"] is None and row["kepuasan_responden"] is None
        assert "Kepuasan" in row["komponen_kosong"]
    unit_b = town.records("SkorUnit", where={"id": f"2026-W10:{UNIT_B}"})[0]
    assert (unit_b["ikm_konversi"], unit_b["mutu_ikm"], unit_b["responden_skm"]) == (None, None, None)
    assert (unit_b["aduan_jumlah"], unit_b["aduan_tepat_waktu"]) == (1, 0)
    unit_a = town.records("SkorUnit", where={"id": f"2026-W10:{UNIT_A}"})[0]
    assert (unit_a["ikm_konversi"], unit_a["mutu_ikm"], unit_a["responden_skm"]) == (75.0, "C", 5)
    assert unit_a["pegawai"] == 7


# -- months, quarters, predikat ------------------------------------------------------------------


def test_a_month_with_too_few_working_days_so_far_has_no_predikat_but_says_why(town: SQLiteStore) -> None:
    rate_behaviour(town, STAFF_A, "2026-03", predikat.MEETS)
    job.run(town, AFTER_W10, "2026-W10")  # March to date: 2-6 March, 5 working days < predikat_min_hari_kerja 10
    month = skor(town, "2026-03", STAFF_A)
    assert (month["hari_kerja"], month["rating_perilaku"]) == (5, predikat.MEETS)
    assert (month["predikat"], month["keterangan_predikat"]) == (None, "Belum cukup data")
    assert (month["dihitung_mulai"], month["dihitung_sampai"]) == (date(2026, 3, 1), date(2026, 3, 8))
    unit = town.records("SkorUnit", where={"id": f"2026-03:{UNIT_A}"})[0]
    assert sum(unit[column] for column in units.COUNT_COLUMNS.values()) == 0  # nobody counted in the distribution


def test_month_and_quarter_rows_carry_the_predikat_when_behaviour_was_rated(town: SQLiteStore) -> None:
    rate_behaviour(town, STAFF_A, "2026-03", predikat.MEETS)
    rate_behaviour(town, LOW, "2026-03", predikat.MEETS)
    town.upsert("Konfigurasi", [{"kunci": "predikat_min_hari_kerja", "nilai": "5"}])  # March so far: 5 days
    job.run(town, AFTER_W10, "2026-W10")
    month = skor(town, "2026-03", STAFF_A)
    assert (month["jenis_periode"], month["mulai"], month["selesai"]) == ("Bulan", date(2026, 3, 1), date(2026, 3, 31))
    # March to date is the same five days as W10.
    assert (month["hari_kerja"], month["hasil_kerja"], month["total"]) == (5, 92.0, 90.3125)
    assert month["rating_perilaku"] == predikat.MEETS
    assert month["predikat"] == predikat.predikat(month["rating_hasil_kerja"], month["rating_perilaku"]) == "Baik"
    low = skor(town, "2026-03", LOW)
    # LOW: 1 surat a day, 5 / 25 = 20 % and 0 orang: (60 x 20 + 40 x 0) / 100 = 12 -> Di Bawah Ekspektasi.
    assert (low["capaian_persen"], low["rating_hasil_kerja"]) == (12.0, predikat.BELOW)
    assert low["predikat"] == predikat.predikat(predikat.BELOW, predikat.MEETS) == "Butuh Perbaikan"
    # No predikat without enough days or without a rating, and the row says why; never one in a week.
    # STAFF_B was on leave two of the five days: 3 working days < 5.
    assert skor(town, "2026-03", STAFF_B)["predikat"] is None
    assert skor(town, "2026-03", STAFF_B)["keterangan_predikat"] == "Belum cukup data"
    assert skor(town, "2026-W10", STAFF_A)["predikat"] is None
    quarter = skor(town, "2026-Q1", STAFF_A)
    # Q1 to 8 March: every working day from 2 January; STAFF_A reported on 5 (W09) + 5 (W10) of them.
    q1_days = len(workdays.workdays_between(date(2026, 1, 1), date(2026, 3, 8)))
    assert (quarter["jenis_periode"], quarter["hari_kerja"], quarter["hari_lapor"]) == ("Triwulan", q1_days, 10)
    assert quarter["kedisiplinan"] == pytest.approx(100 * 10 / q1_days, abs=1e-4)
    # The March rating counts for the quarter it lies in; the quarter's results so far are low
    # (45 surat of 1200 x q1_days / 240 reported in two weeks), so its predikat is lower than March's.
    assert quarter["rating_perilaku"] == predikat.MEETS and quarter["rating_hasil_kerja"] == predikat.BELOW
    assert quarter["predikat"] == predikat.predikat(predikat.BELOW, predikat.MEETS)

    unit = town.records("SkorUnit", where={"id": f"2026-03:{UNIT_A}"})[0]
    counts = {label: unit[column] for label, column in units.COUNT_COLUMNS.items()}
    assert counts == {"Sangat Baik": 0, "Baik": 1, "Butuh Perbaikan": 1, "Kurang/Misconduct": 0, "Sangat Kurang": 0}
    assert unit["predikat_organisasi"] == "Baik"

    # With fewer days asked, STAFF_B's three days will do: the row then waits for the rating, then has it.
    town.upsert("Konfigurasi", [{"kunci": "predikat_min_hari_kerja", "nilai": "3"}])
    job.run(town, AFTER_W10, "2026-W10")
    assert skor(town, "2026-03", STAFF_B)["keterangan_predikat"] == "Belum dinilai"  # 3 days will do, no rating
    rate_behaviour(town, STAFF_B, "2026-03", predikat.MEETS)
    job.run(town, AFTER_W10, "2026-W10")
    assert skor(town, "2026-03", STAFF_B)["keterangan_predikat"] is None
    assert skor(town, "2026-03", STAFF_B)["predikat"] is not None
    broken = predikat.check_distribution("Baik", counts)
    assert unit["distribusi_sesuai"] is (not broken)
    assert unit["catatan_distribusi"] == (" ".join(broken) or None)
    # A unit with no predikat yet has no verdict on its distribution.
    unit_b = town.records("SkorUnit", where={"id": f"2026-03:{UNIT_B}"})[0]
    assert unit_b["distribusi_sesuai"] is None and unit_b["baik"] == 0


def test_a_week_across_two_months_completes_the_first_and_starts_the_second(town: SQLiteStore) -> None:
    # W09 runs from Monday 23 February to Sunday 1 March: February ends inside it.
    summary = job.run(town, AFTER_W10, "2026-W09")
    assert summary.periods == ["2026-W09", "2026-02", "2026-03", "2026-Q1"]
    february = skor(town, "2026-02", STAFF_A)
    assert february["hari_kerja"] == len(workdays.workdays_between(date(2026, 2, 1), date(2026, 2, 28)))
    assert february["hari_lapor"] == 5  # 23-27 February are in February's row
    march = skor(town, "2026-03", STAFF_A)  # 1 March is a Sunday: nothing due yet
    assert march["hari_kerja"] is None and march["total"] is None


def test_only_complete_weeks_can_be_scored(town: SQLiteStore) -> None:
    for label, words in (
        ("2026-03", "per minggu"),
        ("2026-Q1", "per minggu"),
        ("2026-W11", "belum selesai"),
        ("minggu lalu", "per minggu"),
    ):
        with pytest.raises(ValidationError) as caught:
            job.run(town, AFTER_W10, label)
        assert list(caught.value.fields) == ["periode"] and words in caught.value.fields["periode"]
    assert derived(town) == {name: [] for name in DERIVED}


# -- trend ---------------------------------------------------------------------------------------------


def test_the_second_of_two_weeks_shows_the_change(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W09")
    job.run(town, AFTER_W10, "2026-W10")
    before = skor(town, "2026-W09", STAFF_A)
    assert before["perubahan"] is None and before["tren"] is None
    # W09: 4 + 4 a day = 20 / 25 = 80 % each, kedisiplinan 100, no surveys: (50 x 80 + 15 x 100) / 65 = 84.6154.
    assert before["total"] == pytest.approx(5500 / 65, abs=1e-4)
    row = skor(town, "2026-W10", STAFF_A)
    assert row["perubahan"] == pytest.approx(90.3125 - 5500 / 65, abs=1e-3)
    assert row["tren"] == "Naik"
    gone = skor(town, "2026-W10", GONE)
    # GONE: W09 84.6154 as STAFF_A; W10 nothing reported: hasil kerja 0, kedisiplinan 0, kepuasan 75:
    # (50 x 0 + 15 x 75 + 15 x 0) / 80 = 14.0625.
    assert gone["total"] == 14.0625 and gone["tren"] == "Turun"
    assert gone["perubahan"] == pytest.approx(14.0625 - 5500 / 65, abs=1e-3)


# -- warnings and suggestions ----------------------------------------------------------------------


def test_warnings_and_suggestions_name_who_stopped_and_who_is_low(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    gone = town.records("Peringatan", where={"id": f"2026-W10:LAPOR:{GONE}"})
    assert len(gone) == 1
    warning = gone[0]
    assert (warning["jenis"], warning["tingkat"], warning["nip_atasan"]) == ("Tidak Melapor", "Perhatian", SUPERVISOR)
    assert "5 hari kerja berturut-turut" in warning["alasan"] and "2 Maret 2026" in warning["alasan"]
    assert warning["rujukan"] == "2026-03-02, 2026-03-03, 2026-03-04, 2026-03-05, 2026-03-06"
    # Those who reported every day they were due get no Tidak Melapor warning.
    reporting = {STAFF_A, STAFF_B, NEW, LOW, OTHER}
    assert not [w for w in town.records("Peringatan") if w["jenis"] == "Tidak Melapor" and w["nip"] in reporting]

    low = town.records("SaranPelatihan", where={"periode": "2026-W10", "nip": LOW})
    assert low[0]["urutan"] == 1 and low[0]["id_katalog"] == "coaching-atasan"
    assert low[0]["alasan"] == "Skor hasil kerja 12 di bawah 60."
    assert (low[0]["jp_tahun_ini"], low[0]["jp_kurang"]) == (0, 20)
    stopped = town.records("SaranPelatihan", where={"periode": "2026-W10", "nip": GONE})
    assert stopped[0]["id_katalog"] == "coaching-atasan"  # coaching by the supervisor first
    assert "hasil kerja 0" in stopped[0]["alasan"] and "kedisiplinan laporan harian 0" in stopped[0]["alasan"]
    assert not town.records("SaranPelatihan", where={"nip": STAFF_A})

    late = town.records("Peringatan", where={"id": f"2026-W10:ADUAN:{UNIT_B}"})[0]
    assert late["jenis"] == "Pengaduan Terlambat" and late["nip"] is None and late["rujukan"] == "aduanMelati0001"
    cells = " ".join(str(v) for rows in derived(town).values() for r in rows for v in r.values())
    for private in (COMPLAINT_TEXT, "Lampu jalan", "gang Melati", COMPLAINT_PHONE, COMPLAINT_EMAIL):
        assert private not in cells


# -- over HTTP and from the command line ---------------------------------------------------------


@pytest.fixture
def client(runtime: Runtime, town: SQLiteStore, scheduler: Scheduler) -> FlaskClient:
    """Cloud Scheduler's calls: each request carries its token (locally, a call without one is refused)."""
    return scheduler.client(create_app(scheduler.configure(runtime)))


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_compute_scores_answers_with_the_summary(client: FlaskClient, town: SQLiteStore, method: str) -> None:
    answer = client.open("/compute_scores?periode=2026-W10", method=method)
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["status"] == "selesai" and body["minggu"] == "2026-W10"
    assert body["periode"] == ["2026-W10", "2026-03", "2026-Q1"] and body["pegawai"] == 9
    assert body["peringatan"] == town.count("Peringatan") and body["saran_pelatihan"] == town.count("SaranPelatihan")


@pytest.mark.parametrize("label", ["2026-W99", "pekan-10", "2026-03", "2999-W01"])
def test_compute_scores_refuses_a_bad_periode(client: FlaskClient, town: SQLiteStore, label: str) -> None:
    answer = client.get(f"/compute_scores?periode={urllib.parse.quote(label)}")
    assert answer.status_code == 400 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert list(body["isian"]) == ["periode"]
    assert body["isian"]["periode"].startswith("Periode: ") and "minggu" in body["isian"]["periode"]
    assert "Periksa kembali isian" in body["galat"]
    assert town.count("Skor") == 0


def test_compute_scores_under_the_functions_framework_refuses_a_call_without_the_schedulers_token(
    settings: Settings, town: SQLiteStore
) -> None:
    """The entry point of main.py is wired to the scheduled handler; without Cloud Scheduler's token (here the local
    home, which runs its jobs in-process) it scores nothing and names the command that does."""
    port = free_port()
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET}
    command = [python_bin("functions-framework"), "--source", "main.py", "--target", "compute_scores",
               "--port", str(port), "--host", "127.0.0.1"]  # fmt: skip
    with running(command, env, f"http://127.0.0.1:{port}/?periode=bukan"):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/?periode=2026-W10", method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
        assert refused.value.code == 403
        body = json.loads(refused.value.read().decode())
    assert body["galat"].endswith("python -m functions score")
    assert town.count("Skor") == 0


def run_score(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "functions", "score", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_score_command_prints_the_summary(settings: Settings, town: SQLiteStore) -> None:
    done = run_score(settings, "--periode", "2026-W10")
    assert done.returncode == 0, done.stderr
    warnings, suggestions = town.count("Peringatan"), town.count("SaranPelatihan")
    assert done.stdout.strip() == (
        f"Skor minggu 2026-W10 (dan 2026-03, 2026-Q1): 9 pegawai, {warnings} peringatan, {suggestions} saran pelatihan."
    )
    refused = run_score(settings, "--periode", "2026-13")
    assert refused.returncode == 2 and "galat: " in refused.stderr and "periode" in refused.stderr


def test_score_command_on_a_store_never_scored_scores_four_weeks(settings: Settings, town: SQLiteStore) -> None:
    done = run_score(settings)
    assert done.returncode == 0, done.stderr
    last = periods.last_complete_week(datetime.now(WIB).date())
    expected = [last.previous().previous().previous(), last.previous().previous(), last.previous(), last]
    lines = done.stdout.strip().splitlines()
    assert [line.split()[2] for line in lines] == [w.label for w in expected]
    weekly = {r["periode"] for r in town.records("Skor") if r["jenis_periode"] == "Minggu"}
    assert weekly == {w.label for w in expected}


def test_a_period_whose_year_has_no_targets_scores_without_results(runtime: Runtime) -> None:
    """2027-W01 starts on 4 January 2027; nobody has 2027 targets in this store."""
    from datetime import datetime

    from functions.scoring import job

    runtime.store.upsert_many(
        {
            "Unit": [{"kode": "KEL-X", "nama": "Kelurahan X", "jenis": "Kelurahan"}],
            "Pegawai": [{"nip": "199003032015031003", "nama": "Budi", "jabatan": "Staf", "unit": "KEL-X"}],
        }
    )
    now = datetime(2027, 1, 12, 9, 0, tzinfo=runtime.settings.tz)
    job.run(runtime.store, now, "2027-W01")
    row = runtime.store.records("Skor", where={"periode": "2027-W01"})[0]
    assert row["hasil_kerja"] is None and "Hasil kerja" in row["komponen_kosong"]
    assert row["kedisiplinan"] == 0.0  # five working days, no report


def test_the_weekly_run_publishes_the_transparency_figures_of_four_quarters(town: SQLiteStore) -> None:
    job.run(town, AFTER_W10, "2026-W10")
    quarters = {"2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"}  # the quarter of the run and the three before
    assert {r["kuartal"] for r in town.records("TransparansiIKM")} == quarters
    assert {r["kuartal"] for r in town.records("TransparansiAduan")} == quarters
    (city,) = town.records("TransparansiIKM", where={"id": "2026-Q1|Kota||"})
    assert city["responden"] == len(town.records("Survei", start=date(2026, 1, 1), end=AFTER_W10.date()))
    assert city["diperbarui_pada"] == AFTER_W10

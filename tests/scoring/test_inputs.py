"""What scoring reads from the reports: a correction counts in place of the activity it replaces, never both.

A one-person town, hand-computed. Budi Santoso has two SKP indicators for 2026, 1200 a year each, bobot 60 and 40.
2026 has 240 working days, so in 2026-W10 (2-6 March, five working days) each indicator's target is
1200 x 5 / 240 = 25.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd

from functions.rules.workdays import WIB
from functions.scoring import inputs, job
from functions.store.sqlite import SQLiteStore
from tests.conftest import STAFF_A, SUPERVISOR, employee

YEAR = 2026
MONDAY = date(2026, 3, 2)  # 2026-W10
AFTER = datetime(2026, 3, 9, 7, 0, tzinfo=WIB)


def target(n: int, bobot: float) -> dict[str, Any]:
    return {
        "id": f"{STAFF_A}-{YEAR}-{n}",
        "nip": STAFF_A,
        "tahun": YEAR,
        "jenis": "Utama",
        "rencana_hasil_kerja": f"Hasil kerja {n}",
        "indikator": ("Jumlah surat pengantar", "Jumlah warga dilayani")[n - 1],
        "target": 1200,
        "satuan": ("surat", "orang")[n - 1],
        "bobot": bobot,
    }


def activity(n: int, day: date, kuantitas: float, verifikasi: str, replaces: str | None = None) -> dict[str, Any]:
    sid = f"kiriman{n:05d}"
    return {
        "id": f"{sid}-1",
        "id_kiriman": sid,
        "nip": STAFF_A,
        "nama": "Budi Santoso",
        "unit": "KEL-UJI",
        "tanggal": day,
        "kegiatan": f"Menerbitkan surat pengantar ({n})",
        "id_target": f"{STAFF_A}-{YEAR}-1",
        "indikator": "Jumlah surat pengantar",
        "kuantitas": kuantitas,
        "satuan": "surat",
        "durasi_menit": 60,
        "diterima_pada": datetime.combine(day, datetime.min.time().replace(hour=15), WIB),
        "verifikasi": verifikasi,
        "menggantikan": replaces,
    }


def town(store: SQLiteStore, reports: list[dict[str, Any]]) -> None:
    people = [
        employee(SUPERVISOR, "Sri Wahyuni, S.E.", "KEL-UJI", None),
        employee(STAFF_A, "Budi Santoso", "KEL-UJI", SUPERVISOR),
    ]
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": SUPERVISOR}
    store.upsert_many({"Unit": [unit], "Pegawai": people, "Target": [target(1, 60), target(2, 40)]})
    store.append("LaporanHarian", reports)


def test_a_correction_counts_instead_of_the_activity_it_replaces(store: SQLiteStore) -> None:
    town(
        store,
        [
            activity(1, MONDAY, 10, "Dikembalikan"),  # returned ...
            activity(2, MONDAY, 8, "Disetujui", replaces="kiriman00001-1"),  # ... and corrected: 8 counts
            activity(3, MONDAY, 2, "Menunggu"),  # an ordinary activity: 2 counts
            # Returned, corrected, and then set to Disetujui by hand in the sheet: still replaced, only 5 counts.
            activity(4, MONDAY, 7, "Disetujui"),
            activity(5, MONDAY, 5, "Menunggu", replaces="kiriman00004-1"),
        ],
    )
    job.run(store, AFTER, "2026-W10")
    row = store.records("Skor", where={"id": f"2026-W10:{STAFF_A}"})[0]
    # surat: 8 + 2 + 5 = 15 of 25 = 60 %; orang: 0 of 25 = 0 %. capaian = (60 x 60 + 40 x 0) / 100 = 36.
    # Counting the replaced activity 4 as well would give 22 of 25 = 88 % and 52.8.
    assert row["capaian_persen"] == 36.0 and row["hasil_kerja"] == 36.0
    assert row["rincian_hasil_kerja"].startswith("Jumlah surat pengantar: 15 / 25,0 surat (60%, bobot 60)")
    # Kedisiplinan: a report on Monday only, 1 of 5 working days = 20, the same with or without the rule.
    assert (row["hari_lapor"], row["kedisiplinan"]) == (1, 20.0)


def test_counted_reports_drops_only_replaced_rows() -> None:
    frame = pd.DataFrame(
        [
            activity(1, MONDAY, 10, "Dikembalikan"),
            activity(2, MONDAY, 8, "Menunggu", replaces="kiriman00001-1"),
            activity(3, MONDAY, 2, "Dikembalikan"),  # returned, not corrected yet: kept (hasil kerja skips it)
        ]
    )
    assert inputs.counted_reports(frame)["id"].tolist() == ["kiriman00002-1", "kiriman00003-1"]
    assert inputs.counted_reports(frame.drop(columns="menggantikan"))["id"].tolist() == [
        "kiriman00001-1",
        "kiriman00002-1",
        "kiriman00003-1",
    ]


def test_a_report_before_the_programme_start_counts_nowhere_in_the_week_of_the_start(store: SQLiteStore) -> None:
    """The city starts on Wednesday 4 March 2026 (Konfigurasi tanggal_mulai_program): Budi's week counts from then.
    2026-W10 then has three working days for him, so each indicator's target is 1200 x 3 / 240 = 15. His Monday
    report (10 surat, before the start) counts nowhere; Wednesday's 6 surat do: surat 6 of 15 = 40 %, orang 0 %,
    capaian = (60 x 40 + 40 x 0) / 100 = 24. Counting Monday as well would give 16 of 15 and 60 or more."""
    town(store, [activity(1, MONDAY, 10, "Disetujui"), activity(2, date(2026, 3, 4), 6, "Disetujui")])
    store.upsert("Konfigurasi", [{"kunci": "tanggal_mulai_program", "nilai": "2026-03-04", "keterangan": None}])
    job.run(store, AFTER, "2026-W10")
    row = store.records("Skor", where={"id": f"2026-W10:{STAFF_A}"})[0]
    assert row["capaian_persen"] == 24.0
    assert row["rincian_hasil_kerja"].startswith("Jumlah surat pengantar: 6 / 15,0 surat (40%, bobot 60)")
    assert row["hari_lapor"] == 1  # Wednesday; Monday was before the start

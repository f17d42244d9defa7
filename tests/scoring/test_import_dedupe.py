"""The same activity through the e-Kinerja import and through the app counts once in scoring; two different
activities with similar text on the same day count twice.

The one-person town of ``test_inputs``, hand-computed: Budi Santoso's two indicators are 1200 a year each (bobot 60
and 40); 2026-W10 has five working days of 240 in the year, so each indicator's target is 1200 x 5 / 240 = 25. The
operator imports Budi's e-Kinerja progress first; the app's rows arrive afterwards, so the import cannot skip them
and scoring has to.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from functions.rules.workdays import WIB
from functions.scoring import inputs, job
from functions.staff import progress_import
from functions.store.sqlite import SQLiteStore
from tests.conftest import STAFF_A, SUPERVISOR, employee
from tests.scoring.test_inputs import AFTER, MONDAY, activity, target

IMPORTED_AT = datetime(2026, 3, 6, 16, 0, tzinfo=WIB)
HEADER = ["NIP", "Tanggal", "Rencana Hasil Kerja", "Uraian Kegiatan", "Realisasi", "Status"]
EXPORT = [
    HEADER,
    # The app's activity 1 ("Menerbitkan surat pengantar (1)", 6 surat), pasted with other case and punctuation.
    [STAFF_A, "02-03-2026", "Hasil kerja 1", "menerbitkan surat pengantar 1.", "6", "Disetujui"],
    # Like the app's activity 2 below, but another meeting: both count.
    [STAFF_A, "02-03-2026", "Hasil kerja 2", "Rapat koordinasi anggaran", "3", "Disetujui"],
]


def test_an_activity_from_both_sources_counts_once_and_similar_ones_twice(store: SQLiteStore) -> None:
    people = [
        employee(SUPERVISOR, "Sri Wahyuni, S.E.", "KEL-UJI", None),
        employee(STAFF_A, "Budi Santoso", "KEL-UJI", SUPERVISOR),
    ]
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": SUPERVISOR}
    store.upsert_many({"Unit": [unit], "Pegawai": people, "Target": [target(1, 60), target(2, 40)]})
    plan = progress_import.preview(store, EXPORT, progress_import.DEFAULT | {"kolom_indikator": ""}, None, IMPORTED_AT)
    assert plan.ok and plan.pending == 2
    progress_import.apply(store, plan)
    meeting = activity(2, MONDAY, 4, "Menunggu") | {
        "kegiatan": "Rapat koordinasi anggaran perubahan",
        "id_target": f"{STAFF_A}-2026-2",
        "indikator": "Jumlah warga dilayani",
        "satuan": "orang",
    }
    store.append("LaporanHarian", [activity(1, MONDAY, 6, "Menunggu"), meeting])
    assert len(store.records("LaporanHarian")) == 4

    job.run(store, AFTER, "2026-W10")
    row = store.records("Skor", where={"id": f"2026-W10:{STAFF_A}"})[0]
    # surat: 6 once (not 6 + 6) of 25 = 24 %; orang: 3 + 4 = 7 of 25 = 28 %.
    # capaian = (60 x 24 + 40 x 28) / 100 = 25.6. Counting the imported copy as well: surat 12 of 25 = 48 %, 40.0.
    assert row["capaian_persen"] == 25.6
    assert row["rincian_hasil_kerja"].startswith("Jumlah surat pengantar: 6 / 25,0 surat (24%, bobot 60)")


def test_counted_reports_drops_one_imported_copy_per_app_row() -> None:
    app = activity(1, MONDAY, 6, "Menunggu") | {"sumber": "Aplikasi"}
    copy = app | {"sumber": "Impor e-Kinerja", "kegiatan": "MENERBITKAN surat pengantar 1"}
    frame = pd.DataFrame(
        [
            app,
            copy | {"id": "ekinerja-a-1"},
            copy | {"id": "ekinerja-b-2"},  # the same activity twice in e-Kinerja: the app's one row is the first
            copy | {"id": "ekinerja-c-1", "tanggal": date(2026, 3, 3)},  # another day: its own activity
            activity(2, MONDAY, 1, "Menunggu") | {"sumber": None},  # an app row from before the column: the app's
        ]
    )
    kept = inputs.counted_reports(frame)["id"].tolist()
    assert kept == ["kiriman00001-1", "ekinerja-b-2", "ekinerja-c-1", "kiriman00002-1"]


def test_the_import_and_scoring_agree_on_which_copy_is_the_apps(store: SQLiteStore) -> None:
    """The app's row first, then an export holding the same activity twice: the import skips the first copy, writes
    the second, and scoring keeps it (2 activities in all, not 1 and not 3)."""
    people = [employee(STAFF_A, "Budi Santoso", "KEL-UJI", None)]
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": STAFF_A}
    store.upsert_many({"Unit": [unit], "Pegawai": people, "Target": [target(1, 60), target(2, 40)]})
    store.append("LaporanHarian", [activity(1, MONDAY, 6, "Menunggu")])
    twice = [HEADER, EXPORT[1], EXPORT[1]]
    plan = progress_import.preview(store, twice, progress_import.DEFAULT, None, IMPORTED_AT)
    assert [r.status for r in plan.rows] == [progress_import.EXISTS, progress_import.NEW]
    progress_import.apply(store, plan)
    assert len(inputs.counted_reports(store.frame("LaporanHarian"))) == 2
    assert progress_import.preview(store, twice, progress_import.DEFAULT, None, IMPORTED_AT).pending == 0

"""The import of e-Kinerja daily progress: the sample export (tests/staff/samples, see its README for its source)
previewed and confirmed under the default mapping, a re-import that changes nothing, a refused row with its reason,
a row the app already has, and a new mapping for an export whose columns changed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.errors import ValidationError
from functions.staff import duplicates, import_reading, progress_import
from functions.staff.progress_import import APPROVED_SINCE, EXISTS, NEW, REFUSED
from functions.store.sqlite import SQLiteStore
from tests.conftest import STAFF_A, STAFF_B, SUPERVISOR, target

SAMPLE = Path(__file__).parent / "samples" / "ekinerja_progres_harian.csv"
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
RHK = {1: "Terlayaninya surat pengantar warga tepat waktu", 2: "Terlayaninya warga di loket kelurahan"}
OPERATOR = "198801012010011001"


@pytest.fixture
def plan_city(store: SQLiteStore, city: dict[str, Any]) -> SQLiteStore:
    """The tiny city with 2026 SKP rows whose RHK read as in e-Kinerja."""
    rows = []
    for nip in (STAFF_A, STAFF_B):
        rows.append(
            target(nip, 1, 2026, "Jumlah surat pengantar yang diterbitkan", "surat", 60)
            | {"rencana_hasil_kerja": RHK[1]}
        )
        rows.append(target(nip, 2, 2026, "Jumlah warga yang dilayani", "orang", 40) | {"rencana_hasil_kerja": RHK[2]})
    store.upsert("Target", rows)
    return store


def sample_grid(drop: tuple[int, ...] = ()) -> list[list[Any]]:
    """The sample's cells, without the rows numbered ``drop`` (the file's row numbers, the header being 1)."""
    grid = import_reading.read_grid(SAMPLE.name, SAMPLE.read_bytes())
    return [cells for number, cells in enumerate(grid, start=1) if number not in drop]


def run(store: SQLiteStore, grid: list[list[Any]], mapping: dict[str, Any] | None = None) -> Any:
    return progress_import.preview(store, grid, mapping or progress_import.DEFAULT, None, NOW)


def test_preview_reads_the_sample_and_refuses_the_unknown_rhk_naming_row_and_column(plan_city: SQLiteStore) -> None:
    plan = run(plan_city, sample_grid())
    assert [(r.number, r.status) for r in plan.rows] == [(2, NEW), (3, NEW), (4, NEW), (5, REFUSED)]
    first = plan.rows[0]
    assert (first.nip, first.nama, first.tanggal, first.indikator, first.realisasi, first.verifikasi) == (
        STAFF_A, "Budi Santoso", "Selasa, 1 Desember 2026", "Jumlah surat pengantar yang diterbitkan", "3 surat",
        "Disetujui",
    )  # fmt: skip
    assert plan.rows[1].verifikasi == "Menunggu"  # "Diajukan": not approved yet in e-Kinerja
    assert plan.rows[3].reasons == (
        "kolom Rencana Hasil Kerja: RHK «Terlaksananya rapat koordinasi RT/RW» tidak ada di Target SKP pegawai "
        f"{STAFF_B} tahun 2026; impor dulu SKP-nya atau perbaiki teks RHK.",
    )
    assert not plan.ok
    with pytest.raises(ValidationError):
        progress_import.apply(plan_city, plan)
    assert plan_city.records("LaporanHarian") == []


def test_confirm_writes_marked_rows_and_a_reimport_changes_nothing(plan_city: SQLiteStore) -> None:
    grid = sample_grid(drop=(5,))
    plan = run(plan_city, grid)
    assert plan.ok and plan.pending == 3
    assert progress_import.apply(plan_city, plan).inserted == 3
    rows = {r["kegiatan"]: r for r in plan_city.records("LaporanHarian")}
    skck = rows["Menerbitkan surat pengantar SKCK dan domisili"]
    assert (skck["sumber"], skck["verifikasi"], skck["diverifikasi_oleh"], skck["id_target"], skck["kuantitas"]) == (
        "Impor e-Kinerja", "Disetujui", SUPERVISOR, f"{STAFF_A}-2026-1", 3,
    )  # fmt: skip
    assert skck["durasi_menit"] is None and skck["bukti_dukung"] == "https://drive.google.com/file/d/bukti-0112"
    assert rows["Melayani warga di loket pelayanan"]["verifikasi"] == "Menunggu"

    again = run(plan_city, grid)
    assert [(r.status, r.reasons) for r in again.rows] == [(EXISTS, ("sudah diimpor sebelumnya",))] * 3
    assert again.pending == 0
    assert progress_import.apply(plan_city, again).inserted == 0
    assert len(plan_city.records("LaporanHarian")) == 3


def test_a_row_approved_in_e_kinerja_since_the_last_import_becomes_approved_once(plan_city: SQLiteStore) -> None:
    grid = sample_grid(drop=(5,))
    progress_import.apply(plan_city, run(plan_city, grid))
    waiting = next(r for r in plan_city.records("LaporanHarian") if r["verifikasi"] == "Menunggu")
    grid[2][-1] = "Disetujui"  # row 3 of the file, "Diajukan" before
    later = run(plan_city, grid)
    assert [(r.number, r.status) for r in later.rows] == [(2, EXISTS), (3, APPROVED_SINCE), (4, EXISTS)]
    assert progress_import.apply(plan_city, later) == progress_import.Applied(inserted=0, approved=1)
    row = plan_city.records("LaporanHarian", where={"id": waiting["id"]})[0]
    assert (row["verifikasi"], row["diverifikasi_oleh"]) == ("Disetujui", SUPERVISOR)
    assert run(plan_city, grid).pending == 0  # and again: nothing more


def test_a_supervisors_decision_in_the_app_is_never_overridden(plan_city: SQLiteStore) -> None:
    grid = sample_grid(drop=(5,))
    progress_import.apply(plan_city, run(plan_city, grid))
    waiting = next(r for r in plan_city.records("LaporanHarian") if r["verifikasi"] == "Menunggu")
    plan_city.set_cells("LaporanHarian", waiting["id"], {"verifikasi": "Dikembalikan", "catatan_verifikasi": "Rinci"})
    grid[2][-1] = "Disetujui"
    assert run(plan_city, grid).pending == 0


def test_a_row_the_app_already_has_is_shown_as_already_there(plan_city: SQLiteStore) -> None:
    app_row = {
        "id": "kirimanapp01-1", "id_kiriman": "kirimanapp01", "nip": STAFF_A, "nama": "Budi Santoso",
        "unit": "KEL-UJI", "tanggal": date(2026, 12, 1), "kegiatan": "menerbitkan surat pengantar SKCK, dan domisili.",
        "id_target": f"{STAFF_A}-2026-1", "indikator": "Jumlah surat pengantar yang diterbitkan", "kuantitas": 3,
        "satuan": "surat", "durasi_menit": 60, "diterima_pada": NOW, "verifikasi": "Menunggu",
    }  # fmt: skip
    plan_city.append("LaporanHarian", [app_row])
    plan = run(plan_city, sample_grid(drop=(5,)))
    assert [(r.number, r.status, r.reasons) for r in plan.rows] == [
        (2, EXISTS, ("sudah dikirim lewat aplikasi",)), (3, NEW, ()), (4, NEW, ()),
    ]  # fmt: skip
    progress_import.apply(plan_city, plan)
    assert sorted(r["sumber"] for r in plan_city.records("LaporanHarian")) == [
        "Aplikasi", "Impor e-Kinerja", "Impor e-Kinerja",
    ]  # fmt: skip


CHANGED_HEADER = ["NIP Pegawai", "Tgl Progres", "RHK", "Deskripsi Progres", "Capaian", "Status Atasan"]
CHANGED_ROWS = [
    [STAFF_A, "2026-12-03", RHK[2].upper(), "Melayani pengambilan KTP-el", "5", "Sudah Disetujui"],
    [STAFF_A, "3 Desember 2026", RHK[2], "Mengarsipkan berkas", "abc", "Belum"],
]


def test_a_new_mapping_reads_an_export_whose_columns_changed(plan_city: SQLiteStore) -> None:
    grid = [CHANGED_HEADER, *CHANGED_ROWS]
    old = run(plan_city, grid)
    assert old.rows == () and old.notes[0].startswith("Kolom NIP (NIP) tidak ada di berkas")
    typed = {
        "nama": "e-Kinerja 2027", "kolom_nip": "NIP Pegawai", "kolom_tanggal": "Tgl Progres",
        "format_tanggal": "TTTT-BB-HH", "kolom_rhk": "RHK", "kolom_uraian": "Deskripsi Progres",
        "kolom_realisasi": "Capaian", "kolom_status": "Status Atasan", "status_disetujui": "Sudah Disetujui",
    }  # fmt: skip
    saved = progress_import.save_mapping(plan_city, typed, OPERATOR, NOW)
    assert progress_import.mappings(plan_city)["e-Kinerja 2027"]["kolom_nip"] == "NIP Pegawai"
    plan = run(plan_city, grid, saved)
    assert [(r.status, r.verifikasi, r.indikator) for r in plan.rows[:1]] == [
        (NEW, "Disetujui", "Jumlah warga yang dilayani")
    ]
    assert plan.rows[1].reasons == (
        "kolom Tgl Progres: tanggal harus berformat TTTT-BB-HH, misalnya 2026-11-30 (format di pemetaan).",
        "kolom Capaian: harus berupa angka (hanya angka 0-9, paling banyak satu koma desimal, misalnya 2,5).",
    )


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"kolom_nip": ""}, "kolom_nip"),
        ({"nama": progress_import.DEFAULT_NAME}, "nama"),
        ({"format_tanggal": "BB/HH/TTTT"}, "format_tanggal"),
        ({"kolom_uraian": "nip"}, "kolom_uraian"),  # the NIP's column again, whatever the case
    ],
)
def test_a_bad_mapping_is_refused_naming_the_field(plan_city: SQLiteStore, typed: dict[str, str], field: str) -> None:
    good = {k: str(v) for k, v in progress_import.DEFAULT.items()} | {"nama": "Format OPD"}
    with pytest.raises(ValidationError) as err:
        progress_import.save_mapping(plan_city, good | typed, OPERATOR, NOW)
    assert field in err.value.fields
    assert plan_city.records("PemetaanImpor") == []


def test_an_operator_of_other_units_is_refused_their_rows(plan_city: SQLiteStore) -> None:
    plan = progress_import.preview(plan_city, sample_grid(drop=(5,)), progress_import.DEFAULT, {"KEL-LAIN"}, NOW)
    assert {r.status for r in plan.rows} == {REFUSED}
    assert "di luar OPD Anda" in plan.rows[0].reasons[0] and plan.rows[0].reasons[0].startswith("kolom NIP:")


def test_the_dedupe_key_normalises_case_space_and_punctuation() -> None:
    row = {"nip": STAFF_A, "tanggal": date(2026, 12, 1), "id_target": "t1", "kegiatan": "Rapat  koordinasi, RT/RW."}
    assert duplicates.key(row) == duplicates.key(row | {"kegiatan": "rapat koordinasi rt rw"})
    assert duplicates.key(row) != duplicates.key(row | {"kegiatan": "Rapat koordinasi RT/RW perubahan"})


CELL = st.one_of(st.none(), st.text(max_size=40), st.integers(), st.floats(allow_nan=True), st.dates(), st.datetimes())


@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=12), min_size=1, max_size=6))
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_cells_are_read_or_refused_with_a_reason_never_an_error(
    plan_city: SQLiteStore, rows: list[list[Any]]
) -> None:
    header = sample_grid()[0]
    plan = run(plan_city, [header, *rows])
    assert all(r.status == NEW or r.reasons for r in plan.rows)
    assert all(r.status in progress_import.STATUSES for r in plan.rows)
    assert plan_city.records("LaporanHarian") == []


def test_on_google_sheets_the_import_is_the_same_and_a_reimport_writes_nothing(plan_city: SQLiteStore) -> None:
    from tests.support.sheets_client import served_store

    sheets = served_store()
    try:
        sheets.upsert_many({name: plan_city.records(name) for name in ("Unit", "Pegawai", "Target")})
        grid = sample_grid(drop=(5,))
        assert progress_import.apply(sheets, run(sheets, grid)) == progress_import.Applied(inserted=3, approved=0)
        grid[2][-1] = "Disetujui"
        assert progress_import.apply(sheets, run(sheets, grid)) == progress_import.Applied(inserted=0, approved=1)
        assert run(sheets, grid).pending == 0
        stored = sheets.records("LaporanHarian", start=date(2026, 12, 1), end=date(2026, 12, 2))
        assert sorted((r["sumber"], r["verifikasi"]) for r in stored) == [("Impor e-Kinerja", "Disetujui")] * 3
    finally:
        sheets.close()

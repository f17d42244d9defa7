"""The import's checks of an operator's units: an OPD operator imports only their OPD's people, targets and
services, never units, holidays or operator roles; a city-wide operator (units None) everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from functions.staff.import_checks import Problem
from functions.staff.importer import import_master, preview
from functions.store.sqlite import SQLiteStore

HEAD = "197001012000011001"
NURSE = "198502022010012002"
CLERK = "199003032015032003"  # of another OPD
OPD = {"DINKES", "PKM-A"}

UNITS = [
    {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "Dinas"},
    {"kode": "PKM-A", "nama": "Puskesmas A", "jenis": "Puskesmas", "induk": "DINKES"},
    {"kode": "DUK", "nama": "Disdukcapil", "jenis": "Dinas"},
]
PEOPLE = [
    {"nip": HEAD, "nama": "Kepala", "jabatan": "Kepala Dinas", "unit": "DINKES"},
    {"nip": NURSE, "nama": "Perawat", "jabatan": "Perawat", "unit": "PKM-A", "nip_atasan": HEAD},
    {"nip": CLERK, "nama": "Petugas", "jabatan": "Petugas", "unit": "DUK"},
]


def target(nip: str) -> dict[str, Any]:
    return {"id": f"{nip}-2026-1", "nip": nip, "tahun": "2026", "jenis": "Utama", "rencana_hasil_kerja": "Layanan",
            "indikator": "Warga dilayani", "target": "100", "satuan": "orang", "bobot": "100"}  # fmt: skip


@pytest.fixture
def store(tmp_path: Path):
    s = SQLiteStore(tmp_path / "k.sqlite3")
    assert import_master(s, {"Unit": UNITS, "Pegawai": PEOPLE}).ok
    yield s
    s.close()


def reasons(store: SQLiteStore, tables: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, int], tuple[str, ...]]:
    plan = preview(store, tables, OPD)
    return {(name, r.number): r.reasons for name, sheet in plan.sheets.items() for r in sheet.rows if r.reasons}


def test_an_opd_operator_imports_their_own_people_targets_and_services(store: SQLiteStore) -> None:
    tables = {
        "Pegawai": [{**PEOPLE[1], "jabatan": "Perawat Ahli"}],
        "Target": [target(NURSE)],
        "Layanan": [{"id": "PKM-A-1", "unit": "PKM-A", "nama": "Imunisasi"}],
    }

    plan = preview(store, tables, OPD)

    assert plan.ok, plan.errors
    assert plan.pending == 3


def test_an_opd_operator_is_refused_every_row_outside_their_opd_with_its_reason(store: SQLiteStore) -> None:
    outside = "di luar OPD Anda; baris ini hanya dapat diimpor oleh Operator BKPP atau operator OPD-nya."
    tables = {
        "Unit": [{**UNITS[1], "nama": "Puskesmas A Baru"}],
        "Pegawai": [
            {**PEOPLE[2], "jabatan": "Kepala Seksi"},  # someone of another OPD
            {**PEOPLE[1], "unit": "DUK"},  # moving their own person out
            {**PEOPLE[1], "nip": "200001012022012001", "peran": "Operator BKPP"},  # making an operator
        ],
        "Target": [target(CLERK)],
        "Layanan": [{"id": "DUK-1", "unit": "DUK", "nama": "KTP-el"}],
        "HariLibur": [{"tanggal": "2026-12-24", "jenis": "Libur", "keterangan": "Cuti bersama"}],
    }

    found = reasons(store, tables)

    assert found == {
        ("Unit", 2): ("unit kerja berlaku untuk seluruh kota; hanya Operator BKPP yang dapat mengimpornya.",),
        ("Pegawai", 2): (f"kolom Kode Unit: unit DUK {outside}",),
        ("Pegawai", 3): (f"kolom Kode Unit: unit DUK {outside}",),
        ("Pegawai", 4): ("kolom Peran Operator: hanya Operator BKPP yang dapat mengubah peran operator.",),
        ("Target", 2): (f"kolom NIP: pegawai {CLERK} bekerja di unit DUK, {outside}",),
        ("Layanan", 2): (f"kolom Kode Unit: unit DUK {outside}",),
        ("HariLibur", 2): ("hari libur berlaku untuk seluruh kota; hanya Operator BKPP yang dapat mengimpornya.",),
    }


def test_a_city_wide_operator_may_import_all_of_it(store: SQLiteStore) -> None:
    tables = {
        "Pegawai": [{**PEOPLE[2], "jabatan": "Kepala Seksi"}, {**PEOPLE[1], "peran": "Operator OPD"}],
        "HariLibur": [{"tanggal": "2026-12-24", "jenis": "Libur", "keterangan": "Cuti bersama"}],
    }

    assert preview(store, tables, None).ok


def test_a_problem_reads_as_one_line_and_as_a_reason_beside_its_row() -> None:
    problem = Problem("Target", (2, 3), "Bobot (%)", "jumlah bobot harus 100.")

    assert str(problem) == "Target baris 2, 3, kolom Bobot (%): jumlah bobot harus 100."
    assert problem.reason == "kolom Bobot (%): jumlah bobot harus 100."
    assert str(Problem(None, (), "", "Berkas rusak.")) == "Berkas rusak."

"""The store contract, written once and run against every backend.

The Google Sheets backend (a later issue) joins ``BACKENDS`` and must pass unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from functions import schema
from functions.errors import Conflict, Forbidden, ValidationError
from functions.store import Store
from functions.store.sqlite import SQLiteStore

WIB = ZoneInfo("Asia/Jakarta")


def _sqlite(tmp_path: Path) -> Store:
    return SQLiteStore(tmp_path / "kontrak.sqlite3")


def _gsheets(tmp_path: Path) -> Store:
    """A Google Sheets store on a fresh layout, on its own Sheets API test server (stopped by ``close()``)."""
    from tests.support.sheets_client import served_store

    return served_store()


BACKENDS: dict[str, Callable[[Path], Store]] = {"sqlite": _sqlite, "gsheets": _gsheets}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store = BACKENDS[request.param](tmp_path)
    yield store
    store.close()


def activity(submission: str, n: int, day: date, nip: str = "199003032015031003", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"{submission}-{n}",
        "id_kiriman": submission,
        "nip": nip,
        "nama": "Budi Santoso",
        "unit": extra.pop("unit", "KEL-UJI"),
        "tanggal": day,
        "kegiatan": f"Kegiatan {n}",
        "id_target": "T1",
        "indikator": "Jumlah surat",
        "kuantitas": 2.5,
        "satuan": "surat",
        "durasi_menit": 60,
        "bukti_dukung": None,
        "kendala": None,
        "diterima_pada": datetime(2026, 11, 30, 15, 0, tzinfo=WIB),
        "verifikasi": "Menunggu",
        **extra,
    }


def test_append_stores_typed_rows_in_order(backend: Store) -> None:
    day = date(2026, 11, 27)
    result = backend.append("LaporanHarian", [activity("kirimanA1", 1, day), activity("kirimanA1", 2, day)])
    assert (result.inserted, result.duplicates) == (2, 0)
    rows = backend.records("LaporanHarian")
    assert [r["id"] for r in rows] == ["kirimanA1-1", "kirimanA1-2"]
    assert rows[0]["tanggal"] == day
    assert rows[0]["kuantitas"] == 2.5
    assert rows[0]["durasi_menit"] == 60
    assert rows[0]["diterima_pada"] == datetime(2026, 11, 30, 15, 0, tzinfo=WIB)
    assert rows[0]["bukti_dukung"] is None
    assert set(rows[0]) == set(schema.sheet("LaporanHarian").keys)


def test_append_same_submission_again_is_a_no_op(backend: Store) -> None:
    day = date(2026, 11, 27)
    rows = [activity("kirimanB1", 1, day), activity("kirimanB1", 2, day)]
    backend.append("LaporanHarian", rows)
    # A retry arrives later: the receipt time differs, the content does not.
    retry = [{**r, "diterima_pada": datetime(2026, 11, 30, 15, 5, tzinfo=WIB)} for r in rows]
    result = backend.append("LaporanHarian", retry)
    assert (result.inserted, result.duplicates) == (0, 2)
    assert result.was_duplicate
    assert backend.count("LaporanHarian") == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: [{**rows[0], "kuantitas": 3}, rows[1]],
        lambda rows: rows[:1] + rows[1:] + [activity("kirimanC1", 3, date(2026, 11, 27))],
        lambda rows: rows[:1],
    ],
    ids=["other-content", "extra-activity", "fewer-activities"],
)
def test_append_same_submission_with_other_content_conflicts(
    backend: Store, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> None:
    day = date(2026, 11, 27)
    rows = [activity("kirimanC1", 1, day), activity("kirimanC1", 2, day)]
    backend.append("LaporanHarian", rows)
    with pytest.raises(Conflict):
        backend.append("LaporanHarian", change(rows))
    assert backend.count("LaporanHarian") == 2


def test_append_is_all_or_nothing(backend: Store) -> None:
    day = date(2026, 11, 27)
    bad = activity("kirimanD1", 2, day, durasi_menit=-5)
    with pytest.raises(ValidationError):
        backend.append("LaporanHarian", [activity("kirimanD1", 1, day), bad])
    assert backend.count("LaporanHarian") == 0


def test_person_edits_survive_a_retry(backend: Store) -> None:
    day = date(2026, 11, 27)
    rows = [activity("kirimanE1", 1, day)]
    backend.append("LaporanHarian", rows)
    backend.set_cells(
        "LaporanHarian", "kirimanE1-1", {"verifikasi": "Disetujui", "diverifikasi_oleh": "198002022005012002"}
    )
    assert backend.append("LaporanHarian", rows).was_duplicate
    assert backend.records("LaporanHarian")[0]["verifikasi"] == "Disetujui"


def test_records_filter_by_column_date_and_unit(backend: Store) -> None:
    backend.append("LaporanHarian", [activity("kirimanF1", 1, date(2026, 11, 23))])
    backend.append("LaporanHarian", [activity("kirimanF2", 1, date(2026, 11, 24), unit="KEL-LAIN")])
    backend.append("LaporanHarian", [activity("kirimanF3", 1, date(2026, 11, 30), nip="199104042016022004")])
    ids = lambda rows: [r["id_kiriman"] for r in rows]  # noqa: E731
    assert ids(backend.records("LaporanHarian", start=date(2026, 11, 24))) == ["kirimanF2", "kirimanF3"]
    assert ids(backend.records("LaporanHarian", end=date(2026, 11, 24))) == ["kirimanF1", "kirimanF2"]
    assert ids(backend.records("LaporanHarian", unit="KEL-LAIN")) == ["kirimanF2"]
    assert ids(backend.records("LaporanHarian", unit=["KEL-UJI", "KEL-LAIN"])) == [
        "kirimanF1",
        "kirimanF2",
        "kirimanF3",
    ]
    assert ids(backend.records("LaporanHarian", where={"nip": "199104042016022004"})) == ["kirimanF3"]
    assert backend.records("LaporanHarian", where={"nip": "199104042016022004"}, end=date(2026, 11, 29)) == []


def test_records_filter_by_an_empty_cell(backend: Store) -> None:
    """``where={column: None}`` keeps the rows whose cell is empty (SQL's IS NULL), on every backend."""
    backend.append("LaporanHarian", [activity("kirimanN1", 1, date(2026, 11, 23))])
    backend.append("LaporanHarian", [activity("kirimanN2", 1, date(2026, 11, 24), bukti_dukung="https://contoh.go.id")])
    assert [r["id_kiriman"] for r in backend.records("LaporanHarian", where={"bukti_dukung": None})] == ["kirimanN1"]


def test_frame_has_the_schema_columns(backend: Store) -> None:
    backend.append("LaporanHarian", [activity("kirimanG1", 1, date(2026, 11, 27))])
    frame = backend.frame("LaporanHarian")
    assert list(frame.columns) == schema.sheet("LaporanHarian").keys
    assert len(frame) == 1
    assert frame.loc[0, "kuantitas"] == 2.5
    empty = backend.frame("LaporanHarian", unit="TIDAK-ADA")
    assert list(empty.columns) == schema.sheet("LaporanHarian").keys and len(empty) == 0


def test_set_cells_refuses_columns_people_may_not_edit(backend: Store) -> None:
    backend.append("LaporanHarian", [activity("kirimanH1", 1, date(2026, 11, 27))])
    with pytest.raises(Forbidden):
        backend.set_cells("LaporanHarian", "kirimanH1-1", {"kuantitas": 100})
    with pytest.raises(ValidationError):
        backend.set_cells("LaporanHarian", "kirimanH1-1", {"verifikasi": "Mungkin"})
    assert backend.records("LaporanHarian")[0]["kuantitas"] == 2.5


def test_upsert_inserts_updates_and_leaves_unchanged(backend: Store) -> None:
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan"}
    first = backend.upsert("Unit", [unit])
    assert (first.inserted, first.updated, first.unchanged) == (1, 0, 0)
    again = backend.upsert("Unit", [unit])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    renamed = backend.upsert("Unit", [{**unit, "nama": "Kelurahan Uji Baru"}])
    assert (renamed.inserted, renamed.updated, renamed.unchanged) == (0, 1, 0)
    assert backend.records("Unit")[0]["nama"] == "Kelurahan Uji Baru"


def test_upsert_many_is_all_or_nothing(backend: Store) -> None:
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan"}
    bad_person = {"nip": "123", "nama": "X", "jabatan": "Y", "unit": "KEL-UJI"}
    with pytest.raises(ValidationError):
        backend.upsert_many({"Unit": [unit], "Pegawai": [bad_person]})
    assert backend.count("Unit") == 0


def test_schema_defaults_fill_empty_cells(backend: Store) -> None:
    backend.upsert("Pegawai", [{"nip": "199003032015031003", "nama": "Budi", "jabatan": "Staf", "unit": "KEL-UJI"}])
    person = backend.records("Pegawai")[0]
    assert person["aktif"] is True and person["versi_tautan"] == 1


def test_replace_period_rewrites_only_that_period(tmp_path: Path) -> None:
    # No derived sheet exists yet in this issue: a small one is declared for the test.
    derived = schema.Sheet(
        name="Turunan",
        title="Turunan",
        kind="derived",
        description="uji",
        key="id",
        period_column="periode",
        columns=(
            schema.Column("id", "ID", "string", "id", required=True),
            schema.Column("periode", "Periode", "string", "periode", required=True),
            schema.Column("nilai", "Nilai", "number", "nilai"),
        ),
    )
    store = SQLiteStore(tmp_path / "turunan.sqlite3", sheets={"Turunan": derived})
    store.replace_period("Turunan", "2026-W47", [{"id": "a", "periode": "2026-W47", "nilai": 1}])
    store.replace_period("Turunan", "2026-W48", [{"id": "b", "periode": "2026-W48", "nilai": 2}])
    store.replace_period("Turunan", "2026-W48", [{"id": "c", "periode": "2026-W48", "nilai": 3}])
    assert [(r["id"], r["nilai"]) for r in store.records("Turunan")] == [("a", 1), ("c", 3)]


def test_sqlite_tables_and_headers_come_from_the_schema(tmp_path: Path) -> None:
    import sqlite3

    SQLiteStore(tmp_path / "s.sqlite3").close()
    conn = sqlite3.connect(tmp_path / "s.sqlite3")
    for sheet in schema.load_all().values():
        columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{sheet.name}")')]
        assert columns == sheet.keys
    conn.close()


def test_sqlite_adds_columns_that_the_schema_gains(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "lama.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute('CREATE TABLE "Unit" ("kode" TEXT PRIMARY KEY, "nama" TEXT)')
    conn.execute("INSERT INTO \"Unit\" VALUES ('A', 'Unit A')")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    assert store.records("Unit")[0]["nama"] == "Unit A"
    assert "nip_kepala" in store.records("Unit")[0]


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "w.sqlite3")
    with store._reader() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_delete_removes_rows_by_key(backend: Store) -> None:
    backend.upsert("Unit", [{"kode": k, "nama": f"Unit {k}", "jenis": "Bidang"} for k in ("A", "B", "C")])
    assert backend.delete("Unit", ["A", "C", "TIDAK-ADA"]) == 2
    assert [r["kode"] for r in backend.records("Unit")] == ["B"]

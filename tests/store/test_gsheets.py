"""The Google Sheets store against the Sheets API test server: quota economy, retries, layout, views.

The store contract itself runs in ``test_store.py`` (the "gsheets" backend); this file covers what only the Google
backend has. Request counts come from the server's own counters (``control.stats()``) and log.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from functions import schema
from functions.errors import ConfigurationError, Conflict, StoreUnavailable
from functions.store.google_http import (
    TEST_TOKEN,
    AmbiguousWrite,
    RetryPolicy,
    SheetsApiError,
    is_loopback,
    load_credentials,
)
from functions.store.gsheets import GSheetsStore
from functions.store.layout import INTAKE, VIEW, Place
from tests.store.test_contract import activity
from tests.support import sheets_client
from tests.support.sheets_client import ServedStore, served_store

WIB = ZoneInfo("Asia/Jakarta")
DAY = date(2026, 11, 27)


class FakeTime:
    """A clock that only sleeping moves (and that moves the server's quota clock along)."""

    def __init__(self, store: ServedStore | None = None) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.store = store

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.store is not None:
            self.store.server.control.advance_clock(seconds)


UNIT = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan"}


@pytest.fixture
def store() -> Iterator[ServedStore]:
    s = served_store()
    yield s
    s.close()


@pytest.fixture
def with_unit(store: ServedStore) -> ServedStore:
    """A store whose Unit sheet exists and holds one unit (a read of it then costs one request)."""
    store.upsert("Unit", [UNIT])
    return store


def quick(store: ServedStore, deadline: float = 30.0) -> FakeTime:
    """Give the store a retry policy on fake time (no real waiting)."""
    fake = FakeTime(store)
    store.api.http.policy = RetryPolicy(deadline=deadline, sleep=fake.sleep, clock=fake.clock)
    return fake


def counts(store: ServedStore) -> dict[str, int]:
    return dict(store.server.control.stats()["requests"])


def reset(store: ServedStore) -> None:
    store.server.control.reset(data=False)


def submission(n: int, day: date = DAY, activities: int = 1, **extra: Any) -> list[dict[str, Any]]:
    return [activity(f"kiriman{n:04d}", a, day, **extra) for a in range(1, activities + 1)]


def spreadsheet_titled(store: ServedStore, title: str) -> Any:
    found = [s for s in store.server.control.store.spreadsheets.values() if s.properties["title"] == title]
    assert len(found) == 1, title
    return found[0]


def column_values(store: ServedStore, title: str, sheet: str, column: int) -> list[Any]:
    grid = spreadsheet_titled(store, title).by_title(sheet).grid
    return [grid.get(r, column) for r in range(1, grid.max_row() + 1)]


# -- quota economy ----------------------------------------------------------------------------------------------


def test_appending_100_submissions_in_one_call_is_one_write_request(store: ServedStore) -> None:
    store.append("LaporanHarian", submission(0))  # the month's spreadsheet is made on first need
    reset(store)
    rows = [row for n in range(1, 101) for row in submission(n, activities=2)]
    result = store.append("LaporanHarian", rows)
    assert (result.inserted, result.duplicates) == (200, 0)
    assert counts(store) == {"read": 0, "write": 1, "drive": 0}
    assert store.count("LaporanHarian") == 201


def test_append_uses_raw_insert_rows_and_an_explicit_table_range(store: ServedStore) -> None:
    sent: list[str] = []
    store._session.hooks["response"].append(lambda r, *a, **k: sent.append(f"{r.request.method} {r.request.url}"))
    store.append("LaporanHarian", submission(1))
    store.append("LaporanHarian", submission(2))
    appends = [url for url in sent if "LaporanHarian" in url and ":append" in url]
    assert len(appends) == 2
    assert all("/values/%27LaporanHarian%27%21A1%3AV1:append" in url for url in appends)  # 22 columns, A to V
    assert all("valueInputOption=RAW" in url for url in appends)
    # The first rows of an empty sheet go into the formatted rows under the header; later ones are inserted.
    assert "insertDataOption=OVERWRITE" in appends[0] and "insertDataOption=INSERT_ROWS" in appends[1]


def test_a_sheet_is_read_once_per_job(store: ServedStore) -> None:
    store.upsert("Unit", [{"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan"}])
    store.append("LaporanHarian", submission(1))
    store.begin_job()
    reset(store)
    assert len(store.records("Unit")) == 1
    assert len(store.records("Unit", where={"kode": "KEL-UJI"})) == 1
    assert counts(store)["read"] == 1
    reset(store)
    store.records("LaporanHarian", start=DAY, end=DAY)
    store.frame("LaporanHarian", where={"nip": "199003032015031003"})
    assert counts(store)["read"] == 2  # the registry and the month's part, each once


def test_append_reads_only_the_key_columns(store: ServedStore) -> None:
    store.append("LaporanHarian", submission(1, activities=2))
    store.begin_job()
    reset(store)
    store.append("LaporanHarian", submission(2))
    gets = [e["path"] for e in store.server.control.log if e["method"] == "GET"]
    assert [p.rsplit("/", 1)[-1] for p in gets] == ["values:batchGet"]  # no whole-sheet read, no registry read
    reset(store)
    retry = submission(1, activities=2)
    assert store.append("LaporanHarian", retry).was_duplicate  # its rows are fetched whole to compare
    assert counts(store) == {"read": 1, "write": 0, "drive": 0}
    with pytest.raises(Conflict):
        store.append("LaporanHarian", [{**retry[0], "kuantitas": 9}, retry[1]])


def test_metadata_is_fetched_once_per_spreadsheet(store: ServedStore) -> None:
    store.append("LaporanHarian", submission(1))
    store.begin_job()
    store.server.control.reset(data=False)
    store.append("LaporanHarian", submission(2))
    store.records("Unit")
    paths = [entry["path"] for entry in store.server.control.log]
    assert not [p for p in paths if p.count("/") == 3 and p.startswith("/v4/spreadsheets/")]  # no spreadsheets.get


def test_cached_rows_expire_after_cache_seconds(with_unit: ServedStore) -> None:
    store = with_unit
    fake = FakeTime()
    store.catalog.clock = fake.clock
    store.catalog.cache_seconds = 60
    store.begin_job()
    store.records("Unit")
    reset(store)
    store.records("Unit")
    fake.now += 61
    store.records("Unit")
    assert counts(store)["read"] == 1
    store.records("Unit")
    assert counts(store)["read"] == 1


def test_set_cells_is_one_values_batch_update(store: ServedStore) -> None:
    store.append("LaporanHarian", submission(1, activities=3))
    store.records("LaporanHarian")  # the supervisor's page read the rows first
    reset(store)
    store.set_cells("LaporanHarian", "kiriman0001-2", {"verifikasi": "Disetujui", "catatan_verifikasi": "Bagus"})
    assert counts(store) == {"read": 0, "write": 1, "drive": 0}
    title = Place(INTAKE, "2026-11.4").title
    assert column_values(store, title, "LaporanHarian", 15) == ["Menunggu", "Disetujui", "Menunggu"]
    store.set_cells("LaporanHarian", "kiriman0001-2", {"catatan_verifikasi": None})
    assert column_values(store, title, "LaporanHarian", 16) == [None, None, None]


def test_upsert_many_is_one_atomic_request(store: ServedStore) -> None:
    store.upsert("Unit", [{"kode": "A", "nama": "Unit A", "jenis": "Dinas"}])
    store.records("Pegawai")  # a worksheet is added on first write; that is a request of its own
    store.catalog.add_worksheets(store.admin_id, [store.sheets["Pegawai"]])
    reset(store)
    result = store.upsert_many(
        {
            "Unit": [
                {"kode": "A", "nama": "Unit A Baru", "jenis": "Dinas"},
                {"kode": "B", "nama": "B", "jenis": "Badan"},
            ],
            "Pegawai": [{"nip": "199003032015031003", "nama": "Budi", "jabatan": "Staf", "unit": "A"}],
        }
    )
    assert counts(store)["write"] == 1
    assert (result["Unit"].inserted, result["Unit"].updated, result["Pegawai"].inserted) == (1, 1, 1)
    store.begin_job()
    assert [u["nama"] for u in store.records("Unit")] == ["Unit A Baru", "B"]


def test_replace_period_is_one_write_and_keeps_the_other_periods(store: ServedStore) -> None:
    def warning(i: str, period: str) -> dict[str, Any]:
        return {
            "id": i,
            "periode": period,
            "nip": "199003032015031003",
            "nama": "Budi",
            "unit": "KEL-UJI",
            "jenis": "Tidak Melapor",
            "tingkat": "Perhatian",
            "alasan": "uji",
        }

    store.replace_period("Peringatan", "2026-W47", [warning("a", "2026-W47"), warning("b", "2026-W47")])
    store.replace_period("Peringatan", "2026-W48", [warning("c", "2026-W48")])
    reset(store)
    store.replace_period("Peringatan", "2026-W47", [warning("d", "2026-W47")])
    assert counts(store)["write"] == 1
    store.begin_job()
    assert [r["id"] for r in store.records("Peringatan")] == ["c", "d"]
    title = Place("turunan", "2026-11").title
    assert column_values(store, title, "Peringatan", 0) == ["c", "d"]  # no gap, no leftover row


# -- types -------------------------------------------------------------------------------------------------------


def test_cells_are_raw_and_come_back_typed(store: ServedStore) -> None:
    store.append("LaporanHarian", [activity("kirimanT1", 1, DAY, kegiatan="=1+1", kendala="'kutip")])
    store.upsert("Pegawai", [{"nip": "199003032015031003", "nama": "Budi", "jabatan": "Staf", "unit": "A"}])
    title = Place(INTAKE, "2026-11.4").title
    grid = spreadsheet_titled(store, title).by_title("LaporanHarian").grid
    assert grid.get(1, 6) == "=1+1" and grid.get(1, 13) == "'kutip"  # text stays text (RAW)
    assert grid.get(1, 9) == 2.5 and grid.get(1, 11) == 60  # numbers are numbers
    assert grid.get(1, 5) == "2026-11-27" and grid.get(1, 14) == "2026-11-30T15:00:00+07:00"
    admin = store.server.control.store.spreadsheets[store.admin_id].by_title("Pegawai").grid
    assert admin.get(1, 0) == "199003032015031003" and admin.get(1, 6) == "Ya"
    store.begin_job()
    row = store.records("LaporanHarian")[0]
    assert row["kegiatan"] == "=1+1" and row["kuantitas"] == 2.5 and row["tanggal"] == DAY
    assert row["diterima_pada"] == datetime(2026, 11, 30, 15, 0, tzinfo=WIB)
    assert store.records("Pegawai")[0]["aktif"] is True


def test_a_wrong_header_row_is_a_configuration_error(with_unit: ServedStore) -> None:
    store = with_unit
    sheets_client.client(store.server.url).open_by_key(store.admin_id).worksheet("Unit").update([["Kode"]], "A1")
    store.begin_job()
    with pytest.raises(ConfigurationError, match="init"):
        store.records("Unit")


# -- retries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 503])
def test_reads_retry_then_succeed(with_unit: ServedStore, status: int) -> None:
    store = with_unit
    fake = quick(store)
    store.begin_job()
    store.server.control.fail_next(3, status=status, kind="read")
    assert store.records("Unit") == [UNIT | {"induk": None, "nip_kepala": None, "predikat_organisasi": "Baik"}]
    assert len(fake.sleeps) == 3


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_append_rides_out_failures_without_duplicating(store: ServedStore, status: int) -> None:
    quick(store)
    store.append("LaporanHarian", submission(1))
    store.server.control.fail_next(2, status=status, kind="write")  # 5xx: twice read again, then appended
    result = store.append("LaporanHarian", submission(2, activities=2))
    assert result.inserted == 2
    store.begin_job()
    assert [r["id"] for r in store.records("LaporanHarian")] == ["kiriman0001-1", "kiriman0002-1", "kiriman0002-2"]


def test_an_append_applied_but_unanswered_is_not_repeated(store: ServedStore) -> None:
    """A 5xx after Google applied the append: the store reads again and finds the rows there."""
    store.append("LaporanHarian", submission(1))
    real = store.api.append

    def applied_then_lost(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise AmbiguousWrite("lost answer", code=503)

    store.api.append = applied_then_lost  # type: ignore[method-assign]
    result = store.append("LaporanHarian", submission(2))
    store.api.append = real  # type: ignore[method-assign]
    assert result.inserted == 1
    store.begin_job()
    assert store.count("LaporanHarian") == 2


def test_retries_stop_at_the_deadline(with_unit: ServedStore) -> None:
    store = with_unit
    fake = quick(store, deadline=10.0)
    store.begin_job()
    store.server.control.fail_next(1000, status=503, kind="read")
    with pytest.raises(StoreUnavailable) as excinfo:
        store.records("Unit")
    assert excinfo.value.code == 503 and excinfo.value.status == 503
    assert fake.now <= 10.0
    assert all(s <= 8.0 for s in fake.sleeps)  # capped
    assert len(set(fake.sleeps)) == len(fake.sleeps)  # jittered


@pytest.mark.parametrize("status", [400, 403, 404])
def test_other_client_errors_are_not_retried(with_unit: ServedStore, status: int) -> None:
    store = with_unit
    fake = quick(store)
    store.begin_job()
    store.server.control.reset(data=False)
    store.server.control.fail_next(1, status=status, kind="read")
    with pytest.raises(SheetsApiError) as excinfo:
        store.records("Unit")
    assert excinfo.value.code == status and fake.sleeps == []
    assert len(store.server.control.log) == 1
    assert excinfo.value.google_message  # Google's words are kept


def test_an_unparseable_range_keeps_googles_message(store: ServedStore) -> None:
    with pytest.raises(SheetsApiError, match="Unable to parse range") as excinfo:
        store.api.values(store.admin_id, "'Tidak Ada'!A1:B")
    assert excinfo.value.code == 400


def test_a_burst_over_the_quota_loses_nothing(store: ServedStore) -> None:
    """Over the per-minute write quota the store waits (here: on fake time) and gives up at the deadline with
    StoreUnavailable; the caller retries later and every submission ends up stored exactly once."""
    store.append("LaporanHarian", submission(0))
    store.server.control.set_limits(write_per_minute_per_user=5)
    fake = quick(store, deadline=20.0)
    pending, refusals = list(range(1, 21)), 0
    while pending:
        n = pending[0]
        try:
            store.append("LaporanHarian", submission(n))
            pending.pop(0)
        except StoreUnavailable as err:
            assert err.code == 429
            refusals += 1
            fake.sleep(60)  # the caller (the spool) tries again later
    assert refusals and fake.sleeps
    assert store.server.control.stats()["max_per_minute_per_user"]["write"] <= 5
    store.begin_job()
    assert store.count("LaporanHarian") == 21
    assert len({r["id"] for r in store.records("LaporanHarian")}) == 21


# -- layout and views --------------------------------------------------------------------------------------------


def test_laporan_harian_is_partitioned_by_month_and_registered(store: ServedStore) -> None:
    store.append("LaporanHarian", submission(1, day=date(2026, 10, 30)))
    store.append("LaporanHarian", submission(2, day=date(2026, 11, 2)))
    october, november = Place(INTAKE, "2026-10.4"), Place(INTAKE, "2026-11.1")
    assert column_values(store, october.title, "LaporanHarian", 1) == ["kiriman0001"]
    assert column_values(store, november.title, "LaporanHarian", 1) == ["kiriman0002"]
    registry = column_values(store, "Pantau Kinerja — Admin", "_Berkas", 1)
    assert registry == ["2026-10.4", "2026-11.1"]
    store.begin_job()
    reset(store)
    assert [r["id_kiriman"] for r in store.records("LaporanHarian", start=date(2026, 11, 1))] == ["kiriman0002"]
    assert counts(store)["read"] == 2  # the registry and November's part only
    assert [r["id_kiriman"] for r in store.records("LaporanHarian")] == ["kiriman0001", "kiriman0002"]


def test_a_new_store_finds_the_partitions_in_the_registry(store: ServedStore) -> None:
    store.append("LaporanHarian", submission(1))
    other = GSheetsStore(store.admin_id, api_url=store.server.url)
    try:
        assert other.append("LaporanHarian", submission(1)).was_duplicate
        assert other.count("LaporanHarian") == 1
    finally:
        other.close()
    assert store.server.control.stats()["spreadsheets"] == 2  # admin and November's part: nothing made twice


def test_two_processes_making_the_same_partition_keep_the_first_registered(store: ServedStore) -> None:
    other = GSheetsStore(store.admin_id, api_url=store.server.url)
    real_create = other.api.create

    def racing(title: str, folder_id: str | None = None) -> str:
        store.append("LaporanHarian", submission(1))  # the first process makes and registers it meanwhile
        return real_create(title, folder_id)

    other.api.create = racing  # type: ignore[method-assign]
    try:
        other.append("LaporanHarian", submission(2))
    finally:
        other.close()
    parts = [s for s in store.server.control.store.spreadsheets.values() if "2026-11" in s.properties["title"]]
    assert len(parts) == 1  # the loser deleted its copy
    assert column_values(store, parts[0].properties["title"], "LaporanHarian", 1) == ["kiriman0001", "kiriman0002"]


def test_contacts_and_complaints_stay_in_fixed_spreadsheets(store: ServedStore) -> None:
    store.append("AduanKontak", [{"id": "aduan0001", "telepon": "08123", "diterima_pada": datetime.now(WIB)}])
    store.append(
        "Aduan",
        [
            {
                "id": "aduan0001",
                "kode": "ADU-1",
                "tanggal": DAY,
                "diterima_pada": datetime(2026, 11, 27, 9, tzinfo=WIB),
                "kategori": "Pelayanan",
                "uraian": "uji",
                "privasi": "Rahasia",
                "ada_kontak": True,
                "batas_verifikasi": datetime(2026, 11, 30, 9, tzinfo=WIB),
                "batas_tindak_lanjut": datetime(2026, 12, 10, 9, tzinfo=WIB),
            }
        ],
    )
    assert column_values(store, "Pantau Kinerja — Kontak Pelapor", "AduanKontak", 0) == ["aduan0001"]
    assert column_values(store, "Pantau Kinerja — Masukan", "Aduan", 0) == ["aduan0001"]


def test_each_opd_view_gets_only_its_own_units_rows(store: ServedStore) -> None:
    from functions.tools.sheets_init import init

    store.upsert(
        "Unit",
        [
            {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "Dinas"},
            {"kode": "PKM-A", "nama": "Puskesmas A", "jenis": "Puskesmas", "induk": "DINKES"},
            {"kode": "DISDIK", "nama": "Dinas Pendidikan", "jenis": "Dinas"},
        ],
    )
    init(store, "2026-11", share=False)

    def unit_row(unit: str, period: str) -> dict[str, Any]:
        return {"id": f"{period}:{unit}", "periode": period, "jenis_periode": "Minggu", "unit": unit, "pegawai": 3}

    store.replace_period("SkorUnit", "2026-W47", [unit_row(u, "2026-W47") for u in ("DINKES", "PKM-A", "DISDIK")])
    store.replace_period("SkorUnit", "2026-W48", [unit_row("PKM-A", "2026-W48"), unit_row("DISDIK", "2026-W48")])
    store.replace_period("SkorUnit", "2026-W47", [unit_row("DISDIK", "2026-W47")])
    dinkes, disdik = Place(VIEW, "DINKES").title, Place(VIEW, "DISDIK").title
    assert column_values(store, dinkes, "SkorUnit", 0) == ["2026-W48:PKM-A"]
    assert column_values(store, disdik, "SkorUnit", 0) == ["2026-W48:DISDIK", "2026-W47:DISDIK"]
    city = column_values(store, Place("turunan", "2026-11").title, "SkorUnit", 0)
    assert city == ["2026-W48:PKM-A", "2026-W48:DISDIK", "2026-W47:DISDIK"]


def test_a_job_can_write_each_view_once(store: ServedStore) -> None:
    from functions.tools.sheets_init import init

    store.upsert("Unit", [{"kode": c, "nama": c, "jenis": "Dinas"} for c in ("DINKES", "DISDIK")])
    init(store, "2026-11", share=False)
    store.begin_job()
    store.records("Unit")
    reset(store)

    def row(unit: str, period: str, kind: str = "Minggu") -> dict[str, Any]:
        return {"id": f"{period}:{unit}", "periode": period, "jenis_periode": kind, "unit": unit, "pegawai": 1}

    with store.views_batched():
        store.replace_period("SkorUnit", "2026-W47", [row("DINKES", "2026-W47"), row("DISDIK", "2026-W47")])
        store.replace_period("SkorUnit", "2026-W48", [row("DINKES", "2026-W48"), row("DISDIK", "2026-W48")])
        store.replace_period("SkorUnit", "2026-11", [row("DINKES", "2026-11", "Bulan")])
        store.replace_period("SkorUnit", "2026-W48", [row("DISDIK", "2026-W48")])
    assert counts(store)["write"] == 4 + 2  # the city sheet per call, each view once
    dinkes = column_values(store, Place(VIEW, "DINKES").title, "SkorUnit", 0)
    assert dinkes == ["2026-W47:DINKES", "2026-11:DINKES"]
    assert column_values(store, Place(VIEW, "DISDIK").title, "SkorUnit", 0) == ["2026-W47:DISDIK", "2026-W48:DISDIK"]


def test_a_failed_job_sends_no_held_view_writes(store: ServedStore) -> None:
    from functions.tools.sheets_init import init

    store.upsert("Unit", [{"kode": "DINKES", "nama": "Dinkes", "jenis": "Dinas"}])
    init(store, "2026-11", share=False)
    row = {"id": "a", "periode": "2026-W48", "jenis_periode": "Minggu", "unit": "DINKES", "pegawai": 1}
    with pytest.raises(RuntimeError), store.views_batched():
        store.replace_period("SkorUnit", "2026-W48", [row])
        raise RuntimeError("the job broke")
    assert column_values(store, Place(VIEW, "DINKES").title, "SkorUnit", 0) == []
    with store.views_batched():  # running the job again heals the view
        store.replace_period("SkorUnit", "2026-W48", [row])
    assert column_values(store, Place(VIEW, "DINKES").title, "SkorUnit", 0) == ["a"]


@pytest.mark.parametrize(
    "filters",
    [{}, {"start": date(2026, 11, 1)}, {"where": {"verifikasi": "Menunggu"}}, {"where": {"nip": "none"}}],
    ids=["all", "from-november", "waiting", "nothing"],
)
def test_a_frame_of_a_split_sheet_is_the_frame_of_its_records(store: ServedStore, filters: dict[str, Any]) -> None:
    """frame() of a big intake sheet is built part by part, in columns: the same frame, values and dtypes, as
    one built from the rows records() gives."""
    import pandas as pd

    for n, day in enumerate((date(2026, 10, 2), date(2026, 10, 30), date(2026, 11, 3), date(2026, 11, 27))):
        store.append("LaporanHarian", submission(n, day, activities=2))
    store.begin_job()
    expected = pd.DataFrame.from_records(
        store.records("LaporanHarian", **filters), columns=schema.sheet("LaporanHarian").keys
    )
    got = store.frame("LaporanHarian", **filters)
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) == {"all": 8, "from-november": 4, "waiting": 8, "nothing": 0}[_filter_id(filters)]


def _filter_id(filters: dict[str, Any]) -> str:
    if "start" in filters:
        return "from-november"
    where = filters.get("where", {})
    return "waiting" if "verifikasi" in where else "nothing" if where else "all"


def test_jobs_one_after_another_keep_the_views_grid_in_step(store: ServedStore) -> None:
    """A held view write that grows a sheet updates the store's row counts: the next job does not grow it again."""
    from functions.store import scheduled_job
    from functions.tools.sheets_init import init

    store.upsert("Unit", [{"kode": "DINKES", "nama": "Dinkes", "jenis": "Dinas"}])
    init(store, "2026-11", share=False)
    rows = [
        {"id": f"2026-W48:{n}", "periode": "2026-W48", "jenis_periode": "Minggu", "unit": "DINKES", "pegawai": n}
        for n in range(1500)  # more than the 1,000 rows a new worksheet has
    ]
    heights = []
    for _job in range(3):
        with scheduled_job(store):
            store.replace_period("SkorUnit", "2026-W48", rows)
        heights.append(spreadsheet_titled(store, Place(VIEW, "DINKES").title).by_title("SkorUnit").row_count)
    assert heights == [1501, 1501, 1501]
    assert len(column_values(store, Place(VIEW, "DINKES").title, "SkorUnit", 0)) == 1500


def test_a_job_holds_back_only_its_own_threads_view_writes(store: ServedStore) -> None:
    """The local scheduler runs jobs in threads beside the web requests: a request's view write is not held
    back by, nor waits for, a job in progress."""
    from functions.store import scheduled_job
    from functions.tools.sheets_init import init

    store.upsert("Unit", [{"kode": c, "nama": c, "jenis": "Dinas"} for c in ("DINKES", "DISDIK")])
    init(store, "2026-11", share=False)
    deadline = store.deadline
    inside, release = threading.Event(), threading.Event()

    def job() -> None:
        with scheduled_job(store):
            store.replace_period("SkorUnit", "2026-W47", [unit_score("DINKES", "2026-W47")])
            inside.set()
            assert release.wait(30)

    worker = threading.Thread(target=job)
    worker.start()
    try:
        assert inside.wait(30)
        assert store.deadline >= 150  # the job's patience, while it runs
        store.replace_period("SkorUnit", "2026-W48", [unit_score("DISDIK", "2026-W48")])  # a request, meanwhile
        assert column_values(store, Place(VIEW, "DISDIK").title, "SkorUnit", 0) == ["2026-W48:DISDIK"]
        assert column_values(store, Place(VIEW, "DINKES").title, "SkorUnit", 0) == []  # held until the job ends
    finally:
        release.set()
        worker.join(30)
    assert column_values(store, Place(VIEW, "DINKES").title, "SkorUnit", 0) == ["2026-W47:DINKES"]
    assert store.deadline == deadline  # back to a form's patience


def unit_score(unit: str, period: str) -> dict[str, Any]:
    return {"id": f"{period}:{unit}", "periode": period, "jenis_periode": "Minggu", "unit": unit, "pegawai": 1}


# -- credentials and transport -----------------------------------------------------------------------------------


def test_a_loopback_api_url_gets_a_static_token() -> None:
    credentials = load_credentials(api_url="http://127.0.0.1:8090")
    assert credentials.token == TEST_TOKEN
    assert is_loopback("http://localhost:1") and not is_loopback("https://sheets.googleapis.com")


def test_a_service_account_file_is_used_locally(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    info = {
        "type": "service_account",
        "project_id": "kinerja-uji",
        "private_key_id": "1",
        "private_key": pem.decode(),
        "client_email": "kinerja@kinerja-uji.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    path = tmp_path / "akun-layanan.json"
    path.write_text(json.dumps(info))
    credentials = load_credentials(credentials_file=path)
    assert credentials.service_account_email == info["client_email"]
    assert "https://www.googleapis.com/auth/spreadsheets" in credentials.scopes
    with pytest.raises(ConfigurationError, match="KINERJA_GOOGLE_CREDENTIALS"):
        load_credentials(credentials_file=tmp_path / "tidak-ada.json")


def test_application_default_credentials_on_cloud_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    seen: dict[str, Any] = {}

    def default(scopes: list[str]) -> tuple[str, str]:
        seen["scopes"] = scopes
        return "runtime-service-account", "proyek"

    monkeypatch.setattr(google.auth, "default", default)
    assert load_credentials() == "runtime-service-account"
    assert "https://www.googleapis.com/auth/drive" in seen["scopes"]

    def missing(scopes: list[str]) -> tuple[str, str]:
        raise DefaultCredentialsError("none")

    monkeypatch.setattr(google.auth, "default", missing)
    with pytest.raises(ConfigurationError, match="Kredensial Google"):
        load_credentials()


def test_backoff_is_capped_full_jitter() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0)
    for attempt in range(12):
        delays = [policy.backoff(attempt) for _ in range(50)]
        assert all(0 <= d <= min(8.0, 0.5 * 2**attempt) for d in delays)
    assert max(policy.backoff(10) for _ in range(200)) > 4.0


def test_a_connection_error_is_retried_until_the_deadline() -> None:
    fake = FakeTime()
    policy = RetryPolicy(deadline=5.0, sleep=fake.sleep, clock=fake.clock)

    def refuse(timeout: float) -> requests.Response:
        raise requests.ConnectionError("refused")

    with pytest.raises(StoreUnavailable) as excinfo:
        policy.send(refuse, safe=True, what="uji")
    assert excinfo.value.code is None and "refused" in excinfo.value.google_message
    with pytest.raises(AmbiguousWrite):
        policy.send(refuse, safe=False, what="uji")

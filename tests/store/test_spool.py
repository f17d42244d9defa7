"""The spool (both backends), the spooled store and the flush, with the SQLite store as the target.

Faults of Google Sheets are in ``test_spool_faults.py``, the quota burst in ``test_quota_burst.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask, Response, request

from functions import schema
from functions.errors import ConfigurationError, Conflict, StoreUnavailable, ValidationError
from functions.runtime import Runtime
from functions.settings import Settings
from functions.staff import reports
from functions.store import AppendResult, Store
from functions.store import flush as flush_module
from functions.store.flush import flush
from functions.store.rows import same_content
from functions.store.spool import Spool, SQLiteSpool, digest
from functions.store.spool_firestore import FirestoreSpool
from functions.store.spooled_store import SpooledStore, run_flush
from functions.store.sqlite import SQLiteStore
from functions.web import scheduled
from tests.conftest import SECRET, STAFF_A, STAFF_B
from tests.store import test_contract as contract
from tests.store.test_contract import WIB, activity
from tests.support.firestore_fake import FakeFirestore, running_fake
from tests.support.scheduler import Scheduler

DAY = date(2026, 11, 27)
SHEET = "LaporanHarian"


class Clock:
    """A settable POSIX clock for leases and pruning."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def firestore() -> Iterator[FakeFirestore]:
    with running_fake() as fake:
        yield fake


def _firestore_spool(fake: FakeFirestore, name: str, clock: Clock, deadline: float = 2.0) -> FirestoreSpool:
    project = "uji-" + "".join(ch if ch.isalnum() else "-" for ch in name)[-60:]
    return FirestoreSpool(project, fake.session(), base_url=fake.url, clock=clock, deadline=deadline, sleep=_no_sleep)


def _no_sleep(_seconds: float) -> None:
    pass


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", "firestore"])
def spool(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock, firestore: FakeFirestore) -> Iterator[Spool]:
    if request.param == "sqlite":
        made: Spool = SQLiteSpool(tmp_path / "antrean.sqlite3", clock=clock)
    else:
        made = _firestore_spool(firestore, request.node.name, clock)
    yield made
    made.close()


def submission(name: str, count: int = 2, day: date = DAY, **extra: Any) -> list[dict[str, Any]]:
    return [activity(name, n, day, **extra) for n in range(1, count + 1)]


# -- the spool contract ----------------------------------------------------------------------------------------------


def test_put_keeps_rows_pending_in_arrival_order(spool: Spool) -> None:
    first = spool.put(SHEET, submission("kirimanA1"))
    spool.put(SHEET, submission("kirimanA2", 1))
    spool.put(SHEET, submission("kirimanA3", 3))
    assert (first.inserted, first.duplicates) == (2, 0)
    groups = spool.pending(SHEET, 10)
    assert [g.group for g in groups] == ["kirimanA1", "kirimanA2", "kirimanA3"]
    assert [len(g.rows) for g in groups] == [2, 1, 3]
    assert groups[0].rows[0] == {**activity("kirimanA1", 1, DAY), **_defaults()}
    assert [g.group for g in spool.pending(SHEET, 2)] == ["kirimanA1", "kirimanA2"]
    assert spool.pending("Survei", 10) == []


def _defaults() -> dict[str, Any]:
    return {
        "catatan_verifikasi": None,
        "diverifikasi_oleh": None,
        "diverifikasi_pada": None,
        "menggantikan": None,
        "foto": None,
        "sumber": "Aplikasi",  # the sheet's default: the form's own activities
    }


def test_put_same_submission_again_is_a_no_op(spool: Spool) -> None:
    rows = submission("kirimanB1")
    spool.put(SHEET, rows)
    retry = [{**r, "diterima_pada": datetime(2026, 11, 30, 15, 5, tzinfo=WIB)} for r in reversed(rows)]
    result = spool.put(SHEET, retry)
    assert (result.inserted, result.duplicates) == (0, 2) and result.was_duplicate
    assert len(spool.pending_rows(SHEET)) == 2


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: [{**rows[0], "kuantitas": 3}, rows[1]],
        lambda rows: [*rows, activity("kirimanC1", 3, DAY)],
        lambda rows: rows[:1],
    ],
    ids=["other-content", "extra-activity", "fewer-activities"],
)
def test_put_same_submission_with_other_content_conflicts(
    spool: Spool, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> None:
    rows = submission("kirimanC1")
    spool.put(SHEET, rows)
    with pytest.raises(Conflict):
        spool.put(SHEET, change(rows))
    assert [r["kuantitas"] for r in spool.pending_rows(SHEET)] == [2.5, 2.5]


def test_put_is_all_or_nothing(spool: Spool) -> None:
    spool.put(SHEET, submission("kirimanD1"))
    with pytest.raises(ValidationError):
        spool.put(SHEET, [activity("kirimanD2", 1, DAY), activity("kirimanD2", 2, DAY, durasi_menit=-5)])
    with pytest.raises(Conflict):  # a new group and a conflicting one: neither is kept
        spool.put(SHEET, [*submission("kirimanD3"), {**activity("kirimanD1", 1, DAY), "kegiatan": "Lain"}])
    with pytest.raises(Conflict):  # one key twice in a group
        spool.put(SHEET, [activity("kirimanD4", 1, DAY), activity("kirimanD4", 1, DAY)])
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanD1"]


def test_put_of_several_groups_counts_new_and_repeated(spool: Spool) -> None:
    spool.put(SHEET, submission("kirimanE1"))
    result = spool.put(SHEET, submission("kirimanE1") + submission("kirimanE2", 3))
    assert (result.inserted, result.duplicates) == (3, 2)
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanE1", "kirimanE2"]


def test_flushed_groups_leave_the_queue_but_retries_are_still_recognised(spool: Spool) -> None:
    rows = submission("kirimanF1")
    spool.put(SHEET, rows)
    spool.put(SHEET, submission("kirimanF2"))
    spool.mark_flushed([spool.pending(SHEET, 1)[0].id])
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanF2"]
    assert {r["id_kiriman"] for r in spool.pending_rows(SHEET)} == {"kirimanF2"}
    assert spool.put(SHEET, rows).was_duplicate
    with pytest.raises(Conflict):
        spool.put(SHEET, [{**rows[0], "kegiatan": "Lain"}, rows[1]])
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanF2"]


def test_rejected_groups_leave_the_queue_and_are_listed(spool: Spool) -> None:
    spool.put(SHEET, submission("kirimanG1"))
    (group,) = spool.pending(SHEET, 10)
    spool.mark_rejected([group.id], "Conflict: isi lain")
    assert spool.pending(SHEET, 10) == []
    assert spool.rejected() == [(group.id, "Conflict: isi lain")]


def test_pending_rows_filter_as_the_store_does(spool: Spool, tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "banding.sqlite3")
    batches = [
        submission("kirimanH1", 1, date(2026, 11, 23)),
        submission("kirimanH2", 2, date(2026, 11, 24), unit="KEL-LAIN"),
        submission("kirimanH3", 1, date(2026, 11, 30), nip=STAFF_B),
        [activity("kirimanH4", 1, date(2026, 11, 25), bukti_dukung="https://contoh.go.id/b")],
    ]
    for rows in batches:
        store.append(SHEET, rows)
        spool.put(SHEET, rows)
    filters: list[dict[str, Any]] = [
        {},
        {"start": date(2026, 11, 24)},
        {"end": date(2026, 11, 24)},
        {"start": date(2026, 11, 24), "end": date(2026, 11, 25)},
        {"unit": "KEL-LAIN"},
        {"unit": ["KEL-UJI", "KEL-LAIN"]},
        {"where": {"nip": STAFF_B}},
        {"where": {"nip": STAFF_B}, "end": date(2026, 11, 29)},
        {"where": {"bukti_dukung": None}},
        {"where": {"kuantitas": 2.5, "durasi_menit": 60}},
        {"where": {"id_kiriman": "kirimanH2"}},
    ]
    for f in filters:
        assert spool.pending_rows(SHEET, **f) == store.records(SHEET, **f), f
    with pytest.raises(ValueError):
        spool.pending_rows("Unit", start=DAY)
    store.close()


def test_the_lease_admits_one_flush_at_a_time(spool: Spool, clock: Clock) -> None:
    assert spool.acquire("a", 60)
    assert not spool.acquire("b", 60)
    assert spool.acquire("a", 60)  # renewing
    spool.release("b")  # not b's to release
    assert not spool.acquire("b", 60)
    clock.now += 61
    assert spool.acquire("b", 60)  # a died without releasing: its lease ran out
    spool.release("b")
    assert spool.acquire("a", 60)


def test_prune_forgets_old_finished_entries_only(spool: Spool, clock: Clock) -> None:
    for name in ("kirimanI1", "kirimanI2", "kirimanI3"):
        spool.put(SHEET, submission(name))
    first, second, _third = spool.pending(SHEET, 3)
    spool.mark_flushed([first.id])
    spool.mark_rejected([second.id], "Conflict")
    clock.now += 10 * 86400
    assert spool.prune(keep_days=30) == 0
    clock.now += 21 * 86400
    assert spool.prune(keep_days=30) == 2
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanI3"] and spool.rejected() == []
    # A retry this late is spooled again; the target's append recognises it at flush time.
    assert spool.put(SHEET, submission("kirimanI1")).inserted == 2


def test_digest_agrees_with_same_content() -> None:
    sheet = schema.sheet(SHEET)
    rows = submission("kirimanJ1")
    variants = [
        list(reversed(rows)),
        [{**rows[0], "verifikasi": "Disetujui"}, rows[1]],
        [{**rows[0], "kuantitas": 2.5000001}, rows[1]],
        [{**rows[0], "durasi_menit": 61}, rows[1]],
        rows[:1],
        [{**rows[0], "kendala": ""}, rows[1]],
    ]
    for other in variants:
        clean = [sheet.validate(dict(r))[0] for r in other]
        original = [sheet.validate(dict(r))[0] for r in rows]
        assert (digest(sheet, clean) == digest(sheet, original)) == same_content(sheet, clean, original)


# -- backend specifics -----------------------------------------------------------------------------------------------


def test_sqlite_spool_survives_a_restart_and_syncs_every_put(tmp_path: Path) -> None:
    path = tmp_path / "antrean.sqlite3"
    first = SQLiteSpool(path)
    first.put(SHEET, submission("kirimanK1"))
    with first._reader() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with first._write() as writer:
        assert writer.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    first.close()
    again = SQLiteSpool(path)
    assert [g.group for g in again.pending(SHEET, 10)] == ["kirimanK1"]
    again.close()


@pytest.mark.parametrize(("status", "code"), [(503, None), (429, None), (500, None), (409, "ABORTED")])
def test_firestore_spool_retries_what_google_asks_to_retry(
    firestore: FakeFirestore, clock: Clock, status: int, code: str | None, request: pytest.FixtureRequest
) -> None:
    spool = _firestore_spool(firestore, request.node.name, clock)
    firestore.fail_next(3, status, code)
    assert spool.put(SHEET, submission("kirimanL1")).inserted == 2
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanL1"]


def test_firestore_spool_gives_up_with_503_past_its_deadline(
    firestore: FakeFirestore, clock: Clock, request: pytest.FixtureRequest
) -> None:
    spool = _firestore_spool(firestore, request.node.name, clock, deadline=0.5)
    firestore.fail_next(50, 503)
    with pytest.raises(StoreUnavailable) as raised:
        spool.put(SHEET, submission("kirimanM1"))
    assert raised.value.status == 503
    firestore.fail_next(0)
    firestore._faults.clear()
    assert spool.pending(SHEET, 10) == []


def test_firestore_spool_lost_answer_then_retry_keeps_one_document(
    firestore: FakeFirestore, clock: Clock, request: pytest.FixtureRequest
) -> None:
    spool = _firestore_spool(firestore, request.node.name, clock)
    firestore.lose_next(1)  # the commit is done, its answer lost: the retry meets ALREADY_EXISTS
    result = spool.put(SHEET, submission("kirimanN1"))
    assert (result.inserted, result.duplicates) == (0, 2)
    assert [g.group for g in spool.pending(SHEET, 10)] == ["kirimanN1"]


def test_firestore_spool_refused_credentials_say_how_to_fix(
    firestore: FakeFirestore, clock: Clock, request: pytest.FixtureRequest
) -> None:
    spool = _firestore_spool(firestore, request.node.name, clock)
    firestore.fail_next(1, 403, "PERMISSION_DENIED")
    with pytest.raises(ConfigurationError, match=r"roles/datastore\.user"):
        spool.put(SHEET, submission("kirimanO1"))


def test_firestore_spool_reads_one_persons_pending_rows_by_tag(
    firestore: FakeFirestore, clock: Clock, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = _firestore_spool(firestore, request.node.name, clock)
    for n in range(12):
        spool.put(SHEET, submission(f"kirimanR{n:03d}", 2, nip=STAFF_B if n % 3 == 0 else STAFF_A))
    spool.mark_flushed([spool.pending(SHEET, 1)[0].id])

    def no_scan(*args: Any) -> Any:
        raise AssertionError("a filtered read must not scan every pending document")

    monkeypatch.setattr(spool, "_pending_docs", no_scan)
    rows = spool.pending_rows(SHEET, where={"nip": STAFF_B})
    assert [r["id_kiriman"] for r in rows[::2]] == ["kirimanR003", "kirimanR006", "kirimanR009"]
    assert spool.pending_rows(SHEET, where={"id": "kirimanR004-2"})[0]["nip"] == STAFF_A
    assert spool.pending_rows(SHEET, where={"nip": STAFF_B, "kuantitas": 3}) == []


def test_firestore_spool_pages_through_many_pending(
    firestore: FakeFirestore, clock: Clock, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from functions.store import spool_firestore

    monkeypatch.setattr(spool_firestore, "PAGE", 7)
    spool = _firestore_spool(firestore, request.node.name, clock)
    for n in range(20):
        spool.put(SHEET, submission(f"kirimanP{n:03d}", 1))
    assert [r["id_kiriman"] for r in spool.pending_rows(SHEET)] == [f"kirimanP{n:03d}" for n in range(20)]


# -- the spooled store: the store contract, with rows waiting in the spool ------------------------------------------


class FlushingStore(SpooledStore):
    """Flushes after every append, so the contract also runs against rows already in the target."""

    def append(self, sheet: str, rows: Any) -> AppendResult:
        result = super().append(sheet, rows)
        flush(self.spool, self.target)
        return result


@pytest.fixture(params=["sqlite-spool", "firestore-spool", "flushed-each-time", "gsheets-flushed-each-time"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock, firestore: FakeFirestore) -> Iterator[Store]:
    if request.param == "gsheets-flushed-each-time":
        from tests.support.sheets_client import served_store

        target: Store = served_store()
    else:
        target = SQLiteStore(tmp_path / "kontrak.sqlite3")
    if request.param == "firestore-spool":
        made: SpooledStore = SpooledStore(target, _firestore_spool(firestore, request.node.name, clock))
    elif request.param.endswith("flushed-each-time"):
        made = FlushingStore(target, SQLiteSpool(tmp_path / "antrean.sqlite3"))
    else:
        made = SpooledStore(target, SQLiteSpool(tmp_path / "antrean.sqlite3"))
    yield made
    made.close()


test_append_stores_typed_rows_in_order = contract.test_append_stores_typed_rows_in_order
test_append_same_submission_again_is_a_no_op = contract.test_append_same_submission_again_is_a_no_op
test_append_same_submission_with_other_content_conflicts = (
    contract.test_append_same_submission_with_other_content_conflicts
)
test_append_is_all_or_nothing = contract.test_append_is_all_or_nothing
test_person_edits_survive_a_retry = contract.test_person_edits_survive_a_retry
test_records_filter_by_column_date_and_unit = contract.test_records_filter_by_column_date_and_unit
test_frame_has_the_schema_columns = contract.test_frame_has_the_schema_columns
test_set_cells_refuses_columns_people_may_not_edit = contract.test_set_cells_refuses_columns_people_may_not_edit
test_upsert_inserts_updates_and_leaves_unchanged = contract.test_upsert_inserts_updates_and_leaves_unchanged
test_upsert_many_is_all_or_nothing = contract.test_upsert_many_is_all_or_nothing
test_delete_removes_rows_by_key = contract.test_delete_removes_rows_by_key


@pytest.fixture
def spooled(tmp_path: Path) -> Iterator[SpooledStore]:
    made = SpooledStore(SQLiteStore(tmp_path / "sasaran.sqlite3"), SQLiteSpool(tmp_path / "antrean.sqlite3"))
    yield made
    made.close()


def test_intake_and_the_mail_log_go_to_the_spool_only_and_other_sheets_to_the_target(spooled: SpooledStore) -> None:
    spooled.append(SHEET, submission("kirimanQ1"))
    spooled.append("Terkirim", [_sent("surel-1")])
    spooled.upsert("Unit", [{"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan"}])
    assert spooled.target.count(SHEET) == 0 and spooled.target.count("Terkirim") == 0
    assert spooled.target.count("Unit") == 1
    assert spooled.count(SHEET) == 2 and spooled.count("Terkirim") == 1
    assert [r["id"] for r in spooled.records("Terkirim", where={"periode": "2026-W48"})] == ["surel-1"]
    assert [g.group for g in spooled.spool.pending(SHEET, 10)] == ["kirimanQ1"]
    assert [g.group for g in spooled.spool.pending("Terkirim", 10)] == ["surel-1"]
    report = flush(spooled.spool, spooled.target)
    assert report.appends == 2 and spooled.target.count("Terkirim") == 1 and spooled.target.count(SHEET) == 2


def _sent(key: str) -> dict[str, Any]:
    return {
        "id": key,
        "periode": "2026-W48",
        "jenis": "Ringkasan Pegawai",
        "nip": STAFF_A,
        "message_id": f"<{key}@contoh>",
        "dikirim_pada": datetime(2026, 11, 30, 6, 0, tzinfo=WIB),
    }


def test_begin_job_reaches_the_target(spooled: SpooledStore, monkeypatch: pytest.MonkeyPatch) -> None:
    begun: list[bool] = []
    spooled.begin_job()  # the SQLite store has nothing to refresh
    monkeypatch.setattr(spooled.target, "begin_job", lambda: begun.append(True), raising=False)
    spooled.begin_job()
    assert begun == [True]


def test_open_spool_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from functions.store import spool_firestore
    from functions.store.spooled_store import open_spool

    local = open_spool("sqlite", path=tmp_path / "antrean.sqlite3")
    assert isinstance(local, SQLiteSpool)
    local.close()
    monkeypatch.setattr(spool_firestore, "authorized_session", lambda: requests.Session())
    cloud = open_spool("firestore", path=tmp_path / "x", project="pantau-kinerja")
    assert isinstance(cloud, FirestoreSpool) and cloud.db.documents.startswith("projects/pantau-kinerja/")
    with pytest.raises(ConfigurationError, match="KINERJA_SPOOL"):
        open_spool("redis", path=tmp_path / "x")
    with pytest.raises(ConfigurationError, match="KINERJA_FIRESTORE_PROJECT"):
        open_spool("firestore", path=tmp_path / "x", project="")


def test_reads_count_a_flushed_but_unmarked_row_once(spooled: SpooledStore) -> None:
    rows = submission("kirimanR1")
    spooled.append(SHEET, rows)
    spooled.target.append(SHEET, rows)  # a flush appended them and died before marking
    spooled.append(SHEET, submission("kirimanR2", 1))
    assert [r["id"] for r in spooled.records(SHEET)] == ["kirimanR1-1", "kirimanR1-2", "kirimanR2-1"]
    assert spooled.count(SHEET) == 3 and len(spooled.frame(SHEET)) == 3


def test_a_retry_after_the_flush_is_recognised_even_when_the_spool_forgot_it(tmp_path: Path, clock: Clock) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3", clock=clock)
    store = SpooledStore(SQLiteStore(tmp_path / "sasaran.sqlite3"), spool)
    rows = submission("kirimanS1")
    store.append(SHEET, rows)
    flush(spool, store.target)
    assert store.append(SHEET, rows).was_duplicate  # the spool keeps the digest
    with pytest.raises(Conflict):
        store.append(SHEET, [{**rows[0], "kegiatan": "Lain"}, rows[1]])
    clock.now += 40 * 86400
    spool.prune()
    store.append(SHEET, rows)  # forgotten by the spool: spooled again ...
    report = flush(spool, store.target)
    assert (report.appended, report.duplicates) == (0, 2)  # ... and the target's append stores nothing twice
    assert store.target.count(SHEET) == 2
    store.close()


def test_set_cells_on_a_row_still_in_the_spool_flushes_it_first(spooled: SpooledStore) -> None:
    spooled.append(SHEET, submission("kirimanT1"))
    spooled.append(SHEET, submission("kirimanT2"))
    spooled.set_cells(SHEET, "kirimanT1-2", {"verifikasi": "Disetujui", "diverifikasi_oleh": STAFF_B})
    assert spooled.spool.pending(SHEET, 10) == []  # the whole sheet went in one append
    assert spooled.target.records(SHEET, where={"id": "kirimanT1-2"})[0]["verifikasi"] == "Disetujui"
    assert [r["verifikasi"] for r in spooled.records(SHEET)] == ["Menunggu", "Disetujui", "Menunggu", "Menunggu"]


def test_set_cells_waits_for_a_running_flush_then_gives_up_with_503(tmp_path: Path) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3")
    naps: list[float] = []
    store = SpooledStore(SQLiteStore(tmp_path / "s.sqlite3"), spool, settle_seconds=0.3, sleep=naps.append)
    store.append(SHEET, submission("kirimanU1"))
    assert spool.acquire("penjadwal", 600)  # the scheduled flush holds the lease and never finishes
    with pytest.raises(StoreUnavailable):
        store.set_cells(SHEET, "kirimanU1-1", {"verifikasi": "Disetujui"})
    assert naps and store.target.count(SHEET) == 0
    spool.release("penjadwal")
    store.set_cells(SHEET, "kirimanU1-1", {"verifikasi": "Disetujui"})
    assert store.records(SHEET)[0]["verifikasi"] == "Disetujui"
    store.close()


def test_deleting_many_rows_still_in_the_spool_flushes_them_first(spooled: SpooledStore) -> None:
    contacts = [
        {"id": f"aduan{n:04d}", "telepon": "0812 3456 7890", "diterima_pada": datetime(2025, 1, 2, 9, 0, tzinfo=WIB)}
        for n in range(30)
    ]
    spooled.append("AduanKontak", contacts)
    assert spooled.delete("AduanKontak", [c["id"] for c in contacts[:25]]) == 25
    assert [r["id"] for r in spooled.records("AduanKontak")] == [c["id"] for c in contacts[25:]]
    assert spooled.spool.pending("AduanKontak", 100) == []


def test_set_cells_of_a_flushed_row_writes_no_intake(spooled: SpooledStore) -> None:
    spooled.append(SHEET, submission("kirimanV1", 1))
    flush(spooled.spool, spooled.target)
    spooled.append(SHEET, submission("kirimanV2", 1))
    spooled.set_cells(SHEET, "kirimanV1-1", {"verifikasi": "Dikembalikan", "catatan_verifikasi": "Lengkapi"})
    assert [g.group for g in spooled.spool.pending(SHEET, 10)] == ["kirimanV2"]


# -- the flush -------------------------------------------------------------------------------------------------------


class CountingStore(SQLiteStore):
    """The SQLite store, counting append calls per sheet and able to fail them on demand."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.appends: list[tuple[str, int]] = []
        self.fail: BaseException | None = None

    def append(self, sheet: str, rows: Any) -> AppendResult:
        if self.fail is not None:
            raise self.fail
        self.appends.append((sheet, len(rows)))
        return super().append(sheet, rows)


@pytest.fixture
def target(tmp_path: Path) -> Iterator[CountingStore]:
    made = CountingStore(tmp_path / "sasaran.sqlite3")
    yield made
    made.close()


def _fill(spool: Spool, count: int, rows: int = 2, prefix: str = "kiriman") -> None:
    for n in range(count):
        spool.put(SHEET, submission(f"{prefix}{n:05d}", rows))


def test_flush_appends_a_thousand_submissions_in_one_request(spool: Spool, target: CountingStore) -> None:
    _fill(spool, 400)
    spool.put("Survei", [_survey("survei-1")])
    report = flush(spool, target)
    assert target.appends == [(SHEET, 800), ("Survei", 1)]
    assert (report.groups, report.appended, report.duplicates, report.appends) == (401, 801, 0, 2)
    assert report.sheets == {SHEET: 800, "Survei": 1} and report.stopped == ""
    assert target.count(SHEET) == 800 and spool.pending(SHEET, 10) == []
    assert flush(spool, target).appends == 0


def _survey(key: str) -> dict[str, Any]:
    answers = {f"u{n}": 4 for n in range(1, 10)}
    return {
        "id": key,
        "tanggal": DAY,
        "diterima_pada": datetime(2026, 11, 27, 10, 0, tzinfo=WIB),
        "unit": "KEL-UJI",
        "id_layanan": "LAY-1",
        **answers,
    }


def test_flush_takes_batches_in_arrival_order(tmp_path: Path, target: CountingStore) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3")
    _fill(spool, 600, rows=1)
    report = flush(spool, target, batch=250)
    assert target.appends == [(SHEET, 250), (SHEET, 250), (SHEET, 100)]
    assert report.groups == 600
    assert [r["id_kiriman"] for r in target.records(SHEET)] == [f"kiriman{n:05d}" for n in range(600)]
    spool.close()


def test_flush_killed_after_the_append_appends_nothing_twice(
    spool: Spool, target: CountingStore, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    _fill(spool, 30)

    def killed(ids: Any) -> None:
        raise KeyboardInterrupt("killed")  # the instance is stopped here

    monkeypatch.setattr(spool, "mark_flushed", killed)
    monkeypatch.setattr(spool, "release", lambda owner: None)  # a killed process releases nothing
    with pytest.raises(KeyboardInterrupt):
        flush(spool, target, deadline=50)
    monkeypatch.undo()
    assert target.count(SHEET) == 60 and len(spool.pending(SHEET, 100)) == 30
    assert flush(spool, target).stopped == "busy"  # the dead flush's lease still runs
    clock.now += 50 + flush_module.LEASE_MARGIN + 1
    report = flush(spool, target)
    assert (report.groups, report.appended, report.duplicates) == (30, 0, 60)
    assert target.count(SHEET) == 60 and spool.pending(SHEET, 100) == []


def test_flush_stops_when_the_target_is_unavailable_and_loses_nothing(
    spool: Spool, target: CountingStore, clock: Clock
) -> None:
    _fill(spool, 10)
    target.fail = StoreUnavailable("Google Sheets tidak tersedia")
    report = flush(spool, target)
    assert report.stopped == "unavailable" and report.groups == 0
    assert len(spool.pending(SHEET, 100)) == 10
    target.fail = None
    assert flush(spool, target).stopped == "busy"  # Google refused: no flush writes for a while
    clock.now += flush_module.COOL_DOWN
    assert flush(spool, target).groups == 10 and target.count(SHEET) == 20
    assert spool.acquire("lain", 60)  # and that flush gave its lease back


def test_flush_stops_at_its_deadline_and_the_next_run_goes_on(tmp_path: Path, target: CountingStore) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3")
    _fill(spool, 30, rows=1)
    ticks = iter(range(100))
    report = flush(spool, target, batch=10, deadline=1.5, sheets=[SHEET], clock=lambda: float(next(ticks)))
    assert report.stopped == "deadline" and report.groups == 10
    assert flush(spool, target, batch=10).groups == 20 and target.count(SHEET) == 30
    spool.close()


def test_flush_sets_aside_a_group_the_target_refuses(spool: Spool, target: CountingStore) -> None:
    _fill(spool, 5)
    target.append(SHEET, [{**activity("kiriman00003", 1, DAY), "kegiatan": "Lain"}, activity("kiriman00003", 2, DAY)])
    target.appends.clear()
    report = flush(spool, target)
    assert (report.groups, report.rejected) == (4, 1)
    assert target.count(SHEET) == 10
    assert [i for i, _ in spool.rejected()] == [f"{SHEET}:kiriman00003"]
    assert "Conflict" in spool.rejected()[0][1]
    assert spool.pending(SHEET, 10) == [] and flush(spool, target).appends == 0


def test_a_scheduled_flush_waits_for_a_fuller_batch_unless_the_oldest_waited_long(
    spool: Spool, target: CountingStore, clock: Clock
) -> None:
    _fill(spool, 5)
    report = flush(spool, target, min_groups=10, max_wait=300)
    assert (report.appends, report.waiting) == (0, 5)
    clock.now += 200
    _fill(spool, 5, prefix="lagi")
    report = flush(spool, target, min_groups=10, max_wait=300)
    assert (report.appends, report.groups) == (1, 10)  # a full batch
    _fill(spool, 3, prefix="sore")
    clock.now += 301
    report = flush(spool, target, min_groups=10, max_wait=300)
    assert (report.appends, report.groups) == (1, 3)  # the oldest waited long enough
    assert target.count(SHEET) == 26


def test_the_flush_report_summarises_in_indonesian() -> None:
    report = flush_module.FlushReport(groups=3, appended=6, appends=1, waiting=2, rejected=1, stopped="unavailable")
    text = report.summary()
    assert text.startswith("3 kiriman (6 baris baru, 0 sudah ada) disimpan dalam 1 penambahan")
    assert "2 kiriman menunggu" in text and "1 kiriman ditolak" in text and "tertunda" in text
    assert report.as_dict()["hasil"].startswith("tertunda")


def test_the_flush_policy_comes_from_the_settings() -> None:
    class Configured:
        spool_flush_batch, spool_flush_min, spool_flush_wait, spool_flush_deadline = 200, 50, 120, 40

    assert flush_module.Policy.from_settings(Configured()) == flush_module.Policy(200, 50, 120.0, 40.0)
    assert flush_module.Policy.from_settings(object()) == flush_module.Policy()


def scheduled_flush(runtime: Runtime, scheduler: Scheduler, method: str = "POST") -> Response:
    """Cloud Scheduler's call of flush_spool, with its token."""
    headers = {"Authorization": scheduler.authorization("flush_spool")}
    with Flask(__name__).test_request_context("/flush_spool", method=method, headers=headers):
        return scheduled.flush_spool(request, runtime)


def test_flush_endpoint_answers_with_the_counts(
    tmp_path: Path, settings: Settings, clock: Clock, scheduler: Scheduler
) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3", clock=clock)
    target = CountingStore(tmp_path / "sasaran.sqlite3")
    runtime = scheduler.configure(Runtime(settings=settings, store=SpooledStore(target, spool)))
    _fill(spool, 3)
    answer = scheduled_flush(runtime, scheduler)
    body = json.loads(answer.get_data())
    assert answer.status_code == 200 and body["kiriman"] == 0 and body["menunggu_kumpulan"] == 3
    clock.now += flush_module.MAX_WAIT
    answer = scheduled_flush(runtime, scheduler)
    assert answer.status_code == 200
    body = json.loads(answer.get_data())
    assert body["status"] == "selesai" and body["kiriman"] == 3 and body["baris_ditambahkan"] == 6
    target.fail = StoreUnavailable("Google Sheets tidak tersedia")
    _fill(spool, 1, prefix="lagi")
    clock.now += flush_module.MAX_WAIT
    answer = scheduled_flush(runtime, scheduler)
    assert answer.status_code == 503 and json.loads(answer.get_data())["status"] == "tertunda"
    assert scheduled_flush(runtime, scheduler, "DELETE").status_code == 405
    runtime.store.close()


def test_flush_endpoint_without_a_spool_has_nothing_to_do(runtime: Runtime, scheduler: Scheduler) -> None:
    answer = scheduled_flush(scheduler.configure(runtime), scheduler, "GET")
    assert answer.status_code == 200 and "tidak ada antrean" in json.loads(answer.get_data())["hasil"]
    assert run_flush(runtime.store) is None


def test_flush_endpoint_called_locally_without_the_token_runs_nothing(
    tmp_path: Path, settings: Settings, clock: Clock
) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3", clock=clock)
    runtime = Runtime(settings=settings, store=SpooledStore(CountingStore(tmp_path / "sasaran.sqlite3"), spool))
    _fill(spool, 3)
    clock.now += flush_module.MAX_WAIT
    with Flask(__name__).test_request_context("/flush_spool", method="POST"):
        answer = scheduled.flush_spool(request, runtime)
    assert answer.status_code == 403 and "python -m functions flush" in json.loads(answer.get_data())["galat"]
    assert len(spool.pending("LaporanHarian", 10)) == 3
    runtime.store.close()


def test_flush_endpoint_in_production_wants_the_schedulers_token(tmp_path: Path) -> None:
    settings = Settings(environment="production", secret_key=SECRET, data_dir=tmp_path)
    runtime = Runtime(settings=settings, store=SQLiteStore(tmp_path / "s.sqlite3"))
    with Flask(__name__).test_request_context("/flush_spool", method="POST"):
        assert scheduled.flush_spool(request, runtime).status_code == 403
    runtime.store.close()


# -- intake through the spool ---------------------------------------------------------------------------------------


def test_a_report_sent_through_the_spool_shows_at_once_and_a_retry_is_recognised(
    tmp_path: Path, store: SQLiteStore, city: dict[str, Any]
) -> None:
    spooled = SpooledStore(store, SQLiteSpool(tmp_path / "antrean.sqlite3"))
    employee = city["people"][STAFF_A]
    now = datetime(city["year"], 3, 2, 15, 30, tzinfo=WIB)
    target_id = f"{STAFF_A}-{city['year']}-1"
    block = {"tanggal": now.date().isoformat(), "kegiatan": "Melayani surat", "id_target": target_id}
    draft = reports.Draft(submission_id="kirimanW1abc", blocks=[{**block, "kuantitas": "3", "durasi_menit": "45"}])
    receipt = reports.submit(draft, employee, spooled, now)
    assert not receipt.duplicate and store.count(SHEET) == 0
    assert [r["id"] for r in reports.recent(spooled, STAFF_A)] == ["kirimanW1abc-1"]
    flush(spooled.spool, store)
    again = reports.submit(draft, employee, spooled, now.replace(minute=35))
    assert again.duplicate and [r["kegiatan"] for r in again.rows] == ["Melayani surat"]
    assert store.count(SHEET) == 1

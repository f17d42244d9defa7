"""Fault storms: whatever Google answers, a spooled submission is stored exactly once in the end.

The spool's own service (Firestore, through ``tests/support/firestore_fake.py``) failing around a flush, and the Google
Sheets store against the Sheets API test server (``tests/sheets_server``): bursts of 429 and 500, slow answers, a
flush killed halfway. After each storm the faults stop, another flush runs, and every submission is in the sheet
exactly once.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from functions.store import Store
from functions.store import flush as flush_module
from functions.store.flush import flush
from functions.store.google_http import RetryPolicy
from functions.store.gsheets import GSheetsStore
from functions.store.spool import Spool, SQLiteSpool
from functions.store.spool_firestore import FirestoreSpool
from functions.store.spooled_store import SpooledStore
from functions.store.sqlite import SQLiteStore
from tests.sheets_server import Clock as ServerClock
from tests.sheets_server import SheetsServer, running_server
from tests.store.test_contract import activity
from tests.support import sheets_client
from tests.support.firestore_fake import FakeFirestore, running_fake

DAY = date(2026, 11, 27)
SHEET = "LaporanHarian"


def submission(name: str, count: int = 2) -> list[dict[str, Any]]:
    return [activity(name, n, DAY) for n in range(1, count + 1)]


def assert_exactly_once(target: Store, names: list[str], per_submission: int = 2) -> None:
    counts = Counter(r["id"] for r in target.records(SHEET))
    expected = {f"{name}-{n}" for name in names for n in range(1, per_submission + 1)}
    assert set(counts) == expected
    assert max(counts.values()) == 1


def drain(spool: Spool, target: Store) -> None:
    """Flush until nothing is pending (faults are over)."""
    for _ in range(20):
        report = flush(spool, target)
        assert report.stopped == "", report
        if not any(spool.pending(sheet, 1) for sheet in (SHEET, "Survei")):
            return
    raise AssertionError("the spool did not drain")


# -- the spool's service failing --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def firestore() -> Iterator[FakeFirestore]:
    with running_fake() as fake:
        yield fake


def _no_sleep(_seconds: float) -> None:
    pass


class Clock:
    def __init__(self) -> None:
        self.now = 1_790_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fs_spool(firestore: FakeFirestore, request: pytest.FixtureRequest, clock: Clock) -> Iterator[FirestoreSpool]:
    firestore._faults.clear()
    project = "badai-" + "".join(ch if ch.isalnum() else "-" for ch in request.node.name)[-50:]
    spool = FirestoreSpool(
        project, firestore.session(), base_url=firestore.url, deadline=0.5, sleep=_no_sleep, clock=clock
    )
    yield spool
    firestore._faults.clear()
    spool.close()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "sasaran.sqlite3")
    yield store
    store.close()


def test_firestore_down_while_marking_leaves_rows_appended_once(
    fs_spool: FirestoreSpool,
    firestore: FakeFirestore,
    target: SQLiteStore,
    monkeypatch: pytest.MonkeyPatch,
    clock: Clock,
) -> None:
    names = [f"kirimanA{n:03d}" for n in range(40)]
    for name in names:
        fs_spool.put(SHEET, submission(name))
    marked = fs_spool.mark_flushed

    def storm_then_mark(ids: Any) -> None:
        firestore.fail_next(100, 503)
        marked(ids)

    monkeypatch.setattr(fs_spool, "mark_flushed", storm_then_mark)
    assert flush(fs_spool, target).stopped == "unavailable"
    monkeypatch.undo()
    firestore._faults.clear()
    assert target.count(SHEET) == 80 and len(fs_spool.pending(SHEET, 100)) == 40
    assert flush(fs_spool, target).stopped == "busy"  # the lease could not be given back either ...
    clock.now += 3600  # ... and runs out
    drain(fs_spool, target)
    assert_exactly_once(target, names)


def test_firestore_answers_lost_and_refused_at_random_lose_nothing(
    fs_spool: FirestoreSpool, firestore: FakeFirestore, target: SQLiteStore
) -> None:
    rng = random.Random(42)
    names: list[str] = []
    refused = 0
    for round_ in range(30):
        for n in range(rng.randint(1, 8)):
            name = f"kirimanB{round_:02d}{n}"
            kind = rng.random()
            if kind < 0.15:
                firestore.lose_next(1)  # stored, but the answer is lost: the client retries
            elif kind < 0.25:
                firestore.fail_next(rng.randint(1, 3), rng.choice([429, 500, 503]))
            try:
                fs_spool.put(SHEET, submission(name))
            except Exception:
                refused += 1  # the person saw an error and sends the same form (same id) again
                firestore._faults.clear()
                fs_spool.put(SHEET, submission(name))
            names.append(name)
        if rng.random() < 0.5:
            firestore.fail_next(rng.randint(1, 4), rng.choice([429, 503]))
        flush(fs_spool, target, batch=rng.randint(3, 20))
        firestore._faults.clear()
    drain(fs_spool, target)
    assert_exactly_once(target, names)


def test_a_retried_submission_during_a_flush_is_one_row(
    fs_spool: FirestoreSpool, firestore: FakeFirestore, target: SQLiteStore
) -> None:
    store = SpooledStore(target, fs_spool)
    store.append(SHEET, submission("kirimanC1"))
    flush(fs_spool, target)
    assert store.append(SHEET, submission("kirimanC1")).was_duplicate
    drain(fs_spool, target)
    assert_exactly_once(target, ["kirimanC1"])


def test_sqlite_spool_and_a_flush_killed_at_every_step(tmp_path: Path, target: SQLiteStore) -> None:
    spool = SQLiteSpool(tmp_path / "antrean.sqlite3")
    names = [f"kirimanD{n:03d}" for n in range(25)]
    for name in names:
        spool.put(SHEET, submission(name))
    original = spool.mark_flushed
    for kill_after in range(1, 4):
        calls = {"n": 0}

        def dying(ids: Any, kill_after: int = kill_after, calls: dict[str, int] = calls) -> None:
            calls["n"] += 1
            if calls["n"] == kill_after:
                raise SystemExit("killed")
            original(ids)

        spool.mark_flushed = dying  # type: ignore[method-assign]
        with pytest.raises(SystemExit):
            flush(spool, target, batch=4)
    spool.mark_flushed = original  # type: ignore[method-assign]
    drain(spool, target)
    assert_exactly_once(target, names)
    spool.close()


# -- Google Sheets failing: the Google Sheets store against the Sheets API test server --------------------------------

START = 1_790_000_000.0  # the simulated clock of the server, the spool and the store


class SimulatedTime:
    """One clock for the Sheets server's quota minutes, the spool's leases and the store's cache."""

    def __init__(self, server: SheetsServer) -> None:
        self.server = server
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.server.control.advance_clock(seconds)


def sheets_store(server: SheetsServer, clock: SimulatedTime, deadline: float = 1.0) -> GSheetsStore:
    """A Google Sheets store on a fresh admin spreadsheet of the test server; retries without real waiting."""
    retry = RetryPolicy(deadline=deadline, base_delay=0.01, max_delay=0.05)
    return GSheetsStore(sheets_client.new_admin(server.url), api_url=server.url, retry=retry, clock=clock)


@pytest.fixture
def sheets() -> Iterator[SheetsServer]:
    with running_server(clock=ServerClock(start=START)) as server:
        yield server


@pytest.fixture
def sim(sheets: SheetsServer) -> SimulatedTime:
    return SimulatedTime(sheets)


@pytest.fixture
def gstore(sheets: SheetsServer, sim: SimulatedTime) -> Iterator[GSheetsStore]:
    store = sheets_store(sheets, sim)
    yield store
    store.close()


@pytest.fixture
def spool(tmp_path: Path, sim: SimulatedTime) -> Iterator[SQLiteSpool]:
    made = SQLiteSpool(tmp_path / "antrean.sqlite3", clock=sim)
    yield made
    made.close()


def spread(name: str, count: int = 2) -> list[dict[str, Any]]:
    """A submission of a unit among 12, so the monthly LaporanHarian shards all get rows."""
    unit = f"KEL-{sum(map(ord, name)) % 12:02d}"
    return [activity(name, n, DAY, unit=unit) for n in range(1, count + 1)]


def sheet_ids(store: GSheetsStore) -> Counter[str]:
    store.begin_job()
    return Counter(r["id"] for r in store.records(SHEET))


def expect_once(store: GSheetsStore, names: list[str], per_submission: int = 2) -> None:
    counts = sheet_ids(store)
    assert set(counts) == {f"{name}-{n}" for name in names for n in range(1, per_submission + 1)}
    assert max(counts.values()) == 1, [k for k, v in counts.items() if v > 1][:5]


def settle(sheets: SheetsServer, sim: SimulatedTime) -> None:
    """The storm is over: no faults, no delay, a new quota minute, the cool-down of a refused flush passed."""
    sheets.control.reset(data=False)
    sim.advance(flush_module.COOL_DOWN + 1)


@pytest.mark.parametrize(("status", "count"), [(429, 2), (429, 1000), (500, 1), (500, 1000), (503, 1000)])
def test_write_bursts_of_429_and_500_lose_and_duplicate_nothing(
    sheets: SheetsServer, sim: SimulatedTime, gstore: GSheetsStore, spool: SQLiteSpool, status: int, count: int
) -> None:
    store = SpooledStore(gstore, spool)
    names = [f"kirimanE{status}{count:04d}{n:03d}" for n in range(60)]
    for name in names[:30]:
        store.append(SHEET, spread(name))
    flush(spool, gstore)  # the spreadsheets exist; what follows hits the appends themselves
    for name in names[30:]:
        store.append(SHEET, spread(name))
    sheets.control.fail_next(count, status=status, kind="write")
    report = flush(spool, gstore)
    assert report.stopped == ("" if count < 5 else "unavailable")  # a short burst is retried away, a storm is not
    assert len(store.records(SHEET)) == 120  # what the sheet lacks still shows, from the spool
    settle(sheets, sim)
    drain(spool, gstore)
    expect_once(gstore, names)


def test_read_bursts_before_the_append_lose_nothing(
    sheets: SheetsServer, sim: SimulatedTime, gstore: GSheetsStore, spool: SQLiteSpool
) -> None:
    names = [f"kirimanF{n:03d}" for n in range(20)]
    for name in names:
        spool.put(SHEET, spread(name))
    sheets.control.fail_next(100, status=503, kind="read")
    assert flush(spool, gstore).stopped == "unavailable"
    settle(sheets, sim)
    drain(spool, gstore)
    expect_once(gstore, names)


def test_slow_answers_to_everything_lose_and_duplicate_nothing(
    sheets: SheetsServer, sim: SimulatedTime, gstore: GSheetsStore, spool: SQLiteSpool
) -> None:
    names = [f"kirimanG{n:03d}" for n in range(20)]
    for name in names:
        spool.put(SHEET, spread(name))
    sheets.control.set_delay(1.2)  # longer than the store waits for an answer
    assert flush(spool, gstore).stopped == "unavailable"
    time.sleep(1.5)
    settle(sheets, sim)
    drain(spool, gstore)
    expect_once(gstore, names)


def test_a_slow_append_that_lands_after_the_deadline_is_not_appended_again(
    sheets: SheetsServer,
    sim: SimulatedTime,
    gstore: GSheetsStore,
    spool: SQLiteSpool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = [f"kirimanG{n:03d}" for n in range(40)]
    for name in names[:20]:
        spool.put(SHEET, spread(name))
    flush(spool, gstore)
    for name in names[20:]:
        spool.put(SHEET, spread(name))
    append = gstore.api.append

    def slow_append(*args: Any, **kwargs: Any) -> dict[str, Any]:
        sheets.control.set_delay(1.6)  # Google takes longer than the store waits, and applies the append anyway
        return append(*args, **kwargs)

    monkeypatch.setattr(gstore.api, "append", slow_append)
    assert flush(spool, gstore).stopped == "unavailable"
    monkeypatch.undo()
    time.sleep(2.0)  # the late write lands
    settle(sheets, sim)
    assert len(spool.pending(SHEET, 100)) == 20 and sum(sheet_ids(gstore).values()) > 40  # landed, unmarked
    report = flush(spool, gstore)
    assert report.groups == 20 and report.duplicates > 0
    expect_once(gstore, names)


def test_a_flush_killed_halfway_is_completed_by_the_next(
    sheets: SheetsServer, sim: SimulatedTime, gstore: GSheetsStore, spool: SQLiteSpool, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"kirimanH{n:03d}" for n in range(50)]
    for name in names:
        spool.put(SHEET, spread(name))
    marked = spool.mark_flushed
    calls = {"n": 0}

    def killed_in_the_second_batch(ids: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("the instance was stopped")  # after the append, before the mark
        marked(ids)

    monkeypatch.setattr(spool, "mark_flushed", killed_in_the_second_batch)
    monkeypatch.setattr(spool, "release", lambda owner: None)  # a killed instance releases nothing
    with pytest.raises(SystemExit):
        flush(spool, gstore, batch=20, deadline=50)
    monkeypatch.undo()
    assert len(spool.pending(SHEET, 100)) == 30 and sum(sheet_ids(gstore).values()) == 80
    sim.advance(50 + flush_module.LEASE_MARGIN + 1)
    fresh = sheets_store_sharing(gstore, sheets, sim)  # another instance: nothing cached from the dead one
    report = flush(spool, fresh, batch=20)
    assert (report.groups, report.duplicates, report.appended) == (30, 40, 20)
    expect_once(fresh, names)


def sheets_store_sharing(store: GSheetsStore, server: SheetsServer, clock: SimulatedTime) -> GSheetsStore:
    retry = RetryPolicy(deadline=1.0, base_delay=0.01, max_delay=0.05)
    return GSheetsStore(store.admin_id, api_url=server.url, retry=retry, clock=clock)


def test_a_seeded_storm_of_everything_loses_and_duplicates_nothing(
    sheets: SheetsServer, sim: SimulatedTime, gstore: GSheetsStore, spool: SQLiteSpool
) -> None:
    rng = random.Random(42)
    store = SpooledStore(gstore, spool)
    names: list[str] = []
    slow_rounds = 0
    seen: set[str] = set()
    for round_ in range(18):
        for n in range(rng.randint(5, 25)):
            name = f"kirimanI{round_:02d}{n:02d}"
            store.append(SHEET, spread(name))
            if rng.random() < 0.1:
                store.append(SHEET, spread(name))  # a retry from the phone: the same id and content
            names.append(name)
        storm = rng.choice(["none", "429", "500", "503-read", "slow", "kill"])
        seen.add(storm)
        if storm == "429":
            sheets.control.fail_next(rng.randint(1, 30), status=429, kind="write")
        elif storm == "500":
            sheets.control.fail_next(rng.randint(1, 4), status=500, kind="write")
        elif storm == "503-read":
            sheets.control.fail_next(rng.randint(1, 30), status=503, kind="read")
        elif storm == "slow" and slow_rounds < 2:
            slow_rounds += 1
            sheets.control.set_delay(1.6)
        try:
            if storm == "kill":
                flush_killed(spool, gstore, batch=rng.randint(5, 40))
            else:
                flush(spool, gstore, batch=rng.randint(5, 200))
        except SystemExit:
            pass
        if storm == "slow":
            time.sleep(2.0)
        settle(sheets, sim)
    drain(spool, gstore)
    expect_once(gstore, names)
    assert seen == {"none", "429", "500", "503-read", "slow", "kill"}  # every kind of storm blew
    assert sheets.control.stats()["max_per_minute_per_user"]["write"] <= 60


def flush_killed(spool: SQLiteSpool, target: Store, batch: int) -> None:
    """A flush whose instance is stopped after its first append, before the mark."""
    original = spool.mark_flushed

    def killed(ids: Any) -> None:
        raise SystemExit("stopped")

    spool.mark_flushed = killed  # type: ignore[method-assign]
    try:
        flush(spool, target, batch=batch)
    finally:
        spool.mark_flushed = original  # type: ignore[method-assign]

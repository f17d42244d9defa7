"""The flush: submissions waiting in the spool go to the sheets in batches.

``flush(spool, target)`` takes, sheet by sheet, the oldest pending groups (``batch`` at most, in arrival order),
appends them to the target in ONE ``append`` call, then marks them flushed. The Google Sheets store makes one
``values.append`` per spreadsheet the rows belong to (one, unless a batch spans months or parts of a month), so a
batch of 500 reports costs one write request, not 500. The scheduled run (``spooled_store.run_flush``, ``Policy``)
also waits until a sheet has ``MIN_GROUPS`` pending or its oldest has waited ``MAX_WAIT`` seconds: at the afternoon peak
(a report every 0.36 s) that is an append every two minutes, about 3 write requests per 1,000 reports, leaving the rest
of the 60-a-minute quota to verifications, imports and the weekly jobs. Every step can be repeated safely:

* killed after the append, before the mark: the next flush appends the same groups again and the target, idempotent
  by key, stores nothing twice (it counts them as duplicates);
* the target unavailable (``StoreUnavailable``: Google kept answering 429/5xx or too slowly past its deadline): the
  flush stops and the rest stays pending. It keeps the lease for ``COOL_DOWN`` seconds, so no flush writes again
  before then: Google asked us to slow down, and a write whose answer never came (a timeout) may still be applied
  late; the next flush reads the sheet again and appends only what is missing, so it should start after that.
  Nothing is lost, and nothing is half written that a later flush would not complete;
* the target refuses a group (Conflict: the same id with other content already in the sheet, or a row that no
  longer passes the schema): the batch is split in halves until the refused group is alone; it is marked rejected,
  kept in the spool with its content and logged, and the others go through.

One flush at a time: a lease in the spool (``deadline`` plus ``LEASE_MARGIN`` seconds, renewed before each batch).
A flush killed without releasing it blocks the next ones only until the lease runs out.

Cloud Scheduler calls ``flush_spool`` every minute; ``deadline`` keeps a run shorter than that. Reads never wait
for a flush: ``SpooledStore`` shows pending rows from the spool.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from functions.errors import Conflict, StoreUnavailable, ValidationError
from functions.store.protocol import Store
from functions.store.spool import Group, Spool, spooled_sheets

log = logging.getLogger(__name__)

BATCH = 500  # groups per append: a Firestore commit marks at most 500 documents
MIN_GROUPS = 300  # a scheduled flush appends a sheet once this many groups wait ...
MAX_WAIT = 300.0  # ... or once the oldest has waited this many seconds
DEADLINE = 50.0  # seconds; the job runs every minute
LEASE_MARGIN = 60.0
COOL_DOWN = 90.0  # after Google refused, no flush writes for this long (see the module docstring)
BUSY, OUT_OF_TIME, UNAVAILABLE = "busy", "deadline", "unavailable"
STOPPED_TEXT = {
    "": "selesai",
    BUSY: "dilewati: penyimpanan lain sedang berjalan",
    OUT_OF_TIME: "sebagian: batas waktu habis, sisanya pada putaran berikut",
    UNAVAILABLE: "tertunda: Google Sheets sedang menolak atau lambat, sisanya pada putaran berikut",
}


@dataclass
class FlushReport:
    groups: int = 0  # spool entries now in the target
    appended: int = 0  # rows the target inserted
    duplicates: int = 0  # rows the target already had (a repeated flush)
    appends: int = 0  # append calls made to the target
    rejected: int = 0  # groups the target refused, kept in the spool
    waiting: int = 0  # groups left for a fuller batch (fewer than min_groups, none older than max_wait)
    pruned: int = 0
    stopped: str = ""  # "", BUSY, OUT_OF_TIME or UNAVAILABLE
    sheets: dict[str, int] = field(default_factory=dict)  # rows per sheet

    def as_dict(self) -> dict[str, Any]:
        return {
            "hasil": STOPPED_TEXT[self.stopped],
            "kiriman": self.groups,
            "baris_ditambahkan": self.appended,
            "baris_sudah_ada": self.duplicates,
            "penambahan": self.appends,
            "ditolak": self.rejected,
            "menunggu_kumpulan": self.waiting,
            "dibersihkan": self.pruned,
            "per_lembar": dict(self.sheets),
        }

    def summary(self) -> str:
        """One line for the operator (``python -m functions flush``)."""
        text = (
            f"{self.groups} kiriman ({self.appended} baris baru, {self.duplicates} sudah ada) disimpan dalam "
            f"{self.appends} penambahan ke lembar kerja"
        )
        if self.waiting:
            text += f"; {self.waiting} kiriman menunggu kumpulan berikut"
        if self.rejected:
            text += f"; {self.rejected} kiriman ditolak lembar kerja (lihat log)"
        return f"{text}. Hasil: {STOPPED_TEXT[self.stopped]}."


def flush(
    spool: Spool,
    target: Store,
    *,
    batch: int = BATCH,
    deadline: float | None = None,
    sheets: Iterable[str] | None = None,
    min_groups: int = 1,
    max_wait: float = 0.0,
    prune: bool = False,
    owner: str | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> FlushReport:
    """Append what is pending to ``target``, ``batch`` groups per append; stop at ``deadline`` seconds.

    A sheet with fewer than ``min_groups`` pending, none of them older than ``max_wait`` seconds, waits for a
    fuller batch: every append is a write request, and the sheets of a busy hour need few.
    """
    owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    lease = (deadline if deadline is not None else 600.0) + LEASE_MARGIN
    give_up = None if deadline is None else clock() + deadline
    report = FlushReport()
    try:
        if not spool.acquire(owner, lease):
            report.stopped = BUSY
            return report
    except StoreUnavailable:
        log.warning("flush skipped: the spool is unavailable")
        report.stopped = UNAVAILABLE
        return report
    try:
        begin_job = getattr(target, "begin_job", None)
        if callable(begin_job):
            begin_job()  # read the sheets afresh: another instance may have appended since this one cached them
        for sheet in list(sheets) if sheets is not None else spooled_sheets(spool.sheets):
            while True:
                if give_up is not None and clock() >= give_up:
                    report.stopped = OUT_OF_TIME
                    return report
                groups = spool.pending(sheet, batch)
                if not groups:
                    break
                if len(groups) < min_groups and spool.clock() - groups[0].spooled_at < max_wait:
                    report.waiting += len(groups)
                    break
                if not spool.acquire(owner, lease):  # renew; lost only if this run outlived its lease
                    report.stopped = BUSY
                    return report
                _write(spool, target, sheet, groups, report)
                if len(groups) < batch:
                    break
        if prune:
            report.pruned = spool.prune()
    except StoreUnavailable:
        log.warning("flush stopped: the store is unavailable; the rest stays in the spool")
        report.stopped = UNAVAILABLE
    finally:
        try:
            if report.stopped == UNAVAILABLE:
                spool.acquire(owner, COOL_DOWN)  # hold the lease a while: see the module docstring
            else:
                spool.release(owner)
        except StoreUnavailable:
            log.warning("flush lease not released: the spool is unavailable; it runs out in %.0f s", lease)
        busy = report.groups or report.rejected or report.stopped
        log.log(logging.INFO if busy else logging.DEBUG, "flush: %s", json.dumps(report.as_dict(), ensure_ascii=False))
    return report


def _write(spool: Spool, target: Store, sheet: str, groups: Sequence[Group], report: FlushReport) -> None:
    rows = [row for group in groups for row in group.rows]
    report.appends += 1
    try:
        result = target.append(sheet, rows)
    except (Conflict, ValidationError) as err:
        if len(groups) > 1:
            half = len(groups) // 2
            _write(spool, target, sheet, groups[:half], report)
            _write(spool, target, sheet, groups[half:], report)
            return
        reason = f"{type(err).__name__}: {err.message}"
        log.error("flush: %s refused %s (%s); kept in the spool as rejected", sheet, groups[0].id, type(err).__name__)
        spool.mark_rejected([groups[0].id], reason)
        report.rejected += 1
        return
    spool.mark_flushed([group.id for group in groups])
    report.groups += len(groups)
    report.appended += result.inserted
    report.duplicates += result.duplicates
    report.sheets[sheet] = report.sheets.get(sheet, 0) + len(rows)


@dataclass(frozen=True)
class Policy:
    """How the scheduled flush batches (settings ``KINERJA_SPOOL_FLUSH_*``)."""

    batch: int = BATCH
    min_groups: int = MIN_GROUPS
    max_wait: float = MAX_WAIT
    deadline: float = DEADLINE

    @classmethod
    def from_settings(cls, settings: Any) -> Policy:
        return cls(
            batch=int(getattr(settings, "spool_flush_batch", BATCH)),
            min_groups=int(getattr(settings, "spool_flush_min", MIN_GROUPS)),
            max_wait=float(getattr(settings, "spool_flush_wait", MAX_WAIT)),
            deadline=float(getattr(settings, "spool_flush_deadline", DEADLINE)),
        )

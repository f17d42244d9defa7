"""Deadlines of complaints (SP4N-LAPOR!, Perpres 76/2013), counted in working days.

Rules:
- Verifikasi: a complaint is verified and dispatched to the unit (``Didisposisikan``) within
  ``verifikasi`` working days of its receipt.
- Tindak lanjut: the unit follows up (``Ditindaklanjuti``) within ``tindak_lanjut`` working days
  of the dispatch. Until the complaint is dispatched the follow-up counts from the verification
  deadline, the latest a timely dispatch can happen: the date shown before dispatch is the
  latest one a timely dispatch allows.
- Due times follow ``Calendar.add_workdays``: 23:59:59 WIB of the Nth working day strictly after
  the day counted from. A stage done up to and including that second is on time.
- A stage is met by the first event of that stage or of a later one: verifikasi by
  Didisposisikan, Ditindaklanjuti, Selesai or Ditolak; tindak lanjut by Ditindaklanjuti, Selesai
  or Ditolak. A rejection (Ditolak) is an answer, so it meets both stages. Other events
  (Diterima, Diproses) meet none. Events after ``now`` are not known yet and are ignored.
- Working days per category come from Konfigurasi: ``tenggat_<tahap>_<kategori>`` first, then
  ``tenggat_<tahap>`` for every category, then ``DEFAULT_DAYS``. A value that is not a whole
  number from ``MIN_DAYS`` to ``MAX_DAYS`` is ignored.

The reporter's side of the conversation (DOMAIN.md section 8: the reporter answers the unit's
follow-up, adds information, rates the handling, and asks for it to be handled again):
- Jawaban unit: the unit answers each ``Informasi Tambahan``, ``Tanggapan Pelapor`` and
  ``Minta Ditangani Ulang`` within the follow-up stage's working days of its category (default 5,
  SP4N-LAPOR!'s "the unit follows up within 5 working days" applied to each new input), counted
  from the day it arrived, but never before the complaint's own follow-up deadline (information
  added before the first answer is answered with it). DOMAIN.md is silent on this figure: an
  assumption of Pantau Kinerja, written in the README's design considerations. The reporter's
  event is answered by the unit's first Ditindaklanjuti, Selesai or Ditolak after it.
- Penanganan ulang: the reporter may ask for a closed complaint (Selesai, also by the automatic
  closing, or Ditolak) to be handled again within ``REOPEN_WINDOW_DAYS`` (10) working days of the
  closing (issue 16, matching the 10 working days of the automatic closing), counted like every
  other deadline here. A rating (``Penilaian``) needs no answer and has no deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from functions.rules import config
from functions.rules.workdays import Calendar
from functions.schema import parse_number

if TYPE_CHECKING:
    from functions.store import Store

log = logging.getLogger(__name__)

STAGES = ("verifikasi", "tindak_lanjut")
DEFAULT_DAYS: Mapping[str, int] = {
    stage: int(config.DEFAULTS[f"tenggat_{stage}"].default) for stage in ("verifikasi", "tindak_lanjut")
}
CATEGORIES = ("pelayanan", "infrastruktur", "kesehatan", "kependudukan", "kepegawaian", "lainnya")
MIN_DAYS, MAX_DAYS = 1, 366
KEY_PREFIX = "tenggat_"
# The events that close each stage: that stage's own event or a later one.
MEETS = {
    "verifikasi": frozenset({"Didisposisikan", "Ditindaklanjuti", "Selesai", "Ditolak"}),
    "tindak_lanjut": frozenset({"Ditindaklanjuti", "Selesai", "Ditolak"}),
}
ONE_SECOND = timedelta(seconds=1)
# The reporter's events that the unit has to answer, and the window to ask for handling again.
ASKS_ANSWER = frozenset({"Informasi Tambahan", "Tanggapan Pelapor", "Minta Ditangani Ulang"})
REOPEN_WINDOW_DAYS = 10


def config_key(stage: str, kategori: str | None = None) -> str:
    """The Konfigurasi key of a stage's working days, for one category or for all."""
    return f"{KEY_PREFIX}{stage}" + (f"_{kategori}" if kategori else "")


CONFIG_KEYS = frozenset(config_key(s, k) for s in STAGES for k in (None, *CATEGORIES))


def category(kategori: str) -> str:
    """The slug of a complaint category: ``"Kesehatan "`` -> ``"kesehatan"``."""
    slug = kategori.strip().lower().replace(" ", "_")
    if slug not in CATEGORIES:
        raise ValueError(f"kategori pengaduan {kategori!r} tidak dikenal; pilih salah satu: " + ", ".join(CATEGORIES))
    return slug


def _whole_days(raw: Any) -> int | None:
    try:
        # A cell's number, or text typed by the operator: plain digits only ("1_0" and "١٠" are not ten).
        value = float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else parse_number(str(raw))
    except ValueError:
        return None
    if not value.is_integer() or not MIN_DAYS <= value <= MAX_DAYS:
        return None
    return int(value)


def days_from_store(store: Store) -> dict[str, int]:
    """The deadline settings of the Konfigurasi sheet, by key; read once."""
    days: dict[str, int] = {}
    for row in store.records("Konfigurasi"):
        key = str(row.get("kunci") or "").strip().lower()
        if not key.startswith(KEY_PREFIX):
            continue
        value = _whole_days(row.get("nilai"))
        if key not in CONFIG_KEYS or value is None:
            log.warning("deadline setting ignored: key=%s", key[:80])
            continue
        days[key] = value
    return days


def stage_days(kategori: str, days: Mapping[str, int]) -> dict[str, int]:
    """Working days of each stage for a category: its own setting, the general one, the default."""
    slug = category(kategori)
    return {
        stage: days.get(config_key(stage, slug), days.get(config_key(stage), DEFAULT_DAYS[stage])) for stage in STAGES
    }


@dataclass(frozen=True)
class Due:
    verifikasi: datetime
    tindak_lanjut: datetime


def due_times(
    received: datetime,
    kategori: str,
    calendar: Calendar,
    days: Mapping[str, int],
    dispatched: datetime | None = None,
) -> Due:
    """When each stage falls due; the follow-up counts from ``dispatched`` when known."""
    n = stage_days(kategori, days)
    verifikasi = calendar.add_workdays(received, n["verifikasi"])
    tindak_lanjut = calendar.add_workdays(dispatched or verifikasi, n["tindak_lanjut"])
    return Due(verifikasi=verifikasi, tindak_lanjut=tindak_lanjut)


@dataclass(frozen=True)
class StageStatus:
    due: datetime
    met_at: datetime | None  # the first event that closed the stage
    met: bool | None  # True on time, False late (done late or overdue), None open and not yet due
    late_now: bool  # open and past due at ``now``


@dataclass(frozen=True)
class DeadlineStatus:
    verifikasi: StageStatus
    tindak_lanjut: StageStatus
    first_response_hours: float | None  # working hours from receipt to the follow-up (or rejection)


def _on_time(moment: datetime, due: datetime) -> bool:
    return moment < due + ONE_SECOND


def _stage(due: datetime, met_at: datetime | None, now: datetime) -> StageStatus:
    if met_at is not None:
        return StageStatus(due=due, met_at=met_at, met=_on_time(met_at, due), late_now=False)
    late = not _on_time(now, due)
    return StageStatus(due=due, met_at=None, met=False if late else None, late_now=late)


def _first(
    events: Sequence[Mapping[str, Any]], kinds: frozenset[str], calendar: Calendar, now: datetime
) -> datetime | None:
    times = []
    for event in events:
        at = event.get("waktu")
        if event.get("jenis") not in kinds or not isinstance(at, datetime):
            continue
        at = calendar.local(at)
        if at <= now:
            times.append(at)
    return min(times, default=None)


def evaluate(
    received: datetime,
    events: Sequence[Mapping[str, Any]],
    kategori: str,
    calendar: Calendar,
    days: Mapping[str, int],
    now: datetime,
) -> DeadlineStatus:
    """The deadline status of one complaint at ``now``, from its events (``jenis``, ``waktu``)."""
    received, now = calendar.local(received), calendar.local(now)
    verified = _first(events, MEETS["verifikasi"], calendar, now)
    answered = _first(events, MEETS["tindak_lanjut"], calendar, now)
    due = due_times(received, kategori, calendar, days, dispatched=verified)
    return DeadlineStatus(
        verifikasi=_stage(due.verifikasi, verified, now),
        tindak_lanjut=_stage(due.tindak_lanjut, answered, now),
        first_response_hours=None if answered is None else calendar.working_hours_between(received, answered),
    )


@dataclass(frozen=True)
class AnswerStatus:
    """One reporter's event that the unit has to answer."""

    event: Mapping[str, Any]
    due: datetime
    met_at: datetime | None  # the unit's first answer after it
    met: bool | None  # True on time, False late, None open and not yet due
    late_now: bool


def answers(
    events: Sequence[Mapping[str, Any]],
    kategori: str,
    calendar: Calendar,
    days: Mapping[str, int],
    follow_up_due: datetime,
    now: datetime,
) -> list[AnswerStatus]:
    """Each reporter's event that asks for an answer, oldest first, with its deadline and whether it was met."""
    n = stage_days(kategori, days)["tindak_lanjut"]
    now = calendar.local(now)
    known = [(calendar.local(e["waktu"]), e) for e in events if isinstance(e.get("waktu"), datetime)]
    timed = sorted(((at, e) for at, e in known if at <= now), key=lambda pair: pair[0])
    found = []
    for i, (at, event) in enumerate(timed):
        if event.get("jenis") not in ASKS_ANSWER:
            continue
        due = max(calendar.add_workdays(at, n), follow_up_due)
        met_at = next((t for t, e in timed[i + 1 :] if e.get("jenis") in MEETS["tindak_lanjut"] and t >= at), None)
        stage = _stage(due, met_at, now)
        found.append(AnswerStatus(event=event, due=due, met_at=met_at, met=stage.met, late_now=stage.late_now))
    return found


def reopen_until(closed_at: datetime, calendar: Calendar) -> datetime:
    """The last moment a closed complaint may be asked to be handled again."""
    return calendar.add_workdays(closed_at, REOPEN_WINDOW_DAYS)

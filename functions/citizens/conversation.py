"""A complaint as a conversation: its state from the events of both sides, and what the reporter may do next.

Rules (SP4N-LAPOR!, DOMAIN.md sections 3 and 8; deadlines in ``functions.citizens.deadlines``):
- The unit's events: Diterima, Didisposisikan, Ditindaklanjuti (an answer), Selesai, Ditolak (closings).
- The reporter's events, with the tracking code and PIN: ``Informasi Tambahan`` (while the complaint is
  open), ``Tanggapan Pelapor`` (an answer to the unit's follow-up, before it closes), ``Penilaian`` (Puas or
  Tidak Puas, once per round of handling, after the unit answered in it) and ``Minta Ditangani Ulang`` (a
  closed complaint, within ``deadlines.REOPEN_WINDOW_DAYS`` working days of its closing).
- A follow-up left without a reporter's reply for ``aduan_tutup_otomatis`` working days closes the complaint
  (Selesai) at the end of that day. A reply or added information after a follow-up puts the complaint back to
  the unit (state ``Diproses``), as does a request to handle it again, which also starts a new round (the
  reporter may rate the new answer). A rating changes no state and stops no automatic closing.
- A Tidak Puas rating, a request to handle again and a reply without text are refused: each needs the
  reporter's reason (``catatan``); a Puas rating may come without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions.citizens import deadlines
from functions.rendering import format_date
from functions.rules.workdays import Calendar

ADD, REPLY, RATE, REOPEN = "Informasi Tambahan", "Tanggapan Pelapor", "Penilaian", "Minta Ditangani Ulang"
REPORTER_ACTIONS = (ADD, REPLY, RATE, REOPEN)
RATINGS = ("Puas", "Tidak Puas")
ANSWER, CLOSINGS = "Ditindaklanjuti", ("Selesai", "Ditolak")
WAITING_STATES = ("Diterima", "Didisposisikan", "Diproses")  # open, no answer of the unit to reply to
BACK_TO_UNIT = "Diproses"


@dataclass(frozen=True)
class Thread:
    state: str
    closed_at: datetime | None  # when a closed complaint closed (the automatic closing: the end of its day)
    answered: bool  # the unit answered in the current round
    rated: bool  # the reporter rated the current round


def _auto_close(thread: Thread, answered_at: datetime | None, until: datetime, calendar: Calendar, days: int) -> Thread:
    if thread.state != ANSWER or answered_at is None:
        return thread
    closes = calendar.add_workdays(answered_at, days)
    if until > closes:
        return Thread(state="Selesai", closed_at=closes, answered=True, rated=thread.rated)
    return thread


def derive(events: Sequence[Mapping[str, Any]], calendar: Calendar, close_after: int, now: datetime) -> Thread:
    """The thread at ``now`` from the events in time order."""
    thread = Thread(state="Diterima", closed_at=None, answered=False, rated=False)
    answered_at: datetime | None = None
    for event in sorted(events, key=lambda e: e["waktu"]):
        at, kind = event["waktu"], event["jenis"]
        thread = _auto_close(thread, answered_at, at, calendar, close_after)
        if kind in ("Diterima", "Didisposisikan"):
            thread = Thread(kind, None, thread.answered, thread.rated)
        elif kind == ANSWER:
            thread, answered_at = Thread(ANSWER, None, True, thread.rated), at
        elif kind in CLOSINGS:
            thread = Thread(kind, at, True, thread.rated)
        elif kind in (ADD, REPLY) and thread.state == ANSWER:
            thread = Thread(BACK_TO_UNIT, None, thread.answered, thread.rated)
        elif kind == RATE:
            thread = Thread(thread.state, thread.closed_at, thread.answered, True)
        elif kind == REOPEN:
            thread = Thread(BACK_TO_UNIT, None, False, False)
    return _auto_close(thread, answered_at, now, calendar, close_after)


def refusal(kind: str, thread: Thread, calendar: Calendar, now: datetime) -> str | None:
    """Why the reporter may not do ``kind`` now (an Indonesian sentence), or None when they may."""
    if kind == ADD and thread.state not in WAITING_STATES:
        if thread.state == ANSWER:
            return "Unit sudah menjawab: kirim tambahan Anda sebagai tanggapan atas jawaban unit."
        return "Pengaduan ini sudah ditutup; informasi tidak dapat ditambahkan lagi."
    if kind == REPLY and thread.state != ANSWER:
        return "Tanggapan hanya dapat dikirim setelah unit menjawab dan sebelum pengaduan ditutup."
    if kind == RATE and not thread.answered:
        return "Penilaian dapat diberikan setelah unit menjawab pengaduan Anda."
    if kind == RATE and thread.rated:
        return "Anda sudah menilai penanganan ini."
    if kind == REOPEN:
        return _reopen_refusal(thread, calendar, now)
    return None


def _reopen_refusal(thread: Thread, calendar: Calendar, now: datetime) -> str | None:
    if thread.state not in CLOSINGS or thread.closed_at is None:
        return "Penanganan ulang hanya dapat diminta setelah pengaduan selesai atau ditolak."
    until = deadlines.reopen_until(thread.closed_at, calendar)
    if calendar.local(now) > until:
        return (
            f"Batas waktu permintaan penanganan ulang sudah lewat: paling lambat {deadlines.REOPEN_WINDOW_DAYS} "
            f"hari kerja setelah pengaduan ditutup, yaitu {format_date(until)}. Silakan kirim pengaduan baru."
        )
    return None


def allowed(thread: Thread, calendar: Calendar, now: datetime) -> tuple[str, ...]:
    """The reporter's actions possible now, in the order the page offers them."""
    return tuple(k for k in REPORTER_ACTIONS if refusal(k, thread, calendar, now) is None)


def needs_reason(kind: str, rating: str | None) -> bool:
    return not (kind == RATE and rating == "Puas")

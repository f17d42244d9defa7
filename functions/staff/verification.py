"""Supervisors verify their team's daily reports: Disetujui, or Dikembalikan with a note.

A supervisor is any employee named as ``nip_atasan`` by someone. They see and verify the
reports of their own direct team only; the decision lands in the person-editable
verification columns of LaporanHarian.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from functions import periods, schema
from functions.errors import Forbidden, ValidationError
from functions.store import Row, Store

# The review page's "waiting" list and the supervisor digest cover the same days: an activity still waiting after
# this is left to the Verifikasi Tertunda warning (functions/scoring/warnings.py).
PENDING_DAYS = 28


def pending_since(today: date) -> date:
    """The first day of the waiting list, on the review page and in the supervisor digest alike."""
    return today - timedelta(days=PENDING_DAYS - 1)


DECISIONS = ("Disetujui", "Dikembalikan")
STATUSES = ("Menunggu", "Disetujui", "Dikembalikan")
PENDING, APPROVED, RETURNED = STATUSES
WEEK_RE = re.compile(r"([0-9]{4})-W([0-9]{2})")  # ASCII digits, with fullmatch
REPLACES = "menggantikan"  # LaporanHarian: the activity a correction replaces (functions.staff.corrections)


def team(store: Store, supervisor_nip: str) -> list[Row]:
    """The supervisor's direct reports, active ones first, by name."""
    members = store.records("Pegawai", where={"nip_atasan": supervisor_nip})
    return sorted(members, key=lambda r: (r.get("aktif") is False, r["nama"]))


def iso_week(value: str | None, today: date) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written ``2026-W48`` (as a browser's week field sends it); this week when
    empty. Anything else is a ValidationError naming ``minggu``: int() alone would take "2026-W4_8" or "٢٠٢٦"."""
    if value:
        match = WEEK_RE.fullmatch(value.strip())
        try:
            if match is None:
                raise ValueError(value)
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError as err:
            this = periods.week(today)
            raise ValidationError(
                {
                    "minggu": f"Minggu: pilih dari kalender, atau tulis seperti {this.label} "
                    f"(untuk {periods.span_text(this.start, this.end)})."
                }
            ) from err
        return monday, monday + timedelta(days=6)
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class TeamReports:
    members: list[Row]
    rows: list[Row]  # by person (name, NIP), then day
    start: date
    end: date
    replaced: dict[str, Row]  # a correction's id -> the returned activity it replaces (when read)
    replaced_ids: set[str]  # activities that a correction replaced: history, not to decide on again

    def by_person(self) -> list[tuple[str, list[Row]]]:
        """(NIP, their listed activities) in the order of :attr:`rows`."""
        groups: dict[str, list[Row]] = {}
        for r in self.rows:
            groups.setdefault(r["nip"], []).append(r)
        return list(groups.items())

    def waiting(self, nip: str | None = None) -> list[Row]:
        """The listed activities still waiting for a decision (of one person when ``nip`` is given)."""
        return [
            r
            for r in self.rows
            if r["verifikasi"] == PENDING and r["id"] not in self.replaced_ids and nip in (None, r["nip"])
        ]


def team_reports(
    store: Store, supervisor_nip: str, start: date, end: date, person: str | None = None, status: str | None = None
) -> TeamReports:
    members = team(store, supervisor_nip)
    nips = [m["nip"] for m in members]
    if person:
        if person not in nips:
            raise Forbidden("Pegawai tersebut bukan anggota tim Anda.")
        nips = [person]
    rows: list[Row] = []
    for nip in nips:
        rows.extend(store.records("LaporanHarian", where={"nip": nip}, start=start, end=end))
    by_id = {r["id"]: r for r in rows}
    replaced = {r["id"]: by_id[r[REPLACES]] for r in rows if r.get(REPLACES) in by_id}
    replaced_ids = {r[REPLACES] for r in rows if r.get(REPLACES)}
    if status in STATUSES:
        rows = [r for r in rows if r["verifikasi"] == status]
    rows.sort(key=lambda r: (r["nama"], r["nip"], r["tanggal"], r["id"]))
    return TeamReports(members=members, rows=rows, start=start, end=end, replaced=replaced, replaced_ids=replaced_ids)


def verify(
    store: Store,
    supervisor_nip: str,
    decisions: Mapping[str, tuple[str, str]],
    now: datetime,
    *,
    start: date,
    end: date,
) -> int:
    """Record decisions {activity id: (status, note)}; all are checked before any is written.

    ``start`` and ``end``: the days of the activities decided on (the days the page listed). Only those are looked
    up, so that on Google Sheets a decision reads the spreadsheets of those days, not every month ever; an id of
    another day is refused as one outside the team. Returns the number of activities updated.
    """
    note_col = schema.sheet("LaporanHarian").column("catatan_verifikasi")
    _team_rows(store, supervisor_nip, decisions, start, end)
    errors: dict[str, str] = {}
    updates: list[tuple[str, dict[str, object]]] = []
    for activity_id, (status, note) in decisions.items():
        if status not in DECISIONS:
            errors[f"status-{activity_id}"] = "Pilih Disetujui atau Dikembalikan."
            continue
        try:
            note_value = note_col.parse(note)
        except ValueError as err:
            errors[f"catatan-{activity_id}"] = f"Catatan: {err}."
            continue
        if status == "Dikembalikan" and not note_value:
            errors[f"catatan-{activity_id}"] = (
                "Catatan wajib diisi bila laporan dikembalikan: tulis apa yang perlu diperbaiki."
            )
            continue
        updates.append(
            (
                activity_id,
                {
                    "verifikasi": status,
                    "catatan_verifikasi": note_value,
                    "diverifikasi_oleh": supervisor_nip,
                    "diverifikasi_pada": now,
                },
            )
        )
    if errors:
        raise ValidationError(errors)
    for activity_id, values in updates:
        store.set_cells("LaporanHarian", activity_id, values)
    return len(updates)


def _team_rows(store: Store, supervisor_nip: str, activity_ids: Iterable[str], start: date, end: date) -> list[Row]:
    """The activities ``activity_ids`` of the supervisor's team dated from ``start`` to ``end``; Forbidden (403)
    when one is not, before anything is written."""
    team_nips = {m["nip"] for m in team(store, supervisor_nip)}
    found = []
    for activity_id in activity_ids:
        rows = store.records("LaporanHarian", where={"id": activity_id}, start=start, end=end)
        if not rows or rows[0]["nip"] not in team_nips:
            raise Forbidden("Laporan tersebut bukan milik anggota tim Anda.")
        found.append(rows[0])
    return found


@dataclass(frozen=True)
class BulkResult:
    approved: int  # activities approved now
    decided_before: int  # activities that were no longer waiting: left as they were


def approve_all(
    store: Store, supervisor_nip: str, activity_ids: Sequence[str], now: datetime, *, start: date, end: date
) -> BulkResult:
    """Approve the listed activities that still wait (Menunggu), all checked before any is written.

    What a supervisor confirmed is a list of ids, so an activity that arrived meanwhile is never approved unseen;
    one decided meanwhile (returned in another tab) keeps its decision. Sending the same list again approves
    nothing more. ``start`` and ``end`` as for :func:`verify`.
    """
    if not activity_ids:
        raise ValidationError({"setujui": "Tidak ada kegiatan yang menunggu untuk disetujui pada pilihan ini."})
    rows = _team_rows(store, supervisor_nip, dict.fromkeys(activity_ids), start, end)
    waiting = [r["id"] for r in rows if r["verifikasi"] == PENDING]
    values = {"verifikasi": APPROVED, "catatan_verifikasi": None, "diverifikasi_oleh": supervisor_nip}
    for activity_id in waiting:
        store.set_cells("LaporanHarian", activity_id, {**values, "diverifikasi_pada": now})
    return BulkResult(approved=len(waiting), decided_before=len(rows) - len(waiting))

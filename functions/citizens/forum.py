"""Suara Warga: a public forum per service, where citizens suggest and ask and the unit answers in public.

Rules (this module is their one place):
- A citizen posts a Saran or a Pertanyaan about an active service (SuaraWarga), with no name, contact or account.
- Nothing is public until an operator whose units cover the service's unit publishes it (Diterbitkan) with the text
  they checked: they may edit personal data or abuse out of it; the original stays in the private SuaraWarga sheet.
  Or they decline it (Ditolak) with a reason, which is never public.
- The unit answers in public (Dijawab) and tells what it did (Ditindaklanjuti); a follow-up without an answer
  before it is an answer too. Events are appended (SuaraWargaPeristiwa), never edited, and the state is derived
  from them: Menunggu -> Diterbitkan -> Dijawab -> Ditindaklanjuti, or Menunggu -> Ditolak. Each step is allowed
  once, in this order.
- Public statuses: Diterima (published, no answer yet), Dijawab, Ditindaklanjuti.
- Answer time: the working days (``functions.rules.workdays``, with the HariLibur overrides) strictly after the day
  of receipt, up to and including the day of the first answer (Dijawab or Ditindaklanjuti); 0 for an answer on
  the day of receipt. Until the answer, the same count up to today ("menunggu sejak").
- Support: once per device. A support's id is an HMAC of the suggestion and the device's random cookie, so a
  second support from one device is the same row, the cookie itself is never stored, and the supports of one
  device on two suggestions cannot be linked.
- Public pages show the day only (no time), never the original text, a reason for a decline, who published or
  answered, the submission id or anything of the device. A suggestion is referred to publicly by the id of its
  publication event, which the operator's console made.
"""

from __future__ import annotations

import hashlib
import hmac
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from functions import ids, schema
from functions.errors import ValidationError
from functions.rules.workdays import Calendar
from functions.store import Row, Store

KINDS = ("Saran", "Pertanyaan")
PUBLISHED, DECLINED, ANSWERED, FOLLOWED_UP = "Diterbitkan", "Ditolak", "Dijawab", "Ditindaklanjuti"
WAITING, RECEIVED = "Menunggu", "Diterima"  # before moderation; published without an answer (the public word)
PUBLIC_STATES = (RECEIVED, ANSWERED, FOLLOWED_UP)
# The events each state allows next.
NEXT: Mapping[str, tuple[str, ...]] = {
    WAITING: (PUBLISHED, DECLINED),
    RECEIVED: (ANSWERED, FOLLOWED_UP),
    ANSWERED: (FOLLOWED_UP,),
    FOLLOWED_UP: (),
    DECLINED: (),
}
STATE_AFTER = {PUBLISHED: RECEIVED, DECLINED: DECLINED, ANSWERED: ANSWERED, FOLLOWED_UP: FOLLOWED_UP}
LABELS = {
    "jenis": "Jenis",
    "teks": "Saran atau pertanyaan",
    "layanan": "Layanan",
    "suara": "Saran",
    "aksi": "Tindakan",
    "alasan": "Alasan penolakan",
}
ACTION_TEXT = {
    PUBLISHED: "Teks yang diterbitkan",
    ANSWERED: "Jawaban unit",
    FOLLOWED_UP: "Tindak lanjut unit",
}


@dataclass(frozen=True)
class Suggestion:
    row: Row  # SuaraWarga
    events: tuple[Row, ...]  # in the order they happened
    supports: int

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def state(self) -> str:
        return STATE_AFTER[self.events[-1]["jenis"]] if self.events else WAITING

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    def event(self, kind: str) -> Row | None:
        return next((e for e in self.events if e["jenis"] == kind), None)

    @property
    def public_id(self) -> str | None:
        """How public pages name it: the id of its publication event."""
        published = self.event(PUBLISHED)
        return str(published["id"]) if published else None

    @property
    def public_text(self) -> str:
        published = self.event(PUBLISHED)
        return str(published["teks"]) if published else ""

    @property
    def edited(self) -> bool:
        """Whether the operator changed the text before publishing it."""
        return self.is_public and self.public_text.strip() != str(self.row["teks"]).strip()

    @property
    def answered_on(self) -> date | None:
        first = next((e for e in self.events if e["jenis"] in (ANSWERED, FOLLOWED_UP)), None)
        return first["tanggal"] if first else None


def answer_days(received: date, answered: date, calendar: Calendar) -> int:
    """Working days strictly after the day of receipt up to and including the day of the answer."""
    if answered <= received:
        return 0
    return len(calendar.workdays_between(date.fromordinal(received.toordinal() + 1), answered))


def days_taken(suggestion: Suggestion, calendar: Calendar, today: date) -> int:
    """The answer time of an answered suggestion; the working days waited so far of one not answered yet."""
    return answer_days(suggestion.row["tanggal"], suggestion.answered_on or today, calendar)


def _parse(sheet: str, key: str, raw: str, label: str, errors: dict[str, str], field: str) -> Any:
    try:
        return schema.sheet(sheet).column(key).parse(raw)
    except ValueError as err:
        errors[field] = f"{label}: {err}."
        return None


def post(form: Mapping[str, str], service: Row, store: Store, now: datetime) -> tuple[Row, bool]:
    """Store a citizen's suggestion or question about an active service. Returns (row as stored, newly stored)."""
    errors: dict[str, str] = {}
    submission = form.get("id_kiriman", "")
    if not ids.is_valid(submission):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang formulir lalu kirim lagi."
    kind = form.get("jenis", "").strip()
    if kind not in KINDS:
        errors["jenis"] = f"{LABELS['jenis']}: pilih Saran atau Pertanyaan."
    text = _parse("SuaraWarga", "teks", form.get("teks", ""), LABELS["teks"], errors, "teks")
    if "teks" not in errors and not text:
        errors["teks"] = f"{LABELS['teks']} wajib diisi: tulis saran atau pertanyaan Anda tentang layanan ini."
    if errors:
        raise ValidationError(errors)
    row = {
        "id": submission,
        "id_layanan": service["id"],
        "unit": service["unit"],
        "jenis": kind,
        "teks": text,
        "tanggal": now.date(),
        "diterima_pada": now,
    }
    created = not store.append("SuaraWarga", [row]).was_duplicate
    return store.records("SuaraWarga", where={"id": submission})[0], created


def load(
    store: Store, *, service: str | None = None, units: Iterable[str] | None = None, supports: bool = True
) -> list[Suggestion]:
    """Suggestions with their events and (unless ``supports`` is False) their number of supports, newest first;
    of one service (reading only its rows), or of some units, or all."""
    where = {"id_layanan": service} if service is not None else None
    scope = None if units is None else list(units)
    rows = store.records("SuaraWarga", where=where, unit=scope)
    wanted = {r["id"] for r in rows}
    events: dict[str, list[Row]] = {}
    for event in store.records("SuaraWargaPeristiwa", where=where, unit=scope):
        if event["id_suara"] in wanted:
            events.setdefault(event["id_suara"], []).append(event)
    counts: dict[str, int] = {}
    for support in store.records("DukunganSuara", where=where) if supports else ():
        if support["id_suara"] in wanted:
            counts[support["id_suara"]] = counts.get(support["id_suara"], 0) + 1
    found = [
        Suggestion(r, tuple(sorted(events.get(r["id"], []), key=lambda e: e["waktu"])), counts.get(r["id"], 0))
        for r in rows
    ]
    return sorted(found, key=lambda s: s.row["diterima_pada"], reverse=True)


def published(store: Store, service: str) -> list[Suggestion]:
    """The public suggestions of a service, newest first."""
    return [s for s in load(store, service=service) if s.is_public]


def by_public_id(store: Store, public_id: str) -> Suggestion | None:
    """A public suggestion by the id of its publication event."""
    if not ids.is_valid(public_id):
        return None
    events = store.records("SuaraWargaPeristiwa", where={"id": public_id})
    if not events or events[0]["jenis"] != PUBLISHED:
        return None
    rows = store.records("SuaraWarga", where={"id": events[0]["id_suara"]})
    found = load(store, service=rows[0]["id_layanan"]) if rows else []
    return next((s for s in found if s.id == events[0]["id_suara"] and s.is_public), None)


def act(form: Mapping[str, str], suggestion: Suggestion, by_nip: str, store: Store, now: datetime) -> bool:
    """Record the unit's step (publish, decline, answer, follow up) as a new event; the caller has checked that the
    operator covers the suggestion's unit. Returns False when it was a retry already stored."""
    errors: dict[str, str] = {}
    event_id = form.get("id_kiriman", "")
    if not ids.is_valid(event_id):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang halaman lalu kirim lagi."
    elif store.records("SuaraWargaPeristiwa", where={"id": event_id}):
        return False  # a retry of a step already stored
    kind = form.get("jenis", "")
    if kind not in NEXT[suggestion.state]:
        allowed = ", ".join(NEXT[suggestion.state]) or "tidak ada lagi"
        errors["jenis"] = f"{LABELS['aksi']}: saran ini {suggestion.state.lower()}; tindakan yang mungkin: {allowed}."
    event: dict[str, Any] = {
        "id": event_id,
        "id_suara": suggestion.id,
        "id_layanan": suggestion.row["id_layanan"],
        "unit": suggestion.row["unit"],
        "jenis": kind,
        "oleh_nip": by_nip,
        "tanggal": now.date(),
        "waktu": now,
    }
    if kind == DECLINED:
        event["alasan"] = _parse(
            "SuaraWargaPeristiwa", "alasan", form.get("alasan", ""), LABELS["alasan"], errors, "alasan"
        )
        if "alasan" not in errors and not event["alasan"]:
            errors["alasan"] = f"{LABELS['alasan']} wajib diisi (tidak ditampilkan kepada publik)."
    elif kind in ACTION_TEXT:
        label = ACTION_TEXT[kind]
        event["teks"] = _parse("SuaraWargaPeristiwa", "teks", form.get("teks", ""), label, errors, "teks")
        if "teks" not in errors and not event["teks"]:
            errors["teks"] = f"{label} wajib diisi: teks ini tampil di halaman publik."
    if errors:
        raise ValidationError(errors)
    return not store.append("SuaraWargaPeristiwa", [event]).was_duplicate


def support_key(secret: str, suggestion_id: str, device: str) -> str:
    """The id of a device's support of a suggestion: 64 hex digits that reveal neither."""
    message = f"dukungan-suara:{suggestion_id}:{device}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def support(store: Store, secret: str, suggestion: Suggestion, device: str, today: date) -> bool:
    """Count one device's support of a public suggestion. Returns False when this device had supported it."""
    if not suggestion.is_public:
        raise ValueError("only a published suggestion can be supported")
    key = support_key(secret, suggestion.id, device)
    row = {"id": key, "id_suara": suggestion.id, "id_layanan": suggestion.row["id_layanan"], "tanggal": today}
    return not store.append("DukunganSuara", [row]).was_duplicate


@dataclass(frozen=True)
class Summary:
    """What the forum answered and did, for the transparency page: of the suggestions received in a window and
    published (whatever became of them since), how many were answered and how many followed up, and the median
    answer time of the answered ones in working days (None when none was answered)."""

    diterima: int
    dijawab: int
    ditindaklanjuti: int
    median_hari_kerja: float | None


def summary(store: Store, start: date, end: date, unit: str | None = None, service: str | None = None) -> Summary:
    """The forum's figures for suggestions received from ``start`` to ``end`` (inclusive), of the city, a unit or a
    service; declined and not yet moderated ones are not counted."""
    units = None if unit is None else [unit]
    chosen = [s for s in load(store, service=service, units=units) if s.is_public and start <= s.row["tanggal"] <= end]
    calendar = Calendar.from_store(store)
    days = [answer_days(s.row["tanggal"], s.answered_on, calendar) for s in chosen if s.answered_on is not None]
    return Summary(
        diterima=len(chosen),
        dijawab=len(days),
        ditindaklanjuti=len([s for s in chosen if s.state == FOLLOWED_UP]),
        median_hari_kerja=float(statistics.median(days)) if days else None,
    )

"""Complaints (Aduan): filing with a tracking code, events, derived state, who may see what.

Rules (SP4N-LAPOR!, Perpres 76/2013; UU 27/2022 on personal data):
- A complaint gets an unguessable tracking code; its life is appended events, never edits,
  and its state is derived from them (the last event; a follow-up left unanswered for
  ``aduan_tutup_otomatis`` working days counts as Selesai).
- The reporter talks back with the tracking code and a PIN (``conversation``): adds information,
  answers the unit's follow-up, rates the handling, asks for it to be handled again.
- The reporter's contact is kept apart (AduanKontak), shown only to the handling unit, and
  never kept at all when the reporter chose Anonim.
- The handling unit is the last unit a complaint was dispatched to, else the unit named by
  the reporter. A complaint whose unit nobody knew waits for the verifiers: the heads of
  units, who dispatch it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions import ids, schema
from functions.citizens import conversation, deadlines
from functions.citizens.conversation import Thread
from functions.citizens.deadlines import AnswerStatus, DeadlineStatus
from functions.errors import Forbidden, ValidationError
from functions.rules import config
from functions.rules.workdays import Calendar
from functions.store import Row, Store

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed from a photo
CODE_GROUPS = 3
CODE_RE = re.compile(r"^ADU-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
RECEIVED_SUFFIX = "-diterima"  # the Diterima event's id is the submission id plus this
FILING_ID_MAX = 64 - len(RECEIVED_SUFFIX)  # so that the event id fits AduanPeristiwa.id (64 characters)
PHONE_RE = re.compile(r"\+?[0-9][0-9 -]{6,18}[0-9]")
PHONE_MAX = 20  # AduanKontak.telepon
OPEN_STATES = ("Diterima", "Didisposisikan")
FINAL_STATES = ("Selesai", "Ditolak")
ACTIONS = ("Didisposisikan", "Ditindaklanjuti", "Selesai", "Ditolak")
LABELS = {
    "kategori": "Kategori",
    "unit": "Unit yang diadukan",
    "uraian": "Uraian pengaduan",
    "privasi": "Pilihan privasi",
    "telepon": "Nomor telepon",
    "email": "Email",
    "jenis": "Tindakan",
    "unit_tujuan": "Unit tujuan",
    "nip_tujuan": "Pegawai yang ditugasi",
    "catatan": "Catatan",
    "penilaian": "Penilaian",
    "kode": "Kode pelacakan",
    "pin": "PIN",
}
REPORTER_NOTE = {  # how the reporter's form names its text, by action
    conversation.ADD: "Informasi tambahan",
    conversation.REPLY: "Tanggapan Anda",
    conversation.RATE: "Alasan penilaian",
    conversation.REOPEN: "Alasan meminta ditangani ulang",
}


def new_code() -> str:
    """ADU-XXXX-XXXX-XXXX: 60 random bits, easy to read out and copy."""
    groups = ("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(CODE_GROUPS))
    return "ADU-" + "-".join(groups)


def normalize_code(text: str) -> str | None:
    """A typed code in its canonical form, or None when it cannot be one."""
    letters = re.sub(r"[\s-]", "", (text or "").upper())
    if letters.startswith("ADU"):
        letters = letters[3:]
    if len(letters) != 12:
        return None
    code = "ADU-" + "-".join(letters[i : i + 4] for i in range(0, 12, 4))
    return code if CODE_RE.match(code) else None


@dataclass(frozen=True)
class Complaint:
    row: Row
    events: list[Row]
    state: str
    unit: str | None  # the handling unit now
    assignee: str | None  # NIP of the employee it was dispatched to, if any
    deadline: DeadlineStatus
    thread: Thread
    answers: list[AnswerStatus]  # the reporter's events the unit has to answer, with their deadlines

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def is_open(self) -> bool:
        return self.state not in FINAL_STATES

    @property
    def waiting(self) -> list[AnswerStatus]:
        """The reporter's events still waiting for the unit's answer."""
        return [a for a in self.answers if a.met_at is None]


def _parse(sheet: str, key: str, raw: str, errors: dict[str, str], field: str | None = None) -> Any:
    try:
        return schema.sheet(sheet).column(key).parse(raw)
    except ValueError as err:
        errors[field or key] = f"{LABELS[field or key]}: {err}."
        return None


def file(form: Mapping[str, str], store: Store, calendar: Calendar, now: datetime) -> tuple[Row, bool, bool]:
    """File a complaint. Returns (Aduan row as stored, newly stored, contact dropped for Anonim)."""
    errors: dict[str, str] = {}
    submission = form.get("id_kiriman", "")
    if not ids.is_valid(submission, FILING_ID_MAX):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang formulir lalu kirim lagi."
    kategori = _parse("Aduan", "kategori", form.get("kategori", ""), errors)
    unit = form.get("unit", "").strip()
    if unit and not store.records("Unit", where={"kode": unit}):
        errors["unit"] = f"{LABELS['unit']}: pilih unit dari daftar, atau pilih Tidak tahu."
    uraian = _parse("Aduan", "uraian", form.get("uraian", ""), errors)
    privasi = _parse("Aduan", "privasi", form.get("privasi", ""), errors)
    for key in ("kategori", "uraian", "privasi"):
        if key not in errors and not form.get(key, "").strip():
            errors[key] = f"{LABELS[key]} wajib diisi."
    phone = form.get("telepon", "").strip()
    if phone and (len(phone) > PHONE_MAX or not PHONE_RE.fullmatch(phone)):
        errors["telepon"] = f"{LABELS['telepon']}: tulis nomor telepon atau WhatsApp, mis. 0812 3456 7890."
    email = _parse("AduanKontak", "email", form.get("email", ""), errors)
    if errors:
        raise ValidationError(errors)
    anonymous = privasi == "Anonim"
    has_contact = bool(phone or email) and not anonymous
    days = deadlines.days_from_store(store)
    due = deadlines.due_times(now, kategori, calendar, days)
    row = {
        "id": submission,
        "kode": new_code(),
        "tanggal": now.date(),
        "diterima_pada": now,
        "kategori": kategori,
        "unit": unit or None,
        "uraian": uraian,
        "privasi": privasi,
        "ada_kontak": has_contact,
        "batas_verifikasi": due.verifikasi,
        "batas_tindak_lanjut": due.tindak_lanjut,
    }
    created = not store.append("Aduan", [row]).was_duplicate
    stored = store.records("Aduan", where={"id": submission})[0]
    # Contact and the first event are appended idempotently too, so a retry heals a crash in between.
    if has_contact:
        store.append(
            "AduanKontak",
            [{"id": submission, "telepon": phone or None, "email": email, "diterima_pada": stored["diterima_pada"]}],
        )
    store.append(
        "AduanPeristiwa",
        [
            {
                "id": f"{submission}{RECEIVED_SUFFIX}",
                "id_aduan": submission,
                "jenis": "Diterima",
                "waktu": stored["diterima_pada"],
            }
        ],
    )
    return stored, created, anonymous and bool(phone or email)


def _assemble(
    row: Row, events: list[Row], calendar: Calendar, days: Mapping[str, int], close_after: int, now: datetime
) -> Complaint:
    events = sorted(events, key=lambda e: e["waktu"])
    thread = conversation.derive(events, calendar, close_after, now)
    dispatches = [e for e in events if e["jenis"] == "Didisposisikan"]
    unit = (dispatches[-1]["unit_tujuan"] if dispatches else None) or row.get("unit")
    assignee = dispatches[-1]["nip_tujuan"] if dispatches else None
    status = deadlines.evaluate(row["diterima_pada"], events, row["kategori"], calendar, days, now)
    answers = deadlines.answers(events, row["kategori"], calendar, days, status.tindak_lanjut.due, now)
    return Complaint(
        row=row,
        events=events,
        state=thread.state,
        unit=unit,
        assignee=assignee,
        deadline=status,
        thread=thread,
        answers=answers,
    )


def all_complaints(store: Store, calendar: Calendar, now: datetime) -> list[Complaint]:
    """Every complaint with its events, newest first (each sheet read once)."""
    by_id: dict[str, list[Row]] = {}
    for event in store.records("AduanPeristiwa"):
        by_id.setdefault(event["id_aduan"], []).append(event)
    days = deadlines.days_from_store(store)
    close_after = config.get(store, "aduan_tutup_otomatis")
    rows = store.records("Aduan")
    return [_assemble(r, by_id.get(r["id"], []), calendar, days, close_after, now) for r in reversed(rows)]


def by_code(store: Store, code: str, calendar: Calendar, now: datetime) -> Complaint | None:
    rows = store.records("Aduan", where={"kode": code})
    if not rows:
        return None
    events = store.records("AduanPeristiwa", where={"id_aduan": rows[0]["id"]})
    days = deadlines.days_from_store(store)
    return _assemble(rows[0], events, calendar, days, config.get(store, "aduan_tutup_otomatis"), now)


def is_verifier(store: Store, nip: str) -> bool:
    """Heads of units verify and dispatch complaints whose unit the reporter did not know."""
    return any(u.get("nip_kepala") == nip for u in store.records("Unit"))


def visible_to(complaint: Complaint, employee: Row, verifier: bool) -> bool:
    if complaint.unit:
        return bool(complaint.unit == employee["unit"])
    return verifier


def contact_for(store: Store, complaint: Complaint, employee: Row) -> Row | None:
    """The reporter's contact, for the handling unit only; never for an anonymous complaint."""
    if complaint.row["privasi"] == "Anonim" or not complaint.row["ada_kontak"]:
        return None
    if complaint.unit != employee["unit"]:
        return None
    rows = store.records("AduanKontak", where={"id": complaint.id})
    return rows[0] if rows else None


def act(
    form: Mapping[str, str], complaint: Complaint, employee: Row, store: Store, verifier: bool, now: datetime
) -> bool:
    """Record a handling action as a new event. Returns False when it was a retry already stored."""
    if not visible_to(complaint, employee, verifier):
        raise Forbidden("Pengaduan ini tidak ditangani unit Anda.")
    errors: dict[str, str] = {}
    event_id = form.get("id_kiriman", "")
    if not ids.is_valid(event_id):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang halaman lalu kirim lagi."
    action = form.get("jenis", "")
    if action not in ACTIONS:
        errors["jenis"] = f"{LABELS['jenis']}: pilih salah satu: {', '.join(ACTIONS)}."
    note = _parse("AduanPeristiwa", "catatan", form.get("catatan", ""), errors)
    event: dict[str, Any] = {
        "id": event_id,
        "id_aduan": complaint.id,
        "jenis": action,
        "waktu": now,
        "oleh_nip": employee["nip"],
        "catatan": note,
    }
    retry = ids.is_valid(event_id) and bool(store.records("AduanPeristiwa", where={"id": event_id}))
    if not complaint.is_open and not retry:
        errors["jenis"] = f"Pengaduan ini sudah {complaint.state.lower()}; tidak ada tindakan lagi."
    if action == "Didisposisikan":
        _dispatch_target(form, employee, store, event, errors)
    if action in ("Ditindaklanjuti", "Ditolak") and not note and "catatan" not in errors:
        what = "jawaban untuk pelapor" if action == "Ditindaklanjuti" else "alasan penolakan"
        errors["catatan"] = f"{LABELS['catatan']} wajib diisi: tulis {what}. Teks ini tampil di halaman status."
    if errors:
        raise ValidationError(errors)
    return not store.append("AduanPeristiwa", [event]).was_duplicate


def _dispatch_target(
    form: Mapping[str, str], employee: Row, store: Store, event: dict[str, Any], errors: dict[str, str]
) -> None:
    unit = form.get("unit_tujuan", "").strip()
    nip = form.get("nip_tujuan", "").strip()
    if unit and not store.records("Unit", where={"kode": unit}):
        errors["unit_tujuan"] = f"{LABELS['unit_tujuan']}: pilih unit dari daftar."
        return
    if nip:
        people = store.records("Pegawai", where={"nip": nip}) if re.fullmatch(r"[0-9]{18}", nip) else []
        if not people or people[0].get("aktif") is False or people[0]["unit"] != (unit or employee["unit"]):
            errors["nip_tujuan"] = f"{LABELS['nip_tujuan']}: pilih pegawai aktif dari unit tujuan."
            return
        event["nip_tujuan"] = nip
    if not unit and not nip:
        errors["unit_tujuan"] = f"{LABELS['unit_tujuan']}: pilih unit atau pegawai yang akan menangani."
        return
    event["unit_tujuan"] = unit or employee["unit"]


def public_events(
    complaint: Complaint, unit_names: Mapping[str, str], reporter_text: bool = False
) -> list[dict[str, Any]]:
    """The timeline a reporter sees: no staff names, no internal dispatch notes. What the reporter wrote shows
    only with ``reporter_text`` (the PIN was given, or the reporter chose Biasa)."""
    shown = []
    for e in complaint.events:
        jenis = e["jenis"]
        if jenis in conversation.REPORTER_ACTIONS:
            rating = f"Pelapor menilai penanganan: {e.get('penilaian')}." if jenis == conversation.RATE else ""
            own = e.get("catatan") if reporter_text else None
            text = " ".join(t for t in (rating, own or ("" if rating else f"{jenis} dari pelapor.")) if t)
        else:
            text = {
                "Diterima": "Pengaduan diterima.",
                "Didisposisikan": f"Diteruskan ke {unit_names.get(e.get('unit_tujuan') or '', 'unit terkait')}.",
                "Ditindaklanjuti": e.get("catatan") or "Ditindaklanjuti.",
                "Selesai": e.get("catatan") or "Pengaduan dinyatakan selesai.",
                "Ditolak": e.get("catatan") or "Pengaduan ditolak.",
            }[jenis]
        shown.append({"jenis": jenis, "waktu": e["waktu"], "teks": text, "pelapor": jenis in REPORTER_NOTE})
    return shown


def respond(form: Mapping[str, str], complaint: Complaint, store: Store, calendar: Calendar, now: datetime) -> bool:
    """Record the reporter's action (the PIN already checked) as a new event. Returns False when it was a retry
    already stored; raises ValidationError naming the field, storing nothing."""
    errors: dict[str, str] = {}
    event_id = form.get("id_kiriman", "")
    if not ids.is_valid(event_id):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang halaman lalu kirim lagi."
    action = form.get("jenis", "")
    rating = form.get("penilaian", "").strip() or None
    note = _parse("AduanPeristiwa", "catatan", form.get("catatan", ""), errors)
    retry = ids.is_valid(event_id) and bool(store.records("AduanPeristiwa", where={"id": event_id}))
    if action not in conversation.REPORTER_ACTIONS:
        errors["jenis"] = f"{LABELS['jenis']}: pilih salah satu: {', '.join(conversation.REPORTER_ACTIONS)}."
    elif not retry and (why := conversation.refusal(action, complaint.thread, calendar, now)):
        errors["jenis"] = why
    elif action == conversation.RATE and rating not in conversation.RATINGS:
        errors["penilaian"] = f"{LABELS['penilaian']}: pilih Puas atau Tidak Puas."
    elif not note and "catatan" not in errors and conversation.needs_reason(action, rating):
        errors["catatan"] = f"{REPORTER_NOTE[action]} wajib diisi."
    if errors:
        raise ValidationError(errors)
    event = {
        "id": event_id,
        "id_aduan": complaint.id,
        "jenis": action,
        "waktu": now,
        "catatan": note,
        "penilaian": rating if action == conversation.RATE else None,
    }
    return not store.append("AduanPeristiwa", [event]).was_duplicate


def expired_contacts(store: Store, retention_days: int, now: datetime) -> list[str]:
    """Ids of contacts received more than ``retention_days`` ago."""
    cutoff = now.timestamp() - retention_days * 86400
    return [r["id"] for r in store.records("AduanKontak") if r["diterima_pada"].timestamp() < cutoff]


def purge_contacts(store: Store, retention_days: int, now: datetime) -> int:
    return store.delete("AduanKontak", expired_contacts(store, retention_days, now))


def unit_names(store: Store) -> dict[str, str]:
    return {u["kode"]: u["nama"] for u in store.records("Unit")}


def sort_for_handling(items: Sequence[Complaint]) -> list[Complaint]:
    """Open ones first, the most urgent (earliest follow-up due) first."""
    return sorted(items, key=lambda c: (not c.is_open, c.deadline.tindak_lanjut.due))

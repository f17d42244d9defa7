"""Daily work reports: turning a submitted form into LaporanHarian rows.

The NIP comes from the personal link, never from the form. One submission holds one or
more activities and carries an id made by the form; a retry with the same id and the
same content is a no-op, with other content a 409 (see the store).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from functions import ids, schema
from functions.errors import ValidationError
from functions.rendering import format_date
from functions.rules import config
from functions.staff import corrections, verification
from functions.store import Row, Store

ACTIVITY_FIELDS = ("tanggal", "kegiatan", "id_target", "kuantitas", "durasi_menit", "bukti_dukung", "kendala")
# A block counts as filled when one of these has text (tanggal and id_target come pre-filled).
CONTENT_FIELDS = ("kegiatan", "kuantitas", "durasi_menit", "bukti_dukung", "kendala")
# The labels the form shows, so that a message names the field the person sees.
LABELS = {
    "tanggal": "Tanggal",
    "kegiatan": "Kegiatan",
    "id_target": "Indikator SKP",
    "kuantitas": "Kuantitas",
    "durasi_menit": "Durasi",
    "bukti_dukung": "Bukti dukung",
    "kendala": "Kendala",
}
DEFAULT_BLOCKS = 2
# Required on the form though optional in the sheet: an activity imported from e-Kinerja has no duration.
FORM_REQUIRED = ("durasi_menit",)
# A block's field name, ``kegiatan-0``: ASCII digits (int() would take "٣" too), no final newline.
BLOCK_FIELD = re.compile(r"[a-z_]+-([0-9]{1,2})")
# How far back the personal page looks for the last submission and the latest activities. On Google Sheets a month
# of LaporanHarian is split over several spreadsheets (each read whole), so an unbounded look-up by NIP would read
# every one ever made on every visit; two weeks (or the report age limit, if longer) is what the page shows.
RECENT_DAYS = 14
# At most 24 hours of activities per person and day, over all of their submissions.
DAY_MINUTES = 24 * 60


@dataclass
class Draft:
    """What the person typed, kept as text so that a refused form comes back as it was."""

    submission_id: str
    blocks: list[dict[str, str]]
    errors: dict[str, str] = field(default_factory=dict)
    replaces: str = ""  # the id of the returned activity this draft corrects (functions.staff.corrections)

    @classmethod
    def empty(cls, today: date, targets: list[Row], count: int = DEFAULT_BLOCKS) -> Draft:
        first = targets[0]["id"] if len(targets) == 1 else ""
        blocks = [
            {**dict.fromkeys(ACTIVITY_FIELDS, ""), "tanggal": today.isoformat(), "id_target": first}
            for _ in range(count)
        ]
        return cls(submission_id=ids.new_id(), blocks=blocks)

    @classmethod
    def from_form(cls, form: Mapping[str, str], max_blocks: int) -> Draft:
        indexes = sorted({int(m.group(1)) for key in form if (m := BLOCK_FIELD.fullmatch(key))})
        blocks = [{name: form.get(f"{name}-{i}", "") for name in ACTIVITY_FIELDS} for i in indexes[: max_blocks + 5]]
        blocks = blocks or [dict.fromkeys(ACTIVITY_FIELDS, "")]
        replaces = form.get(corrections.FIELD, "").strip()
        if replaces:
            # A correction is one activity, and its id is the one of every attempt to correct that activity.
            return cls(submission_id=corrections.submission_id(replaces), blocks=blocks[:1], replaces=replaces)
        return cls(submission_id=form.get("id_kiriman", ""), blocks=blocks)

    @classmethod
    def correction_of(cls, row: Row) -> Draft:
        """The returned activity ``row`` again, as typed, to be fixed and sent as its correction."""
        block = {name: _plain(row.get(name)) for name in ACTIVITY_FIELDS}
        block["tanggal"] = row["tanggal"].isoformat()
        return cls(submission_id=corrections.submission_id(row["id"]), blocks=[block], replaces=row["id"])


@dataclass(frozen=True)
class Receipt:
    rows: list[Row]
    duplicate: bool


def targets_for(store: Store, nip: str, year: int) -> list[Row]:
    """The employee's own SKP indicators for a year, in sheet order."""
    return [t for t in store.records("Target", where={"nip": nip}) if t["tahun"] == year]


def recent_window(store: Store, today: date) -> tuple[date, date]:
    """The days the personal page looks at: the last :data:`RECENT_DAYS`, or back to the oldest day a report may
    still be sent for, whichever is longer (so that a submission sent today always shows)."""
    days = max(RECENT_DAYS, int(config.get(store, "laporan_batas_hari")))
    return today - timedelta(days=days), today


def _own_recent(store: Store, nip: str, today: date | None) -> list[Row]:
    """The employee's activities in sheet order: of :func:`recent_window` (all of them when ``today`` is None)."""
    if today is None:
        return store.records("LaporanHarian", where={"nip": nip})
    start, end = recent_window(store, today)
    return store.records("LaporanHarian", where={"nip": nip}, start=start, end=end)


def last_submission(store: Store, nip: str, *, today: date | None = None) -> list[Row]:
    """The activities of the employee's most recent submission (within :func:`recent_window` of ``today``).

    ``today`` None looks through the whole sheet: only for the small SQLite store, never for a page on Sheets.
    """
    rows = _own_recent(store, nip, today)
    if not rows:
        return []
    last = rows[-1]["id_kiriman"]
    return [r for r in rows if r["id_kiriman"] == last]


def fixable(store: Store, nip: str, today: date) -> list[Row]:
    """The employee's returned activities of :func:`recent_window` not corrected yet, newest first."""
    return corrections.fixable(_own_recent(store, nip, today))


def replaced(store: Store, nip: str, replaced_id: str, today: date) -> Row:
    """The returned activity a correction replaces (see ``corrections.find``): one of :func:`recent_window`, the
    days the personal page lists it in, a day wider for a form opened before midnight and sent after it."""
    start, end = recent_window(store, today)
    return corrections.find(store, nip, replaced_id, start - timedelta(days=1), end)


def copy_of(rows: list[Row], today: date) -> Draft:
    """A new draft holding yesterday's activities again, dated today."""
    blocks = []
    for r in rows:
        blocks.append(
            {
                "tanggal": today.isoformat(),
                "kegiatan": r["kegiatan"] or "",
                "id_target": r["id_target"] or "",
                "kuantitas": _plain(r["kuantitas"]),
                "durasi_menit": _plain(r["durasi_menit"]),
                "bukti_dukung": "",
                "kendala": r["kendala"] or "",
            }
        )
    return Draft(submission_id=ids.new_id(), blocks=blocks or [dict.fromkeys(ACTIVITY_FIELDS, "")])


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _filled(block: Mapping[str, str]) -> bool:
    return any(block.get(name, "").strip() for name in CONTENT_FIELDS)


def validate(draft: Draft, employee: Row, store: Store, now: datetime) -> list[Row]:
    """Check a draft and build its rows; raises ValidationError naming each bad field."""
    sheet = schema.sheet("LaporanHarian")
    today = now.date()
    max_age = config.get(store, "laporan_batas_hari")
    max_blocks = config.get(store, "laporan_maks_kegiatan")
    errors: dict[str, str] = {}
    if not ids.is_valid(draft.submission_id):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang formulir lalu kirim lagi."
    # A correction may keep the date of the activity it replaces, however long ago the supervisor returned it.
    kept_day = replaced(store, employee["nip"], draft.replaces, today)["tanggal"] if draft.replaces else None
    filled = [(i, b) for i, b in enumerate(draft.blocks) if _filled(b)]
    if not filled:
        errors["kegiatan-0"] = "Isi paling sedikit satu kegiatan."
    if len(filled) > max_blocks:
        errors[f"kegiatan-{filled[max_blocks][0]}"] = f"Paling banyak {max_blocks} kegiatan dalam satu kiriman."
    targets: dict[int, dict[str, Row]] = {}
    rows: list[Row] = []
    durations: list[tuple[int, date, int]] = []
    for number, (i, block) in enumerate(filled, start=1):
        values = _parsed(sheet, block, i, errors)
        day = values.get("tanggal")
        if isinstance(day, date) and (late := _day_error(day, today, max_age, kept_day)):
            errors[f"tanggal-{i}"] = late
        target = None
        if "id_target" in values and isinstance(day, date):
            year_targets = targets.setdefault(
                day.year, {t["id"]: t for t in targets_for(store, employee["nip"], day.year)}
            )
            target = year_targets.get(values["id_target"])
            if target is None:
                errors[f"id_target-{i}"] = "Pilih indikator SKP dari daftar target Anda untuk tahun tersebut."
        if isinstance(day, date) and f"tanggal-{i}" not in errors and isinstance(values.get("durasi_menit"), int):
            durations.append((i, day, values["durasi_menit"]))
        if target is not None and not any(k.endswith(f"-{i}") for k in errors):
            rows.append(
                {
                    **values,
                    "id": f"{draft.submission_id}-{number}",
                    "id_kiriman": draft.submission_id,
                    "nip": employee["nip"],
                    "nama": employee["nama"],
                    "unit": employee["unit"],
                    "indikator": target["indikator"],
                    "satuan": target["satuan"],
                    "diterima_pada": now,
                    "verifikasi": verification.PENDING,
                    corrections.COLUMN: draft.replaces or None,
                }
            )
    for key, message in _over_a_day(store, employee["nip"], draft.submission_id, durations).items():
        errors.setdefault(key, message)
    if errors:
        raise ValidationError(errors)
    return rows


def _parsed(sheet: schema.Sheet, block: Mapping[str, str], i: int, errors: dict[str, str]) -> dict[str, Any]:
    """The values of block ``i`` that parse; each field that does not is named in ``errors``."""
    values: dict[str, Any] = {}
    for name in ACTIVITY_FIELDS:
        col = sheet.column(name)
        try:
            value = col.parse(block.get(name, ""))
        except ValueError as err:
            errors[f"{name}-{i}"] = f"{LABELS[name]}: {err}."
            continue
        if value is None and (col.required or name in FORM_REQUIRED):
            errors[f"{name}-{i}"] = f"{LABELS[name]} wajib diisi."
            continue
        values[name] = value
    return values


def _day_error(day: date, today: date, max_age: int, kept_day: date | None) -> str:
    """Why an activity cannot be dated ``day`` ("" when it can): not in the future, not older than ``max_age``
    days, except ``kept_day``, the date of the returned activity a correction replaces."""
    if day > today:
        return "Tanggal tidak boleh di masa depan."
    if day < today - timedelta(days=max_age) and day != kept_day:
        return f"Tanggal terlalu lama: laporan hanya dapat diisi untuk {max_age} hari terakhir."
    return ""


def _over_a_day(store: Store, nip: str, submission_id: str, durations: list[tuple[int, date, int]]) -> dict[str, str]:
    """The durasi fields of blocks that would take the person's day past 24 hours, counting what is stored.

    A day holds at most :data:`DAY_MINUTES` of activities across all of a person's submissions, not only within
    one. The stored activities of this very submission (ids ``<submission id>-<n>``) are left out, so that an
    idempotent resend is checked as the first send was and stays a no-op. Returned activities (Dikembalikan) are
    left out too: the time was spent, but the supervisor asks for a corrected activity, which the person sends
    again and which would otherwise count the same minutes twice; so are activities a correction replaced
    (``corrections.counted``), whatever their status. A block that does not fit is not counted for
    the blocks after it, so each message tells the minutes really left.
    """
    if not durations:
        return {}
    days = [day for _i, day, _minutes in durations]
    used: dict[date, int] = {}
    stored = store.records("LaporanHarian", where={"nip": nip}, start=min(days), end=max(days))
    for row in corrections.counted(stored):
        minutes = row.get("durasi_menit")
        if (
            str(row.get("id") or "").startswith(f"{submission_id}-")
            or row.get("verifikasi") == verification.RETURNED
            or not isinstance(row.get("tanggal"), date)
            or not isinstance(minutes, (int, float))
            or isinstance(minutes, bool)
        ):
            continue
        used[row["tanggal"]] = used.get(row["tanggal"], 0) + int(minutes)
    errors: dict[str, str] = {}
    for i, day, minutes in durations:
        free = max(0, DAY_MINUTES - used.get(day, 0))
        if minutes > free:
            errors[f"durasi_menit-{i}"] = (
                f"{LABELS['durasi_menit']}: jumlah kegiatan tanggal {format_date(day, with_day=False)} melebihi "
                f"24 jam ({DAY_MINUTES} menit). Sudah terisi {DAY_MINUTES - free} menit, sisa waktu hari itu "
                f"{free} menit."
            )
            continue
        used[day] = used.get(day, 0) + minutes
    return errors


def filled_indexes(draft: Draft) -> list[int]:
    """The indexes of the draft's blocks that become rows, in row order (row ``n`` is the ``n``-th of these)."""
    return [i for i, block in enumerate(draft.blocks) if _filled(block)]


def submit(draft: Draft, employee: Row, store: Store, now: datetime) -> Receipt:
    """Validate and store a submission; a retry of a stored one returns what is stored."""
    return store_rows(draft, validate(draft, employee, store, now), store)


def store_rows(draft: Draft, rows: list[Row], store: Store) -> Receipt:
    """Store the validated ``rows`` of ``draft``; a retry of a stored submission returns what is stored."""
    result = store.append("LaporanHarian", rows)
    if result.was_duplicate:
        # A duplicate holds the same rows, so the same days: only the spreadsheets of those days are read.
        days = [r["tanggal"] for r in rows]
        stored = store.records(
            "LaporanHarian", where={"id_kiriman": draft.submission_id}, start=min(days), end=max(days)
        )
        return Receipt(rows=stored, duplicate=True)
    return Receipt(rows=rows, duplicate=False)


def recent(store: Store, nip: str, limit: int = 10, *, today: date | None = None) -> list[Row]:
    """The employee's latest activities (within :func:`recent_window` of ``today``), newest first, with their
    verification. ``today`` None looks through the whole sheet, as :func:`last_submission`."""
    return list(reversed(_own_recent(store, nip, today)[-limit:]))

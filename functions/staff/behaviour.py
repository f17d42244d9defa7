"""Monthly rating of perilaku kerja: a supervisor rates each direct team member on BerAKHLAK.

PermenPANRB 6/2022 rates perilaku kerja on the seven BerAKHLAK values (UU 20/2023 Pasal 4),
each Di Atas / Sesuai / Di Bawah Ekspektasi; the overall rating is computed on receipt by
``predikat.rating_perilaku``. A month is rated in its window (``window``: its last week to the
fifth working day of the next). Rows of PenilaianPerilaku are never changed: a correction within
the window is one more submission, and the latest row of a (periode, nip) counts (``latest``).
A submission carries an id made by the form, so a retry is recognised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from functions import ids, periods, schema
from functions.errors import BadRequest, Forbidden, ValidationError
from functions.periods import Period
from functions.rendering import MONTHS, format_date
from functions.rules import predikat
from functions.rules.workdays import Calendar
from functions.staff import verification
from functions.store import Row, Store

SHEET = "PenilaianPerilaku"
# When a month is rated. Programme policy of Pantau Kinerja (no regulation sets these days; PermenPANRB 6/2022 only
# lets organisations evaluate monthly): the month just ended is rated from its last seven days to the end of the
# fifth working day of the next month, so that a supervisor rates what they saw, while the month's scores wait for
# it. Working days are the city's (functions.rules.workdays: Perpres 21/2023, national holidays and cuti bersama,
# the HariLibur overrides). This is the one place that says so.
OPENS_DAYS_BEFORE_END = 7  # the month's last week: from its seventh-last day
CLOSES_WORKDAY = 5  # up to and including the fifth working day of the next month
NOTE = "catatan"
NOTE_REQUIRED = (
    "Catatan untuk {nama} wajib diisi karena ada nilai Di Bawah Ekspektasi: "
    "tulis perilaku apa yang teramati dan tindak lanjutnya."
)
UNCHANGED = "Belum ada penilaian yang berubah: ubah paling sedikit satu nilai atau catatan, lalu simpan."


def field(key: str, nip: str) -> str:
    """The form field of one value (or the note) of one team member: ``akuntabel-<nip>``."""
    return f"{key}-{nip}"


def opens(period: Period) -> date:
    """The first day a month can be rated: the first of its last seven days."""
    return period.end - timedelta(days=OPENS_DAYS_BEFORE_END - 1)


def closes(period: Period, calendar: Calendar) -> date:
    """The last day a month can be rated: the fifth working day after it."""
    after = period.end + timedelta(days=1)
    return calendar.workdays_between(after, after + timedelta(days=45))[CLOSES_WORKDAY - 1]


@dataclass(frozen=True)
class Window:
    """The month that can be rated on a day, with its first and last day; ``period`` None outside every window,
    and then ``opens`` and ``closes`` are those of the next month to rate."""

    period: Period | None
    rated: Period  # the month rated now, or the next one to be
    opens: date
    closes: date


def window(today: date, calendar: Calendar) -> Window:
    """The rating window of ``today``: on 6 December 2026 November 2026 is rated (until 7 December)."""
    this = periods.month(today)
    if today >= opens(this):
        return Window(this, this, opens(this), closes(this, calendar))
    last = this.previous()
    if today <= closes(last, calendar):
        return Window(last, last, opens(last), closes(last, calendar))
    return Window(None, this, opens(this), closes(this, calendar))


def month(text: str | None, today: date, calendar: Calendar) -> Period:
    """The month a form rates: the one open on ``today`` (``bulan=TTTT-BB`` may name it).

    Outside every window, or naming another month, a BadRequest (400) that says which month is open, or when the
    next one opens.
    """
    open_now = window(today, calendar)
    if open_now.period is not None and (not text or text.strip() == open_now.period.label):
        return open_now.period
    if open_now.period is None:
        raise BadRequest(closed_message(open_now))
    raise BadRequest(
        f"Saat ini yang dapat dinilai hanya bulan {month_name(open_now.period)}, sampai "
        f"{format_date(open_now.closes)}. Buka tautan tanpa bagian bulan untuk menilainya."
    )


def month_name(period: Period) -> str:
    """``November 2026``."""
    return f"{MONTHS[period.start.month - 1]} {period.start.year}"


def closed_message(closed: Window) -> str:
    """What the page says outside every window: when the next month can be rated."""
    return (
        f"Penilaian perilaku bulan {month_name(closed.rated)} dibuka {format_date(closed.opens)} sampai "
        f"{format_date(closed.closes)}. Setiap bulan dinilai dari minggu terakhirnya sampai hari kerja ke-"
        f"{CLOSES_WORKDAY} bulan berikutnya."
    )


def team(store: Store, supervisor_nip: str) -> list[Row]:
    """The supervisor's active direct reports, by name: the people they rate."""
    return [m for m in verification.team(store, supervisor_nip) if m.get("aktif") is not False]


def latest(store: Store, periode: str, nips: Iterable[str], *, besides: str = "") -> dict[str, Row]:
    """The row that counts for each of ``nips`` rated in a month: the latest received, then the lowest in the sheet.

    Read person by person (on Cloud Functions each is one document of the read model, never the city's sheet).
    ``besides``: a submission id whose rows are left out (what counted before that submission).
    """
    best: dict[str, tuple[float, Row]] = {}
    rows = [r for nip in sorted(set(nips)) for r in store.records(SHEET, where={"periode": periode, "nip": nip})]
    for row in rows:
        if besides and row.get("id_kiriman") == besides:
            continue
        received = row.get("diterima_pada")
        stamp = received.timestamp() if isinstance(received, datetime) else float("-inf")
        current = best.get(row["nip"])
        if current is None or stamp >= current[0]:
            best[row["nip"]] = (stamp, row)
    return {nip: row for nip, (_, row) in best.items()}


@dataclass(frozen=True)
class Member:
    employee: Row
    current: Row | None  # the rating that counts for the month, if any


def overview(store: Store, supervisor_nip: str, period: Period) -> list[Member]:
    """Each team member with the rating that counts for the month."""
    members = team(store, supervisor_nip)
    current = latest(store, period.label, [m["nip"] for m in members])
    return [Member(employee=m, current=current.get(m["nip"])) for m in members]


@dataclass(frozen=True)
class Receipt:
    count: int  # team members rated by the submission
    duplicate: bool  # a retry of a submission already stored


def rows_from_form(store: Store, supervisor: Row, period: Period, form: Mapping[str, str], now: datetime) -> list[Row]:
    """Check a submitted form and build its rows, all or nothing.

    A team member left completely blank is skipped, and so is one whose values and note are those of the rating
    that counts already (the form shows them prefilled, so an edit of one member sends the others unchanged). Someone
    outside the supervisor's team is a Forbidden (403); anything else wrong is one ValidationError naming every field.
    """
    members = {m["nip"]: m for m in team(store, supervisor["nip"])}
    keys = {*predikat.BERAKHLAK_KEYS, NOTE}
    named: set[str] = set()
    for name, value in form.items():
        key, dash, nip = name.rpartition("-")
        if dash and key in keys and value.strip():
            named.add(nip)
    if named - members.keys():
        raise Forbidden("Pegawai yang Anda nilai bukan anggota tim langsung Anda yang aktif.")
    submission_id = form.get("id_kiriman", "")
    errors: dict[str, str] = {}
    if not ids.is_valid(submission_id):
        errors["id_kiriman"] = "ID kiriman tidak valid. Muat ulang halaman lalu kirim lagi."
    if not named:
        errors["penilaian"] = "Belum ada penilaian: pilih ketujuh nilai untuk paling sedikit satu anggota tim."
    note_column = schema.sheet(SHEET).column(NOTE)
    before = latest(store, period.label, named, besides=submission_id)
    rows: list[Row] = []
    unchanged = 0
    for nip, member in members.items():
        if nip not in named:
            continue
        own: dict[str, str] = {}
        ratings: dict[str, str] = {}
        for nilai in predikat.BERAKHLAK:
            chosen = form.get(field(nilai.key, nip), "").strip()
            if not chosen:
                own[field(nilai.key, nip)] = f"{member['nama']}: {nilai.name} belum dipilih."
            elif chosen not in predikat.RATINGS:
                own[field(nilai.key, nip)] = (
                    f"{member['nama']}: {nilai.name} harus salah satu dari {', '.join(predikat.RATINGS)}."
                )
            else:
                ratings[nilai.key] = chosen
        note = None
        try:
            note = note_column.parse(form.get(field(NOTE, nip), ""))
        except ValueError as err:
            own[field(NOTE, nip)] = f"Catatan untuk {member['nama']}: {err}."
        if predikat.BELOW in ratings.values() and note is None and field(NOTE, nip) not in own:
            own[field(NOTE, nip)] = NOTE_REQUIRED.format(nama=member["nama"])
        errors.update(own)
        if own:
            continue
        if _same(before.get(nip), ratings, note):
            unchanged += 1
            continue
        rows.append(
            {
                "id": f"{submission_id}-{nip}",
                "id_kiriman": submission_id,
                "periode": period.label,
                "nip": nip,
                "nama": member["nama"],
                "unit": member["unit"],
                "nip_penilai": supervisor["nip"],
                **ratings,
                "rating_perilaku": predikat.rating_perilaku(ratings),
                "catatan": note,
                "diterima_pada": now,
            }
        )
    if not rows and unchanged and not errors:
        errors["penilaian"] = UNCHANGED
    if errors:
        raise ValidationError(errors)
    return rows


def _same(current: Row | None, ratings: Mapping[str, str], note: str | None) -> bool:
    return current is not None and current.get(NOTE) == note and all(current.get(k) == v for k, v in ratings.items())


def prefilled(members: list[Member]) -> dict[str, str]:
    """The form's fields holding each member's rating that counts (values and note), for "Ubah penilaian"."""
    fields: dict[str, str] = {}
    for m in members:
        if m.current is None:
            continue
        for key in predikat.BERAKHLAK_KEYS:
            fields[field(key, m.employee["nip"])] = m.current.get(key) or ""
        fields[field(NOTE, m.employee["nip"])] = m.current.get(NOTE) or ""
    return fields


def submit(store: Store, supervisor: Row, period: Period, form: Mapping[str, str], now: datetime) -> Receipt:
    """Validate and store a submission; a retry of a stored one stores nothing again."""
    rows = rows_from_form(store, supervisor, period, form, now)
    result = store.append(SHEET, rows)
    if result.was_duplicate:
        # Same rows, so the same month: only that month's spreadsheet is read on Google Sheets.
        stored = store.records(SHEET, where={"periode": period.label, "id_kiriman": rows[0]["id_kiriman"]})
        return Receipt(count=len(stored), duplicate=True)
    return Receipt(count=len(rows), duplicate=False)

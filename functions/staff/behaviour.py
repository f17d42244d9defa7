"""Monthly rating of perilaku kerja: a supervisor rates each direct team member on BerAKHLAK.

PermenPANRB 6/2022 rates perilaku kerja on the seven BerAKHLAK values (UU 20/2023 Pasal 4),
each Di Atas / Sesuai / Di Bawah Ekspektasi; the overall rating is computed on receipt by
``predikat.rating_perilaku``. Rows of PenilaianPerilaku are never changed: a correction
within the month is one more submission, and the latest row of a (periode, nip) counts
(``latest``). A submission carries an id made by the form, so a retry is recognised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from functions import ids, periods, schema
from functions.errors import BadRequest, Forbidden, ValidationError
from functions.periods import Period
from functions.rules import predikat
from functions.staff import verification
from functions.store import Row, Store

SHEET = "PenilaianPerilaku"
# Program policy: how many months can be rated, counting back from the current one (2: this month and the last).
OPEN_MONTHS = 2
NOTE = "catatan"
NOTE_REQUIRED = (
    "Catatan untuk {nama} wajib diisi karena ada nilai Di Bawah Ekspektasi: "
    "tulis perilaku apa yang teramati dan tindak lanjutnya."
)


def field(key: str, nip: str) -> str:
    """The form field of one value (or the note) of one team member: ``akuntabel-<nip>``."""
    return f"{key}-{nip}"


def open_months(today: date, count: int = OPEN_MONTHS) -> list[Period]:
    """The months that can be rated on ``today``, the current one first."""
    months = [periods.month(today)]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


def month(text: str | None, today: date) -> Period:
    """The month a form rates, from ``bulan=TTTT-BB``; the current month when empty.

    A month outside ``open_months`` is a BadRequest (400) naming the months allowed.
    """
    allowed = open_months(today)
    if not text:
        return allowed[0]
    for period in allowed:
        if period.label == text.strip():
            return period
    labels = " atau ".join(p.label for p in allowed)
    raise BadRequest(
        f"Penilaian perilaku hanya dapat diisi untuk bulan {labels}. "
        "Buka tautan tanpa bagian bulan untuk menilai bulan ini."
    )


def team(store: Store, supervisor_nip: str) -> list[Row]:
    """The supervisor's active direct reports, by name: the people they rate."""
    return [m for m in verification.team(store, supervisor_nip) if m.get("aktif") is not False]


def latest(store: Store, periode: str) -> dict[str, Row]:
    """The row that counts for each NIP rated in a month: the latest received, then the lowest in the sheet."""
    best: dict[str, tuple[float, Row]] = {}
    for row in store.records(SHEET, where={"periode": periode}):
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
    current = latest(store, period.label)
    return [Member(employee=m, current=current.get(m["nip"])) for m in team(store, supervisor_nip)]


@dataclass(frozen=True)
class Receipt:
    count: int  # team members rated by the submission
    duplicate: bool  # a retry of a submission already stored


def rows_from_form(store: Store, supervisor: Row, period: Period, form: Mapping[str, str], now: datetime) -> list[Row]:
    """Check a submitted form and build its rows, all or nothing.

    A team member left completely blank is skipped. Someone outside the supervisor's team
    is a Forbidden (403); anything else wrong is one ValidationError naming every field.
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
    rows: list[Row] = []
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
    if errors:
        raise ValidationError(errors)
    return rows


def submit(store: Store, supervisor: Row, period: Period, form: Mapping[str, str], now: datetime) -> Receipt:
    """Validate and store a submission; a retry of a stored one stores nothing again."""
    rows = rows_from_form(store, supervisor, period, form, now)
    result = store.append(SHEET, rows)
    if result.was_duplicate:
        # Same rows, so the same month: only that month's spreadsheet is read on Google Sheets.
        stored = store.records(SHEET, where={"periode": period.label, "id_kiriman": rows[0]["id_kiriman"]})
        return Receipt(count=len(stored), duplicate=True)
    return Receipt(count=len(rows), duplicate=False)

"""A person's day in the fields and order of e-Kinerja BKN's Progres Harian, to copy into it, and what it lacks.

Progres Harian asks for the day (*tanggal*), the RHK the activity belongs to, a description (*uraian*), the output
or realisation, and the evidence (*bukti dukung*); README "e-Kinerja BKN" names the sources. Each activity of the
day that counts (a correction in place of the activity it replaces, ``corrections.counted``) is one entry; its RHK
is the ``rencana_hasil_kerja`` of the Target row it names by ``id_target``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from functions.rendering import format_date, format_number
from functions.staff import corrections
from functions.store import Row, Store

NO_RHK = "(belum terhubung ke RHK)"
NO_EVIDENCE = "(belum ada)"
LABELS = ("Tanggal", "RHK", "Uraian", "Output/realisasi", "Bukti dukung")  # e-Kinerja's fields, in its order


@dataclass(frozen=True)
class Entry:
    id: str
    day: date
    rhk: str  # empty: the activity names no RHK of the person
    uraian: str
    output: str  # '3 surat'
    evidence: str  # a link, or empty

    def fields(self) -> list[tuple[str, str]]:
        values = (format_date(self.day, False), self.rhk or NO_RHK, self.uraian, self.output)
        return [*zip(LABELS, values, strict=False), (LABELS[4], self.evidence or NO_EVIDENCE)]

    def text(self) -> str:
        """The entry as one text to paste: a line per field, 'Label: value'."""
        return "\n".join(f"{label}: {value}" for label, value in self.fields())


def day_text(entries: list[Entry]) -> str:
    """The whole day: its entries' texts, a blank line between them."""
    return "\n\n".join(e.text() for e in entries)


def entries(store: Store, nip: str, day: date) -> list[Entry]:
    """The person's activities of ``day`` that count, in the order they were sent."""
    rows = store.records("LaporanHarian", where={"nip": nip}, start=day, end=day)
    return _entries(rows, _rhk(store.records("Target", where={"nip": nip}))).get(nip, [])


def everyone(store: Store, day: date) -> dict[str, list[Entry]]:
    """:func:`entries` of every person who sent an activity of ``day``, each sheet read once (for the reminders)."""
    return _entries(store.records("LaporanHarian", start=day, end=day), _rhk(store.records("Target")))


def _rhk(targets: list[Row]) -> dict[str, str]:
    """The RHK of each Target row by id (a person's ``id_target`` names a row of their own)."""
    return {str(t["id"]): str(t.get("rencana_hasil_kerja") or "") for t in targets}


def _entries(rows: list[Row], rhk: dict[str, str]) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for r in sorted(corrections.counted(rows), key=lambda r: (str(r.get("diterima_pada") or ""), r["id"])):
        found.setdefault(str(r["nip"]), []).append(_entry(r, rhk.get(str(r.get("id_target") or ""), "")))
    return found


def _entry(row: Row, rhk: str) -> Entry:
    return Entry(
        id=str(row["id"]),
        day=row["tanggal"],
        rhk=rhk,
        uraian=str(row.get("kegiatan") or ""),
        output=_output(row.get("kuantitas"), row.get("satuan")),
        evidence=str(row.get("bukti_dukung") or ""),
    )


def _output(quantity: Any, unit: Any) -> str:
    return " ".join(p for p in (format_number(quantity), str(unit or "")) if p)


@dataclass(frozen=True)
class Gaps:
    """What a day lacks for e-Kinerja: no entry at all, or entries without evidence or without an RHK."""

    empty: bool
    no_evidence: int
    no_rhk: int

    @property
    def any(self) -> bool:
        return self.empty or bool(self.no_evidence or self.no_rhk)


def gaps(day_entries: list[Entry]) -> Gaps:
    return Gaps(
        empty=not day_entries,
        no_evidence=sum(1 for e in day_entries if not e.evidence),
        no_rhk=sum(1 for e in day_entries if not e.rhk),
    )

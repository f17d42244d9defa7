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
    rows = corrections.counted(store.records("LaporanHarian", where={"nip": nip}, start=day, end=day))
    rhk = {t["id"]: str(t.get("rencana_hasil_kerja") or "") for t in store.records("Target", where={"nip": nip})}
    ordered = sorted(rows, key=lambda r: (str(r.get("diterima_pada") or ""), r["id"]))
    return [_entry(r, rhk.get(str(r.get("id_target") or ""), "")) for r in ordered]


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

"""Which spreadsheet holds which sheet on Google, and the registry (``_Berkas``) that remembers them.

One spreadsheet holds at most 10,000,000 cells, and a city-month of activity reports is already near a tenth of
that, so the sheets are spread over several spreadsheets, each found by a *place* (role and key):

=============  ===========  =========================================  ==============================================
role (Peran)   key (Kunci)  title                                      holds
=============  ===========  =========================================  ==============================================
``admin``                   Pantau Kinerja — Admin                     every master sheet, and the registry
                                                                       ``_Berkas``; its id is a setting
                                                                       (``KINERJA_SHEETS_ADMIN_ID``)
``masukan``    ``2026-11``  Pantau Kinerja — Masukan 2026-11           the big intake sheets (:data:`MONTHLY`) by the
               ``2026-11.2`` Pantau Kinerja — Masukan 2026-11 bagian 2 month of their period or date column (and days)
``masukan``                 Pantau Kinerja — Masukan                   the other intake sheets: complaints and their
                                                                       events, looked up by code over their whole life
``kontak``                  Pantau Kinerja — Kontak Pelapor            private sheets (citizens' contact data), never
                                                                       shared beyond the service account
``turunan``    ``2026-11``  Pantau Kinerja — Turunan 2026-11           derived sheets, by the month their period ends
                                                                       in (or of their date column)
``tampilan``   unit code    Pantau Kinerja — Tampilan DINKES           one top-level OPD's rows of the derived sheets
                                                                       with a unit column; read-only for its
                                                                       supervisors
=============  ===========  =========================================  ==============================================

Sizes at city scale (Semarang, 15,000 staff): LaporanHarian gets ~900,000 rows of 19 columns a month, ~17M cells,
more than one spreadsheet holds, so a month of it is also split into :data:`SHARDS` parts by day of the month
(``2026-11.1`` holds the 1st to the 8th, ... ``2026-11.4`` the 24th to the 30th; ~4M cells each; plan 8 for 50,000
staff, and change the number only at a month boundary). Rows are read part by part, oldest first. A month of
Survei is ~1.2M cells, of PenilaianPerilaku ~0.24M (a year would be ~3M), of Skor ~2.7M (weekly, monthly and
quarterly rows of every employee); Aduan and AduanPeristiwa together ~0.5M a *year*.

Every spreadsheet but the admin one is listed in ``_Berkas`` when it is created, so other processes and later runs
find it; when two processes create the same place at once, the first row of the registry wins and the loser
deletes its copy.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from functions import periods
from functions.errors import ValidationError
from functions.schema import Column, Sheet

ADMIN, INTAKE, CONTACT, DERIVED, VIEW = "admin", "masukan", "kontak", "turunan", "tampilan"
TITLE_PREFIX = "Pantau Kinerja — "
_LABELS = {ADMIN: "Admin", INTAKE: "Masukan", CONTACT: "Kontak Pelapor", DERIVED: "Turunan", VIEW: "Tampilan"}

# Intake sheets whose volume needs a spreadsheet per month, and those that need several (see the docstring).
MONTHLY = frozenset({"LaporanHarian", "Survei", "PenilaianPerilaku"})
SHARDS: Mapping[str, int] = {"LaporanHarian": 4}

REGISTRY = Sheet(
    name="_Berkas",
    title="Berkas spreadsheet",
    kind="master",
    description="Spreadsheet Pantau Kinerja selain spreadsheet admin; diisi oleh sistem, jangan diubah.",
    key="id_spreadsheet",
    columns=(
        Column("peran", "Peran", "string", "admin, masukan, kontak, turunan atau tampilan.", required=True),
        Column("kunci", "Kunci", "string", "Bulan (TTTT-BB), bulan dan bagian (TTTT-BB.N), kode unit, atau kosong."),
        Column("id_spreadsheet", "ID Spreadsheet", "string", "ID spreadsheet di Google Drive.", required=True),
        Column("judul", "Judul", "string", "Judul spreadsheet."),
        Column("dibuat_pada", "Dibuat Pada", "datetime", "Waktu spreadsheet dibuat."),
    ),
)


@dataclass(frozen=True, order=True)
class Place:
    """Where a spreadsheet belongs: a role and a key (``2026-11``, ``2026-11.2``, a unit code, or empty)."""

    role: str
    key: str = ""

    @property
    def month(self) -> str:
        return self.key.split(".")[0] if self.role in (INTAKE, DERIVED) else ""

    @property
    def part(self) -> int | None:
        _month, _, tail = self.key.partition(".")
        return int(tail) if self.role in (INTAKE, DERIVED) and tail.isdigit() else None

    @property
    def title(self) -> str:
        label = _LABELS[self.role]
        if self.part is not None:
            return f"{TITLE_PREFIX}{label} {self.month} bagian {self.part}"
        return f"{TITLE_PREFIX}{label} {self.key}" if self.key else f"{TITLE_PREFIX}{label}"


@dataclass(frozen=True)
class Layout:
    """The policy: which place a row of a sheet goes to, and which places a read has to visit."""

    sheets: Mapping[str, Sheet]
    monthly: frozenset[str] = MONTHLY
    shards: Mapping[str, int] = field(default_factory=lambda: dict(SHARDS))

    def role(self, sheet: Sheet) -> str:
        if sheet.private:
            return CONTACT
        return {"master": ADMIN, "intake": INTAKE, "derived": DERIVED}.get(sheet.kind, ADMIN)

    def partitioned(self, sheet: Sheet) -> bool:
        """Whether the sheet is split by month over several spreadsheets."""
        if sheet.private or sheet.kind == "master":
            return False
        if sheet.kind == "intake" and sheet.name not in self.monthly:
            return False
        return bool(sheet.period_column or sheet.date_column)

    def parts(self, sheet: Sheet) -> int:
        """Into how many spreadsheets one month of the sheet is split (by day; only sheets split by a date)."""
        by_date = sheet.date_column and not sheet.period_column and self.partitioned(sheet)
        return max(1, int(self.shards.get(sheet.name, 1))) if by_date else 1

    def place(self, sheet: Sheet, row: Mapping[str, Any]) -> Place:
        """The place of one (clean) row."""
        role = self.role(sheet)
        if not self.partitioned(sheet):
            return Place(role)
        month = month_of(sheet, row)
        parts = self.parts(sheet)
        day = row.get(sheet.date_column or "")
        if month and parts > 1 and isinstance(day, date):
            return Place(role, f"{month}.{part_of(day, parts)}")
        return Place(role, month)

    def places_to_read(
        self,
        sheet: Sheet,
        registered: Iterable[str],
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> list[Place]:
        """The places a read has to visit, oldest month first; ``registered`` are the keys known for the role."""
        role = self.role(sheet)
        if not self.partitioned(sheet):
            return [Place(role)]
        parts = self.parts(sheet)
        places = [Place(role, k) for k in sorted(set(registered))]
        # The keyless place holds rows whose month is unknown; a split sheet lives in parts, the others do not.
        places = [p for p in places if not p.key or (p.part is not None) == (parts > 1)]
        if sheet.period_column and where and where.get(sheet.period_column) is not None:
            wanted = month_of(sheet, {sheet.period_column: where[sheet.period_column]})
            places = [p for p in places if p.month == wanted]
        elif not sheet.period_column and (start or end):
            low, high = start or date.min, end or date.max
            places = [p for p in places if not p.key or _overlaps(p, parts, low, high)]
        return places

    def sheets_in(self, place: Place) -> list[Sheet]:
        """The sheets a new spreadsheet of this place starts with (others are added when first written)."""
        out = []
        for sheet in self.sheets.values():
            if place.role == VIEW:
                if sheet.kind == "derived" and sheet.unit_column:
                    out.append(sheet)
            elif self.role(sheet) != place.role:
                continue
            elif place.role != INTAKE or not place.key:
                if place.role != INTAKE or sheet.name not in self.monthly:
                    out.append(sheet)
            elif sheet.name in self.monthly and (self.parts(sheet) > 1) == (place.part is not None):
                out.append(sheet)
        if place.role == ADMIN:
            out.append(REGISTRY)
        return out


def part_of(day: date, parts: int) -> int:
    """The part (1..parts) of its month a day falls in: the month cut into ``parts`` runs of days."""
    days = calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) * parts // days + 1


def _overlaps(place: Place, parts: int, low: date, high: date) -> bool:
    """Whether a place's days (its month, or its part of the month) meet [low, high]."""
    try:
        year, month = (int(x) for x in place.month.split("-"))
    except ValueError:
        return True
    days = calendar.monthrange(year, month)[1]
    first, last = date(year, month, 1), date(year, month, days)
    if place.part is not None and parts > 1:
        in_part = [d for d in range(1, days + 1) if (d - 1) * parts // days + 1 == place.part]
        if not in_part:
            return False
        first, last = date(year, month, in_part[0]), date(year, month, in_part[-1])
    return first <= high and low <= last


def month_of(sheet: Sheet, row: Mapping[str, Any]) -> str:
    """``YYYY-MM`` of a row: the month its period ends in, else of its date column; empty when it has neither."""
    if sheet.period_column:
        label = row.get(sheet.period_column)
        try:
            end = periods.parse(str(label)).end
        except ValidationError:
            return ""
        return f"{end.year:04d}-{end.month:02d}"
    if sheet.date_column:
        value = row.get(sheet.date_column)
        if isinstance(value, (date, datetime)):
            return value.isoformat()[:7]
    return ""


@dataclass
class Registry:
    """The rows of ``_Berkas``: the first row of a place wins."""

    entries: dict[Place, str]

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any] | None]) -> Registry:
        entries: dict[Place, str] = {}
        for row in rows:
            if not row or not row.get("peran") or not row.get("id_spreadsheet"):
                continue
            place = Place(str(row["peran"]), str(row.get("kunci") or ""))
            entries.setdefault(place, str(row["id_spreadsheet"]))
        return cls(entries)

    def keys(self, role: str) -> list[str]:
        return sorted(p.key for p in self.entries if p.role == role)


def registry_row(place: Place, spreadsheet_id: str, now: datetime) -> dict[str, Any]:
    return {
        "peran": place.role,
        "kunci": place.key or None,
        "id_spreadsheet": spreadsheet_id,
        "judul": place.title,
        "dibuat_pada": now,
    }

"""Periods of assessment: ISO weeks, months, quarters (triwulan) and years, in the city's time.

Labels: ``2026-W48`` (Monday to Sunday), ``2026-11``, ``2026-Q4``, ``2026``. PermenPANRB
6/2022 evaluates per triwulan; organisations may evaluate monthly; the weekly cycle is this
programme's early signal. Labels are for sheets, links and commands; people read ``text(period)``:
"Minggu 23–29 November 2026", "November 2026", "Triwulan IV 2026", "Tahun 2026", on every page and in every email.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from functions.errors import ValidationError

KINDS = {"W": "Minggu", "M": "Bulan", "Q": "Triwulan", "Y": "Tahun"}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
QUARTERS = ("I", "II", "III", "IV")
# ASCII digits, with fullmatch: \d and int() would take other scripts' digits too.
_LABEL = re.compile(r"([0-9]{4})(?:-(W[0-9]{2}|Q[1-4]|[0-9]{2}))?")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    label: str
    kind: str  # Minggu, Bulan, Triwulan, Tahun

    @property
    def share_of_year(self) -> float:
        return {"Minggu": 7 / 365, "Bulan": 1 / 12, "Triwulan": 0.25, "Tahun": 1.0}[self.kind]

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def previous(self) -> Period:
        return containing(self.kind, self.start - timedelta(days=1))


def week(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    year, number, _ = monday.isocalendar()
    return Period(monday, monday + timedelta(days=6), f"{year}-W{number:02d}", "Minggu")


def month(day: date) -> Period:
    start = day.replace(day=1)
    end = (date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)) - timedelta(days=1)
    return Period(start, end, f"{day.year}-{day.month:02d}", "Bulan")


def quarter(day: date) -> Period:
    q = (day.month - 1) // 3 + 1
    start = date(day.year, 3 * q - 2, 1)
    end = (date(day.year + 1, 1, 1) if q == 4 else date(day.year, 3 * q + 1, 1)) - timedelta(days=1)
    return Period(start, end, f"{day.year}-Q{q}", "Triwulan")


def year(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), str(day.year), "Tahun")


def containing(kind: str, day: date) -> Period:
    return {"Minggu": week, "Bulan": month, "Triwulan": quarter, "Tahun": year}[kind](day)


def parse(text: str, field: str = "periode") -> Period:
    """A period from its label; ValidationError naming ``field`` when it is not one."""
    match = _LABEL.fullmatch((text or "").strip().upper())
    message = (
        "Periode: tulis minggu seperti 2026-W48 (23–29 November 2026), bulan seperti 2026-11, triwulan seperti "
        f"2026-Q4 atau tahun seperti 2026, bukan {text!r}."
    )
    if not match:
        raise ValidationError({field: message})
    y, part = int(match.group(1)), match.group(2)
    try:
        if part is None:
            return year(date(y, 1, 1))
        if part.startswith("W"):
            return week(date.fromisocalendar(y, int(part[1:]), 1))
        if part.startswith("Q"):
            return quarter(date(y, 3 * int(part[1]) - 2, 1))
        return month(date(y, int(part), 1))
    except ValueError as err:
        raise ValidationError({field: message}) from err


def last_complete_week(today: date) -> Period:
    """The week before the one ``today`` is in: what Monday's scoring run scores."""
    return week(today - timedelta(days=today.weekday() + 1))


def day_text(day: date) -> str:
    """'30 November 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def span_text(start: date, end: date) -> str:
    """'23–29 November 2026', '30 November – 6 Desember 2026', '28 Desember 2026 – 3 Januari 2027'."""
    if start.year != end.year:
        return f"{day_text(start)} – {day_text(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} – {day_text(end)}"
    return f"{start.day}–{day_text(end)}"


def text(period: Period) -> str:
    """How people read a period: 'Minggu 23–29 November 2026', 'November 2026', 'Triwulan IV 2026', 'Tahun 2026'."""
    if period.kind == "Minggu":
        return f"Minggu {span_text(period.start, period.end)}"
    if period.kind == "Bulan":
        return f"{MONTHS[period.start.month - 1]} {period.start.year}"
    if period.kind == "Triwulan":
        return f"Triwulan {QUARTERS[(period.start.month - 1) // 3]} {period.start.year}"
    return f"Tahun {period.start.year}"


def label_text(label: str) -> str:
    """``text`` of a period label read from a sheet (``2026-W48``); the label itself when it is none."""
    try:
        return text(parse(label))
    except ValidationError:
        return label

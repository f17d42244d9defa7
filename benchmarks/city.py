"""A deterministic synthetic city for the scoring benchmark: ``build`` gives ``Inputs`` in memory.

15,000 employees in about 300 units of Kota Semarang's shape (dinas and badan with bidang, the
sekretariat with bagian, 16 kecamatan, 177 kelurahan, 37 puskesmas), teams of about eight under
a supervisor, three or four SKP indicators each (the demo's job profiles, bobot summing to 100),
leave, a year of daily reports (about three activities per person per working day: about ten
million rows), 300,000 satisfaction surveys over about 500 services (one in five naming an
employee), 10,000 complaints with their events, monthly behaviour ratings, training done.

Everything comes from ``numpy.random.default_rng`` seeded with ``seed``; the rows of one day
come from a generator seeded with ``(seed, day)``, so a window built alone holds exactly the rows
the whole year holds for those days. Nothing is written to a store: the frames are what
``inputs.read`` gives, with the sheet's columns in its order and the dtypes of ``store.frame``
(strings as ``str``, dates as ``datetime.date``, moments as ``datetime64[us, UTC+07:00]``), except
that ``tanggal`` of reports and surveys is ``datetime64[s]``, as ``inputs.read`` converts it, and
the report columns scoring never reads by value are categorical (``city_days``). Values that
repeat share one Python object, as an interning reader would. Complaints go through the public
path, ``complaints.all_complaints``, over rows held in ``Sheets``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from benchmarks import city_complaints, city_days, city_people
from benchmarks.city_frames import frame
from benchmarks.city_people import EMPLOYEES
from functions import periods, schema
from functions.citizens import complaints
from functions.rules import config
from functions.rules.workdays import WIB, Calendar
from functions.scoring import training_catalogue
from functions.scoring.inputs import Inputs

if TYPE_CHECKING:
    from functions.store import Row, Store

HISTORY = timedelta(days=35)  # what inputs.read reads of reports before the first period


@dataclass(frozen=True)
class City:
    """The city's Inputs, and the rows behind its complaints (re-read as of another moment)."""

    inputs: Inputs
    sheets: Sheets  # Konfigurasi, Aduan and AduanPeristiwa rows, as store.records gives them

    def complaints_as_of(self, moment: datetime) -> list[complaints.Complaint]:
        """``complaints.all_complaints`` at ``moment``: what ``inputs.read`` gives for a run up to then."""
        return complaints.all_complaints(self.sheets.as_store(), self.inputs.calendar, moment)


def build(
    year: int = 2026,
    employees: int = EMPLOYEES,
    seed: int = 42,
    *,
    since: date | None = None,
    until: date | None = None,
) -> Inputs:
    """The city's Inputs as the weekly run after ``until`` reads them.

    Reports and surveys cover ``since`` to ``until`` (default: every ISO week of the year, from the
    Monday of week 1 to the Sunday of the last); ratings, training, complaints and their events are
    those received by the end of ``until``, 23:59:59 WIB (``inputs.read`` judges complaints then).
    """
    return generate(year, employees, seed, since=since, until=until).inputs


def generate(
    year: int = 2026,
    employees: int = EMPLOYEES,
    seed: int = 42,
    *,
    since: date | None = None,
    until: date | None = None,
    now: datetime | None = None,
) -> City:
    """``build``, keeping the complaint rows for ``City.complaints_as_of``.

    ``now`` (default: the end of ``until``) is the moment of the run: what had been received
    and verified by then is there. Complaints are judged as of the end of ``until`` at the latest.
    """
    first, last = periods.week(date(year, 1, 1)).start, periods.week(date(year, 12, 31)).end
    since, until = since or first, until or last
    end = datetime.combine(until, time(23, 59, 59), tzinfo=WIB)
    now = now or end
    rng = np.random.default_rng([seed, 0])
    calendar = Calendar()
    workdays = calendar.workdays_between(first, last)
    units = city_people.units(rng, employees)
    staff = city_people.staff(rng, units, employees, year)
    target = city_people.targets(rng, staff, (year - 1, year), calendar)
    cuti, leave = city_people.leave(rng, staff, workdays)
    layanan = city_days.services(rng, units, staff)
    days = city_days.Days(seed, year, staff, units, target, leave, workdays, now)
    handled = city_complaints.rows(seed, year, units, staff, calendar, now)
    sheets = Sheets({"Konfigurasi": config.default_rows(), **handled})
    inputs = Inputs(
        window=(since, until),
        today=until + timedelta(days=1),
        options=config.all_values(sheets.as_store()),
        calendar=calendar,
        pegawai=city_people.pegawai(staff, units),
        unit=city_people.unit_frame(units, staff),
        target=target,
        cuti=cuti,
        laporan=days.reports(since, until),
        survei=days.surveys(layanan, since, until),
        layanan=layanan,
        perilaku=city_people.ratings(np.random.default_rng([seed, 4]), staff, units, year, calendar, now),
        katalog=frame("KatalogPelatihan", training_catalogue.rows()),
        pelatihan=city_people.training(np.random.default_rng([seed, 5]), staff, year, now),
        complaints=complaints.all_complaints(sheets.as_store(), calendar, min(now, end)),
    )
    return City(inputs, sheets)


def window(year: int, start: date, end: date) -> tuple[date, date]:
    """The ``since`` and ``until`` of what ``inputs.read`` reads for periods from ``start`` to ``end``."""
    return max(start - HISTORY, periods.week(date(year, 1, 1)).start), end


class Sheets:
    """The few Store calls the scoring path makes, over rows held in memory: no SQLite, no I/O.

    ``records`` and ``frame`` filter by exact column values; ``replace_period`` keeps the rows of
    the last ``keep`` periods of each kind per sheet (what later steps of a run read back).
    """

    def __init__(self, rows: Mapping[str, list[Row]] | None = None, keep: int = 4) -> None:
        self._rows: dict[str, list[Row]] = dict(rows or {})
        self._periods: dict[tuple[str, str], dict[str, list[Row]]] = {}
        self._keep = keep

    def as_store(self) -> Store:
        return cast("Store", self)

    def records(self, sheet: str, *, where: Mapping[str, Any] | None = None, **_: Any) -> list[Row]:
        where = dict(where or {})
        period = schema.sheet(sheet).period_column
        if period and period in where and sheet not in self._rows:  # a derived sheet: the period's rows
            label = where.pop(period)
            rows: Iterable[Row] = self._periods.get((sheet, _kind(label)), {}).get(label, [])
        else:
            rows = self._rows.get(sheet, [])
        return [r for r in rows if all(r.get(k) == v for k, v in where.items())]

    def frame(self, sheet: str, *, where: Mapping[str, Any] | None = None, **_: Any) -> pd.DataFrame:
        return pd.DataFrame.from_records(self.records(sheet, where=where), columns=schema.sheet(sheet).keys)

    def replace_period(self, sheet: str, period: str, rows: Sequence[Row]) -> None:
        kept = self._periods.setdefault((sheet, _kind(period)), {})
        kept.pop(period, None)
        kept[period] = list(rows)
        while len(kept) > self._keep:
            kept.pop(next(iter(kept)))


def _kind(label: str) -> str:
    return "W" if "-W" in label else "Q" if "-Q" in label else "M"

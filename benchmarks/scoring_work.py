"""What the scoring benchmark times: ``job.run``'s work for a week, and for every period of a year.

Both call the core as ``job.run`` does (``score_period`` with the previous period's totals,
``units.summarise``, ``warnings.for_week``, ``training.for_week``, ``job.to_rows`` of each frame)
with ``city.Sheets`` in place of the store: the rows given to ``replace_period`` are kept in
memory for the steps that read them back, and nothing is written.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from time import perf_counter, process_time

import numpy as np
import pandas as pd

from benchmarks import city
from functions import periods
from functions.citizens import complaints
from functions.periods import Period
from functions.scoring import job, training, units, warnings
from functions.scoring.inputs import Inputs

SECOND_HALF = 8  # part 2 of a recompute: the months from August (the halves then take about as long)


class Clock:
    """Wall-clock and CPU seconds per stage, summed over every ``with clock(stage):``.

    CPU seconds are what the work costs with a core to itself: on a shared machine the wall
    clock also counts the time other processes held the cores.
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        began, cpu = perf_counter(), process_time()
        try:
            yield
        finally:
            self.seconds[stage] += perf_counter() - began
            self.cpu[stage] += process_time() - cpu

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    @property
    def total_cpu(self) -> float:
        return sum(self.cpu.values())


def score(data: Inputs, period: Period, as_of: date, sheets: city.Sheets, clock: Clock) -> pd.DataFrame:
    """One period as ``job.run`` does it: Skor (with the trend against the period before) and SkorUnit."""
    store = sheets.as_store()
    with clock(f"score {period.kind}"):
        frame = job.score_period(data, period, as_of=as_of, previous=job._previous_totals(store, period))
    with clock("to_rows"):
        sheets.replace_period("Skor", period.label, job.to_rows(frame, "Skor"))
    with clock("units.summarise"):
        summary = units.summarise(frame, data, period, as_of=as_of)
    with clock("to_rows"):
        sheets.replace_period("SkorUnit", period.label, job.to_rows(summary, "SkorUnit"))
    return frame


def week_extras(
    data: Inputs, week: Period, scores: pd.DataFrame, month: pd.DataFrame, sheets: city.Sheets, clock: Clock
) -> None:
    """The week's Peringatan and SaranPelatihan, as ``job.run`` makes them."""
    with clock("warnings"):
        found = warnings.for_week(sheets.as_store(), data, week, scores)
    with clock("to_rows"):
        sheets.replace_period("Peringatan", week.label, job.to_rows(found, "Peringatan"))
    with clock("training"):
        suggested = training.for_week(data, week, scores, month)
    with clock("to_rows"):
        sheets.replace_period("SaranPelatihan", week.label, job.to_rows(suggested, "SaranPelatihan"))


def rollups(week: Period) -> list[Period]:
    """What ``job.run`` scores for a week: the week, then every month and quarter it touches."""
    return [week, *job._touched(periods.month, week), *job._touched(periods.quarter, week)]


def weekly(data: Inputs, week: Period, sheets: city.Sheets, clock: Clock) -> dict[str, pd.DataFrame]:
    """``job.run`` for ``week`` without the store: its rollups to date, then the warnings and suggestions."""
    scored = {p.label: score(data, p, week.end, sheets, clock) for p in rollups(week)}
    week_extras(data, week, scored[week.label], scored[periods.month(week.end).label], sheets, clock)
    return scored


def iso_weeks(year: int) -> list[Period]:
    weeks = [periods.week(date(year, 1, 1))]
    while weeks[-1].end < date(year, 12, 31):
        weeks.append(periods.week(weeks[-1].end + timedelta(days=1)))
    return weeks


def recompute(town: city.City, year: int, clock: Clock, reading: Clock, part: int | None = None) -> list[str]:
    """Every ISO week of ``year``, its months and quarters, month by month; returns the labels scored.

    Each period gets what ``inputs.read`` gives a run for it alone (``reading`` times that). A
    month (and a quarter on its last month) is scored before the weeks ending in it, whose
    warnings and suggestions read it; a week ending in the next year reads that month to date.
    ``part`` 1 or 2 does the months before ``SECOND_HALF`` or from it, and the weeks ending in
    them; part 2 first scores what its first periods compare with (the quarter, month and three
    weeks before), as a second process on the other core must.
    """
    windows = Windows(town, reading)
    sheets = city.Sheets()
    weeks = iso_weeks(year)
    months = sorted({periods.month(date(year, m, 1)) for m in range(1, 13)} | {periods.month(w.end) for w in weeks})
    if part is not None:
        split = date(year, SECOND_HALF, 1)
        months = [m for m in months if (m.start < split) == (part == 1)]
    if part == 2:
        first = next(w for w in weeks if w.end >= months[0].start)
        before = [first.previous().previous().previous(), first.previous().previous(), first.previous()]
        for period in [months[0].previous(), periods.quarter(months[0].start).previous(), *before]:
            data = windows.read(period.start, period.end)
            with clock("handover"):
                frame = job.score_period(data, period, as_of=period.end)
                sheets.replace_period("Skor", period.label, job.to_rows(frame, "Skor"))
    labels: list[str] = []
    for month in months:
        as_of = min(month.end, weeks[-1].end)
        month_frame = score(windows.read(month.start, as_of), month, as_of, sheets, clock)
        labels.append(month.label)
        quarter = periods.quarter(month.end)
        if month.end == quarter.end and quarter.start.year == year:
            score(windows.read(quarter.start, quarter.end), quarter, quarter.end, sheets, clock)
            labels.append(quarter.label)
        for week in (w for w in weeks if periods.month(w.end) == month):
            data = windows.read(week.start, week.end)
            week_extras(data, week, score(data, week, week.end, sheets, clock), month_frame, sheets, clock)
            labels.append(week.label)
    return labels


class Windows:
    """The city as ``inputs.read`` reads it for periods from ``start`` to ``end``: rows in the window
    (reports from 35 days earlier) and the complaints as they stood at the end of ``end``."""

    def __init__(self, town: city.City, reading: Clock) -> None:
        self.town, self.clock = town, reading
        with reading("rows"):
            self.reports = days(town.inputs.laporan["tanggal"])
            self.surveys = days(town.inputs.survei["tanggal"])
        self.complaints: dict[date, list[complaints.Complaint]] = {}

    def read(self, start: date, end: date) -> Inputs:
        data = self.town.inputs
        if end not in self.complaints:
            with self.clock("complaints"):
                moment = datetime.combine(end, time(23, 59, 59), tzinfo=data.calendar.tz)
                self.complaints = {end: self.town.complaints_as_of(moment)}
        with self.clock("rows"):
            history = start - city.HISTORY
            return dataclasses.replace(
                data,
                window=(history, end),
                laporan=rows(data.laporan, self.reports, history, end),
                survei=rows(data.survei, self.surveys, start, end),
                complaints=self.complaints[end],
            )


def days(values: pd.Series) -> np.ndarray:
    """Dates as day numbers (days since 1970-01-01)."""
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").view("int64")


def day(value: date) -> int:
    return int(np.datetime64(value, "D").astype("int64"))


def rows(frame: pd.DataFrame, numbers: np.ndarray, start: date, end: date) -> pd.DataFrame:
    """The rows from ``start`` to ``end``; ``numbers`` are their day numbers."""
    lo, hi = day(start), day(end)
    if len(numbers) and bool(np.all(numbers[1:] >= numbers[:-1])):  # in date order: a slice, no copy
        return frame.iloc[np.searchsorted(numbers, lo, "left") : np.searchsorted(numbers, hi, "right")]
    return frame[(numbers >= lo) & (numbers <= hi)]

"""The weekly scoring run: read the window, score with the pure core, rewrite the derived sheets.

For the week scored (by default the last complete ISO week) the run writes Skor and SkorUnit
for that week and for every month and quarter the week touches (to date: a week from 23
February to 1 March completes February and starts March), then Peringatan and SaranPelatihan
for the week. Every write replaces the period's rows, so a re-run gives the
same sheets and a crash midway is healed by running again.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from functions import periods, schema
from functions.citizens import transparency
from functions.errors import ValidationError
from functions.periods import Period
from functions.rules import config, predikat
from functions.rules.workdays import Calendar
from functions.scoring import components, total, units
from functions.scoring.inputs import Inputs, complaint_table, read
from functions.store import Store, scheduled_job

log = logging.getLogger(__name__)
BELUM_CUKUP_DATA = "Belum cukup data"  # Skor.keterangan_predikat: too few working days in the period so far
BELUM_DINILAI = "Belum dinilai"  # no BerAKHLAK rating of the period's months yet


@dataclass(frozen=True)
class Summary:
    week: str
    periods: list[str]
    employees: int
    warnings: int
    suggestions: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "minggu": self.week,
            "periode": self.periods,
            "pegawai": self.employees,
            "peringatan": self.warnings,
            "saran_pelatihan": self.suggestions,
        }


def run(store: Store, now: datetime, week_label: str | None = None) -> Summary:
    """Score one complete week (default: the last one) and the months and quarters it touches, to date; then
    rebuild the public transparency figures of the last four quarters."""
    with scheduled_job(store):
        summary = _run(store, now, week_label)
        transparency.publish(store, Calendar.from_store(store), now)
        return summary


def _run(store: Store, now: datetime, week_label: str | None) -> Summary:
    today = now.date()
    week = _week(week_label, today) if week_label else periods.last_complete_week(today)
    rollups = [week, *_touched(periods.month, week), *_touched(periods.quarter, week)]
    programme_start = config.get(store, "tanggal_mulai_program")
    if programme_start is not None:  # no period that ended before the programme started is scored
        rollups = [p for p in rollups if p.end >= programme_start]
        if week not in rollups:
            log.info("week %s ends before the programme start %s: nothing scored", week.label, programme_start)
            return Summary(week.label, [], 0, 0, 0)
    data = read(store, min(p.start for p in rollups), week.end, today, now)
    scored: dict[str, pd.DataFrame] = {}
    for period in rollups:
        frame = score_period(data, period, as_of=week.end, previous=_previous_totals(store, period))
        scored[period.label] = frame
        store.replace_period("Skor", period.label, to_rows(frame, "Skor"))
        summary = units.summarise(frame, data, period, as_of=week.end)
        store.replace_period("SkorUnit", period.label, to_rows(summary, "SkorUnit"))
    warnings_frame = _warnings(store, data, week, scored[week.label])
    store.replace_period("Peringatan", week.label, to_rows(warnings_frame, "Peringatan"))
    suggestions = _suggestions(data, week, scored[week.label], scored[periods.month(week.end).label])
    store.replace_period("SaranPelatihan", week.label, to_rows(suggestions, "SaranPelatihan"))
    result = Summary(
        week.label, [p.label for p in rollups], len(scored[week.label]), len(warnings_frame), len(suggestions)
    )
    log.info("scores written: %s", result.as_dict())
    return result


def run_recent(store: Store, now: datetime, weeks: int) -> list[Summary]:
    """Score the last ``weeks`` complete weeks, oldest first, so each finds the one before it."""
    last = periods.last_complete_week(now.date())
    labels = []
    for _ in range(weeks):
        labels.append(last.label)
        last = last.previous()
    return [run(store, now, label) for label in reversed(labels)]


def _week(label: str, today: date) -> Period:
    """A complete ISO week from its label; ValidationError naming ``periode`` otherwise."""
    latest = periods.last_complete_week(today).label
    try:
        week: Period | None = periods.parse(label)
    except ValidationError:
        week = None
    if week is None or week.kind != "Minggu":
        raise ValidationError(
            {"periode": f"Periode: skor dihitung per minggu; tulis minggu seperti {latest}, bukan {label!r}."}
        )
    if week.end >= today:
        raise ValidationError(
            {"periode": f"Periode: minggu {week.label} belum selesai; minggu terakhir yang bisa dihitung {latest}."}
        )
    return week


def _touched(kind: Callable[[date], Period], week: Period) -> list[Period]:
    """The months (or quarters) a week has days in, in order: one, or two at a boundary."""
    first, last = kind(week.start), kind(week.end)
    return [first] if first == last else [first, last]


def score_period(data: Inputs, period: Period, as_of: date, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Skor rows of every active employee for one period, counted up to ``as_of``."""
    opts = data.options
    end = min(period.end, as_of)
    workdays = data.calendar.workdays_between(period.start, end)
    year = data.calendar.workdays_between(date(period.start.year, 1, 1), date(period.start.year, 12, 31))
    pegawai = data.pegawai[data.pegawai["aktif"] != False]  # noqa: E712 (a missing value counts as active)
    pegawai = _started_by(pegawai, end)  # a period that ended before someone's first day is not theirs
    laporan = _within(data.laporan, period.start, end)
    available = components.available_days(pegawai, data.cuti, workdays)
    discipline = components.kedisiplinan(available, laporan)
    hari_kerja = components.working_days(available)
    targets = data.target[data.target["tahun"] == period.start.year]
    # No working day in the period yet (1 March 2026 is a Sunday), or no SKP targets for the period's year
    # (a week starting in December of the year before): no results to score.
    if hari_kerja.empty or targets.empty:
        results = pd.DataFrame(columns=["nip", "hasil_kerja", "capaian_persen"])
    else:
        quarters = components.QuarterDays.of(available, year) if components.quarterly(targets).any() else None
        results = components.hasil_kerja(
            targets, laporan, hari_kerja, len(year), opts["batas_capaian_persen"], quarters
        )
    cutoff = datetime.combine(end, time(23, 59, 59), tzinfo=data.calendar.tz)
    table = complaint_table(data.complaints, period, cutoff)
    response = components.responsivitas(table, pegawai, cutoff)
    survei = _within(data.survei, period.start, end)
    satisfaction = components.kepuasan(survei, pegawai, None, opts["kepuasan_min_responden"])
    weights = {c: opts[f"bobot_{c}"] for c in total.COMPONENTS}
    leave = components.leave_days(pegawai, data.cuti, workdays)
    frame = total.combine(pegawai, [results, response, satisfaction, discipline, leave], weights)
    frame = _ratings(frame, data, period)
    if previous is not None:
        trend = total.trend(frame[["nip", "total"]], previous, opts["tren_toleransi"])
        frame = frame.merge(trend, on="nip", how="left")
    frame = _covered(frame, pegawai, period.start, end)
    frame["id"] = period.label + ":" + frame["nip"].astype(str)
    frame["periode"] = period.label
    frame["jenis_periode"] = period.kind
    frame["mulai"] = period.start
    frame["selesai"] = period.end
    return frame


def _started_by(pegawai: pd.DataFrame, end: date) -> pd.DataFrame:
    """Employees whose (programme-adjusted) ``mulai_tugas`` is blank or on or before ``end``."""
    if "mulai_tugas" not in pegawai.columns or pegawai.empty:
        return pegawai
    first = pd.to_datetime(pegawai["mulai_tugas"])
    return pegawai[first.isna() | (first <= pd.Timestamp(end))]


def _covered(frame: pd.DataFrame, pegawai: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """``dihitung_mulai``, ``dihitung_sampai``: the days a row's figures cover, from the later of the period's start
    and the employee's first day (or the programme start) to the period's end or the day it was counted to."""
    first = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if "mulai_tugas" in pegawai.columns:
        starts = pd.to_datetime(pegawai.drop_duplicates("nip").set_index("nip")["mulai_tugas"])
        first = pd.to_datetime(frame["nip"].map(starts))
    begin = pd.Timestamp(start)
    frame["dihitung_mulai"] = first.where(first > begin, begin).fillna(begin).dt.date
    frame["dihitung_sampai"] = end
    return frame


def _within(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    if frame.empty:
        return frame
    # Compared as datetime64, not as date objects (.dt.date makes one Python object per row).
    days = pd.to_datetime(frame["tanggal"])
    if days.dt.tz is not None:
        days = days.dt.tz_localize(None)  # the wall-clock date in its own zone, as .dt.date gives
    return frame[(days >= pd.Timestamp(start)) & (days < pd.Timestamp(end + timedelta(days=1)))]


def _ratings(frame: pd.DataFrame, data: Inputs, period: Period) -> pd.DataFrame:
    opts = data.options
    frame["rating_hasil_kerja"] = [
        None
        if _missing(c)
        else predikat.rating_hasil_kerja(c, opts["rating_di_atas_persen"], opts["rating_sesuai_persen"])
        for c in frame.get("capaian_persen", pd.Series([None] * len(frame)))
    ]
    behaviour = _behaviour(data.perilaku, period)
    frame["rating_perilaku"] = frame["nip"].map(behaviour)
    days = frame["hari_kerja"] if "hari_kerja" in frame.columns else pd.Series(0, index=frame.index)
    enough = days.fillna(0).astype(int) >= int(opts["predikat_min_hari_kerja"])
    status: list[str | None] = []
    values: list[str | None] = []
    for h, p, ok in zip(frame["rating_hasil_kerja"], frame["rating_perilaku"], enough, strict=True):
        value, why = None, None
        if period.kind != "Minggu":  # behaviour is rated monthly: weeks have no predikat to explain
            if not ok or not isinstance(h, str):
                why = BELUM_CUKUP_DATA  # never a predikat from a fraction of the period (DOMAIN.md section 9)
            elif not isinstance(p, str):
                why = BELUM_DINILAI
            else:
                value = predikat.predikat(h, p)
        values.append(value)
        status.append(why)
    frame["predikat"] = values
    frame["keterangan_predikat"] = status
    return frame


def _behaviour(perilaku: pd.DataFrame, period: Period) -> dict[str, str]:
    """The overall behaviour rating per employee: the latest rating of a month inside the period.

    Weeks have none: behaviour is rated monthly (PenilaianPerilaku).
    """
    if period.kind == "Minggu" or perilaku.empty:
        return {}
    months = {periods.month(d).label for d in (period.start, period.end)} | {
        periods.month(date(period.start.year, m, 1)).label for m in range(period.start.month, period.end.month + 1)
    }
    rows = perilaku[perilaku["periode"].isin(months)].sort_values(["periode", "diterima_pada"])
    return dict(zip(rows["nip"], rows["rating_perilaku"], strict=True))


def _previous_totals(store: Store, period: Period) -> pd.DataFrame:
    rows = store.records("Skor", where={"periode": period.previous().label})
    return pd.DataFrame([{"nip": r["nip"], "total": r["total"]} for r in rows], columns=["nip", "total"])


def _warnings(store: Store, data: Inputs, week: Period, scores: pd.DataFrame) -> pd.DataFrame:
    from functions.scoring import warnings

    return warnings.for_week(store, data, week, scores)


def _suggestions(data: Inputs, week: Period, scores: pd.DataFrame, month_scores: pd.DataFrame) -> pd.DataFrame:
    from functions.scoring import training

    return training.for_week(data, week, scores, month_scores)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def to_rows(frame: pd.DataFrame, sheet_name: str) -> list[dict[str, Any]]:
    """DataFrame rows as plain Python values for the store, in the sheet's columns."""
    keys = schema.sheet(sheet_name).keys
    frame = frame.reindex(columns=keys)
    columns = [_plain_column(frame[k]) for k in keys]
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]


def _plain_column(column: pd.Series) -> list[Any]:
    """``_plain`` of every value; floats, integers, booleans and strings without a call per value."""
    if column.dtype == "float64":
        return [None if v != v else round(v, 4) for v in column.tolist()]
    if column.dtype in ("int64", "bool"):
        return column.tolist()
    return [v if type(v) in _AS_IS else _plain(v) for v in column.to_numpy(dtype=object, na_value=None)]


_AS_IS = frozenset({str, int, bool, date, datetime, type(None)})  # values _plain returns unchanged


def _plain(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, float):
        return round(value, 4)
    return value

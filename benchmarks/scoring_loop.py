"""The baseline: one week's four components by a straightforward per-employee Python loop.

What scoring looks like written the obvious way: filter the week once, then for each employee
pick their reports, targets, leave, complaints and surveys with boolean masks and compute the
numbers in plain Python (``statistics.median``, sums over lists). The rules are those of
``functions.scoring.components`` (see its docstring), so ``check`` can require the same numbers.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pandas as pd

from functions.citizens import ikm
from functions.periods import Period
from functions.scoring import components, total
from functions.scoring.inputs import Inputs, complaint_table

COLUMNS = ("hasil_kerja", "capaian_persen", "kedisiplinan", "responsivitas", "jam_respon_median", "kepuasan", "total")


@dataclass(frozen=True)
class Week:
    """What the loop works out once for the week, before going through the employees."""

    period: Period
    workdays: list[date]
    in_year: int
    reports: pd.DataFrame
    surveys: pd.DataFrame
    complaints: pd.DataFrame
    cutoff: datetime
    weights: dict[str, float]


def prepare(data: Inputs, week: Period) -> Week:
    """The week's reports and surveys (one filter over every row) and its complaint table."""
    start, end = week.start, week.end
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    cutoff = datetime.combine(end, time(23, 59, 59), tzinfo=data.calendar.tz)
    return Week(
        period=week,
        workdays=data.calendar.workdays_between(start, end),
        in_year=len(data.calendar.workdays_between(date(start.year, 1, 1), date(start.year, 12, 31))),
        reports=data.laporan[(data.laporan["tanggal"] >= first) & (data.laporan["tanggal"] <= last)],
        surveys=data.survei[(data.survei["tanggal"] >= first) & (data.survei["tanggal"] <= last)],
        complaints=complaint_table(data.complaints, week, cutoff),
        cutoff=cutoff,
        weights={c: data.options[f"bobot_{c}"] for c in total.COMPONENTS},
    )


def loop_week(data: Inputs, week: Week, nips: Iterable[str]) -> dict[str, dict[str, float | None]]:
    """``COLUMNS`` per NIP, one employee at a time (None where the component has no data)."""
    out: dict[str, dict[str, float | None]] = {}
    for nip in nips:
        me = data.pegawai[data.pegawai["nip"] == nip].iloc[0]
        leave = data.cuti[data.cuti["nip"] == nip]
        off = {d for d in week.workdays for a, b in zip(leave["mulai"], leave["selesai"], strict=True) if a <= d <= b}
        first = me["mulai_tugas"] if isinstance(me["mulai_tugas"], date) else date.min
        available = [d for d in week.workdays if d >= first and d not in off]
        mine = week.reports[week.reports["nip"] == nip]
        row: dict[str, float | None] = dict.fromkeys(COLUMNS)
        if available:
            reported = {d.date() for d in mine["tanggal"]} & set(available)
            row["kedisiplinan"] = 100.0 * len(reported) / len(available)
            year, days = week.period.start.year, len(available)
            row["hasil_kerja"], row["capaian_persen"] = _results(data, mine, nip, year, days, week.in_year)
        row["responsivitas"], row["jam_respon_median"] = _response(week.complaints, nip, me["unit"], week.cutoff)
        row["kepuasan"] = _satisfaction(week.surveys, nip, me["unit"], data.options["kepuasan_min_responden"])
        present = {c: v for c in total.COMPONENTS if (v := row[c]) is not None}
        used = sum(week.weights[c] for c in present)
        row["total"] = sum(week.weights[c] * v for c, v in present.items()) / used if used else None
        out[nip] = row
    return out


def _results(
    data: Inputs, mine: pd.DataFrame, nip: str, year: int, days: int, in_year: int
) -> tuple[float | None, float | None]:
    cap = data.options["batas_capaian_persen"]
    targets = data.target[(data.target["nip"] == nip) & (data.target["tahun"] == year)]
    counted = mine[mine["verifikasi"] != components.RETURNED]
    bobot = weighted = 0.0
    for t in targets.itertuples():
        due = float(t.target) * days / in_year
        if due <= 0:
            continue
        done = sum(float(q) for q in counted.loc[counted["id_target"] == t.id, "kuantitas"])
        bobot += float(t.bobot)
        weighted += float(t.bobot) * min(100.0 * done / due, cap)
    if bobot <= 0:
        return None, None
    return min(weighted / bobot, 100.0), weighted / bobot


def _response(table: pd.DataFrame, nip: str, unit: str, cutoff: datetime) -> tuple[float | None, float | None]:
    blank = table["nip_tujuan"].isna() | (table["nip_tujuan"].astype(str).str.strip() == "")
    rows = table[((table["nip_tujuan"] == nip) | (blank & (table["unit"] == unit))) & table["tepat_waktu"].notna()]
    if rows.empty:
        return None, None
    on_time = sum(1 for v in rows["tepat_waktu"] if v)
    hours = [float(h) for h, at in zip(rows["jam_respon"], rows["dijawab_pada"], strict=True)
             if at is not None and not pd.isna(at) and at <= cutoff and h is not None]  # fmt: skip
    return 100.0 * on_time / len(rows), statistics.median(hours) if hours else None


def _satisfaction(surveys: pd.DataFrame, nip: str, unit: str, min_responden: int) -> float | None:
    named = surveys[surveys["nip_pegawai"] == nip]
    if len(named) >= min_responden and (score := _konversi(named)) is not None:
        return score
    return _konversi(surveys[surveys["unit"] == unit])


def _konversi(rows: pd.DataFrame) -> float | None:
    """IKM konversi (PermenPANRB 14/2017): NRR per unsur, weighted 1/9, renormalised over answered unsur."""
    weights = ikm.DEFAULT_WEIGHTS
    nrr: dict[str, float] = {}
    for key in ikm.KEYS:
        answers = [float(v) for v in rows[key] if not pd.isna(v)]
        if answers:
            nrr[key] = sum(answers) / len(answers)
    if not nrr:
        return None
    used = sum(weights[k] for k in nrr) if len(nrr) < len(ikm.KEYS) else 1.0
    return 25.0 * sum(weights[k] * v for k, v in nrr.items()) / used


def check(loop: Mapping[str, Mapping[str, float | None]], frame: pd.DataFrame) -> int:
    """Assert the loop's numbers equal the vectorised ``score_period`` frame's; returns the values compared."""
    indexed = frame.set_index("nip")
    compared = 0
    for nip, row in loop.items():
        for column, value in row.items():
            other = _number(indexed.at[nip, column])
            if value is None or other is None:
                assert value is None and other is None, f"{nip} {column}: loop {value}, vectorised {other}"
            else:
                assert math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-9), f"{nip} {column}: {value} != {other}"
            compared += 1
    return compared


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)

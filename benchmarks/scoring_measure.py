"""One measurement of the scoring benchmark, in the fresh interpreter ``benchmarks.scoring`` starts.

``python -m benchmarks.scoring_measure week`` builds the read window of ``WEEK`` and times the
weekly run (median of ``RUNS``), then the per-employee loop on a sample of the same week.
``python -m benchmarks.scoring_measure year 1`` (or ``2``) builds its half of the year, prints
``ready``, waits for a line on stdin (so both halves start together, one per core) and times its
part of the recompute. Each prints its figures as one line of JSON.

Memory: after building, the kernel's resident high-water mark is reset (``/proc/self/clear_refs``,
Linux) and ``ru_maxrss`` read after the run: the peak of the run with its inputs in memory. The
builder's own peak, before the reset, is reported apart.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import json
import os
import resource
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from time import time as epoch
from typing import Any

import pandas as pd

from benchmarks import city, scoring_loop
from benchmarks.scoring_work import SECOND_HALF, Clock, day, days, recompute, rollups, score, weekly
from functions import periods
from functions.periods import Period
from functions.rules.workdays import WIB
from functions.scoring.inputs import Inputs

YEAR = 2026
WEEK = "2026-W52"  # the last week of a quarter: its quarter to date is the longest read window of the year
RUNS = 3  # weekly runs; the median is reported
LOOP_SAMPLE = 300


def reset_peak() -> bool:
    """Free what building left behind and restart the peak (Linux); False where that is not possible."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak() -> int:
    """Bytes: the resident high-water mark (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _city(since: date | None, until: date | None, now: datetime | None = None) -> tuple[city.City, dict[str, Any]]:
    began = perf_counter()
    town = city.generate(YEAR, since=since, until=until, now=now)
    data = town.inputs
    sizes = {"laporan": len(data.laporan), "survei": len(data.survei), "aduan": len(data.complaints),
             "pegawai": len(data.pegawai), "unit": len(data.unit), "layanan": len(data.layanan),
             "target": len(data.target), "cuti": len(data.cuti), "perilaku": len(data.perilaku),
             "pelatihan": len(data.pelatihan)}  # fmt: skip
    return town, {"build_seconds": perf_counter() - began, "build_peak": peak(), "rows": sizes}


def week() -> dict[str, Any]:
    """The weekly run of ``WEEK`` on what ``inputs.read`` gives it, then the loop on a sample."""
    period = periods.parse(WEEK)
    start = min(p.start for p in rollups(period))
    town, out = _city(*city.window(YEAR, start, period.end))
    survei = town.inputs.survei
    data = dataclasses.replace(town.inputs, survei=survei[days(survei["tanggal"]) >= day(start)])
    sheets = city.Sheets()
    for before in _earlier(period):  # the Skor rows a weekly run finds in the store
        score(data, before, before.end, sheets, Clock())
    out["reset"] = reset_peak()
    reading = Clock()
    with reading("complaints"):
        town.complaints_as_of(datetime.combine(period.end, time(23, 59, 59), tzinfo=WIB))
    clocks = []
    for _ in range(RUNS):
        clocks.append(Clock())
        scored = weekly(data, period, sheets, clocks[-1])
    clock = sorted(clocks, key=lambda c: c.total)[len(clocks) // 2]
    out.update(peak=peak(), stages=dict(clock.seconds), seconds=clock.total, cpu=clock.total_cpu,
               cpu_stages=dict(clock.cpu), runs=[c.total for c in clocks], read=dict(reading.seconds),
               read_cpu=reading.total_cpu,
               week=period.label, periods=[p.label for p in rollups(period)], load=os.getloadavg()[0])  # fmt: skip
    out["loop"] = _loop(data, period, scored[period.label])
    return out


def _earlier(week: Period) -> list[Period]:
    """The three weeks before (the falls of Skor Turun, the trend) and the month before."""
    weeks = [week.previous()]
    while len(weeks) < 3:
        weeks.insert(0, weeks[0].previous())
    return [*weeks, periods.month(week.end).previous()]


def _loop(data: Inputs, week: Period, vectorised: pd.DataFrame) -> dict[str, Any]:
    """The loop on ``LOOP_SAMPLE`` employees, its numbers asserted equal to the vectorised week's."""
    nips = vectorised["nip"].tolist()
    sample = nips[:: max(1, len(nips) // LOOP_SAMPLE)][:LOOP_SAMPLE]  # every n-th: all kinds of unit and role
    began = perf_counter()
    context = scoring_loop.prepare(data, week)
    prepared = perf_counter() - began
    loop = scoring_loop.loop_week(data, context, sample)
    per_employee = (perf_counter() - began - prepared) / len(sample)
    compared = scoring_loop.check(loop, vectorised)
    return {"sample": len(sample), "employees": len(nips), "prepare": prepared, "per_employee": per_employee,
            "estimate": prepared + per_employee * len(nips), "compared": compared}  # fmt: skip


def year(part: int) -> dict[str, Any]:
    """One half of the recompute of ``YEAR``, started when a line arrives on stdin."""
    weeks_end = periods.week(date(YEAR, 12, 31)).end
    now = datetime.combine(weeks_end, time(23, 59, 59), tzinfo=WIB)  # the recompute runs after the year
    split = date(YEAR, SECOND_HALF, 1)
    since = periods.quarter(split).previous().start  # part 2 also scores the quarter before its first
    if part == 1:
        town, out = _city(None, split - timedelta(days=1), now)
    else:
        town, out = _city(since, None, now)
    out["own_rows"] = {  # the rows of the year this half alone holds, to count the year's rows
        key: int((days(frame["tanggal"]) < day(since)).sum()) if part == 1 else len(frame)
        for key, frame in (("laporan", town.inputs.laporan), ("survei", town.inputs.survei))
    }
    out["reset"] = reset_peak()
    print("ready", flush=True)
    sys.stdin.readline()
    out["began_at"] = epoch()
    clock, reading = Clock(), Clock()
    labels = recompute(town, YEAR, clock, reading, part)
    out["done_at"] = epoch()
    out.update(peak=peak(), stages=dict(clock.seconds), seconds=clock.total, cpu=clock.total_cpu,
               cpu_stages=dict(clock.cpu), read=dict(reading.seconds), read_cpu=reading.total_cpu, labels=labels,
               load=os.getloadavg()[0])  # fmt: skip
    return out


def main(argv: list[str]) -> None:
    figures = week() if argv[0] == "week" else year(int(argv[1]))
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

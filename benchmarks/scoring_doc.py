"""The scoring benchmark's section of docs/benchmarks.md, from the figures of ``benchmarks.scoring.run``."""

from __future__ import annotations

from calendar import month_name
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from benchmarks.scoring_work import SECOND_HALF

GIB = 2**30
STAGES = (
    ("score Minggu", "`score_period`, week"),
    ("score Bulan", "`score_period`, month"),
    ("score Triwulan", "`score_period`, quarter"),
    ("units.summarise", "`units.summarise`"),
    ("warnings", "`warnings.for_week`"),
    ("training", "`training.for_week`"),
    ("to_rows", "`job.to_rows` of every frame"),
    ("handover", f"part 2: the quarter, month and 3 weeks before {month_name[SECOND_HALF]}"),
)


def render(heading: str, figures: Mapping[str, Any], targets: Mapping[str, float], runs: int) -> str:
    week, year = figures["week"], figures["year"]
    parts, loop = year["parts"], week["loop"]
    vector = week["stages"]["score Minggu"]
    rows = parts[1]["rows"]  # people, complaints, ratings: the same in both halves
    full = {k: sum(p["own_rows"][k] for p in parts) for k in ("laporan", "survei")}
    cpu = [p["cpu"] for p in parts]
    cpu_read = [p["cpu"] + p["read_cpu"] for p in parts]
    peaks = [p["peak"] / GIB for p in parts]
    builds = ", ".join(f"{s:.0f} s" for s in (week["build_seconds"], *(p["build_seconds"] for p in parts)))
    build_peaks = ", ".join(f"{p / GIB:.2f}" for p in (week["build_peak"], *(p["build_peak"] for p in parts)))
    load = max([week["load"], *(p["load"] for p in parts)])
    window, assembly = week["rows"]["laporan"], _sum(parts, "complaints")
    split = month_name[SECOND_HALF]
    return f"""{heading}

`python -m benchmarks.scoring` (also part of `make bench`). `benchmarks/city.py` builds a deterministic city in
memory (`numpy.random.default_rng(42)`; nothing is read from or written to a store: these are the figures of the
scoring core on what `inputs.read` gives it): {rows["pegawai"]:,} employees in {rows["unit"]} units, teams of
about eight; {full["laporan"]:,} daily-report activities over the ISO weeks of 2026; {full["survei"]:,} survey
answers over {rows["layanan"]} services, one in five naming an employee; {rows["aduan"]:,} complaints with their
events; {rows["perilaku"]:,} monthly behaviour ratings; {rows["target"]:,} SKP indicators (this year's and
last); {rows["cuti"]:,} leave rows; {rows["pelatihan"]:,} courses done.

Each measurement runs in a fresh interpreter (`benchmarks/scoring_measure.py`). Peak memory is `ru_maxrss` read
after the run, the high-water mark having been reset once the city was built: the run's peak with its inputs in
memory. Times are wall clock on a machine shared with other work (load average up to {load:.1f} on its 2
cores during the runs); CPU seconds are what the work costs with a core to itself.

| figure | vectorised (`functions.scoring`) | per-employee Python loop | target |
|---|---|---|---|
| the four components and total of {week["week"]}, {loop["employees"]:,} employees (vectorised: all of \
`score_period`, ratings and details too) \
| {vector:.2f} s \
| {loop["estimate"]:.0f} s (estimated from {loop["sample"]}, see below) | |
| speed-up over the loop | {loop["estimate"] / vector:.0f}x | 1x | at least {targets["speedup"]:.0f}x |
| one weekly run: {", ".join(week["periods"])}, warnings, suggestions, rows for the writes \
| {week["seconds"]:.1f} s (CPU {week["cpu"]:.1f} s), median of {runs} | | under {targets["week"]:.0f} s |
| full-year recompute: {year["periods"]} periods in two processes, one per core \
| {max(p["seconds"] for p in parts):.0f} s, the longer half (CPU {cpu[0]:.0f} s and {cpu[1]:.0f} s) \
| | under {targets["year"]:.0f} s |
| the same, with `inputs.read`'s complaints assembled for each period \
| {year["wall"]:.0f} s (CPU {cpu_read[0]:.0f} s and {cpu_read[1]:.0f} s) | | |
| peak memory, weekly run | {week["peak"] / GIB:.2f} GiB | | under {targets["memory"]:.0f} GiB |
| peak memory, full-year recompute (both processes) | {peaks[0]:.2f} + {peaks[1]:.2f} = {sum(peaks):.2f} GiB \
| | under {targets["memory"]:.0f} GiB |

The weekly run is what `job.run` does for {week["week"]} without the store: `score_period` with the previous
period's totals, `units.summarise`, `warnings.for_week`, `training.for_week`, and `job.to_rows` of every frame.
{week["week"]} ends a quarter, so its quarter to date is the longest read window of the year: {window:,}
activities from 35 days before the quarter. Assembling its {week["rows"]["aduan"]:,} complaints as of the week's
end (`complaints.all_complaints`, called by `inputs.read`) takes another {week["read"]["complaints"]:.2f} s, not
counted above.

The recompute scores every ISO week of 2026 with its warnings and suggestions, every month and quarter
({_kinds(parts)}: the last week ends on 3 January 2027, and its suggestions read January to date), each
period on what `inputs.read` reads for it alone. Part 1 does the months before {split} and the weeks ending
in them, part 2 the rest, first scoring the quarter, month and three weeks before {split} that its first
periods compare with. One process doing both would take about the two CPU times together, {sum(cpu):.0f} s.
`inputs.read` judges complaints as of each run's end, so it assembles them again for every period:
{assembly:.0f} s in all here, mostly `Calendar.add_workdays` and `working_hours_between` counting day by day
(the second row). Building the cities took {builds} (week, part 1, part 2), with builder peaks of
{build_peaks} GiB.

The loop (`benchmarks/scoring_loop.py`) filters the week once ({loop["prepare"]:.2f} s), then for each employee
picks their reports, targets, leave, complaints and surveys with boolean masks and computes the components in
plain Python: {loop["per_employee"] * 1000:.1f} ms an employee, timed on {loop["sample"]} employees (every
n-th of the week's) and extrapolated linearly to {loop["employees"]:,}. Its {loop["compared"]:,} numbers for
them (hasil kerja, capaian, kedisiplinan, responsivitas, median response hours, kepuasan, total) are asserted
equal to the vectorised ones.

| where the time goes (wall clock, s) | weekly run | full year, part 1 | full year, part 2 |
|---|---|---|---|
{_stages(week, parts)}
"""


def _kinds(parts: Iterable[Mapping[str, Any]]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for part in parts:
        for label in part["labels"]:
            counts["weeks" if "-W" in label else "quarters" if "-Q" in label else "months"] += 1
    return ", ".join(f"{counts[k]} {k}" for k in ("weeks", "months", "quarters"))


def _sum(parts: Iterable[Mapping[str, Any]], stage: str) -> float:
    return sum(p["read"].get(stage, 0.0) for p in parts)


def _stages(week: Mapping[str, Any], parts: list[dict[str, Any]]) -> str:
    lines = []
    for key, label in STAGES:
        cells = [d["stages"].get(key) for d in (week, *parts)]
        if any(c is not None for c in cells):
            lines.append(f"| {label} | " + " | ".join("" if c is None else f"{c:.1f}" for c in cells) + " |")
    lines.append("| total | " + " | ".join(f"{d['seconds']:.1f}" for d in (week, *parts)) + " |")
    return "\n".join(lines)

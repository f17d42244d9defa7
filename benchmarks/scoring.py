"""The scoring benchmark: a weekly run, a full-year recompute and a per-employee loop, on a synthetic city.

``python -m benchmarks.scoring`` runs each measurement in fresh interpreters
(``benchmarks.scoring_measure``), prints the figures and rewrites its section of
docs/benchmarks.md; ``make bench`` (``benchmarks.run``) does the same among the other benchmarks.

- Weekly run (``scoring_work.weekly``): what ``job.run`` does for ``WEEK`` minus the store writes,
  on what ``inputs.read`` reads for it; the median of three runs.
- Full year (``scoring_work.recompute``): every ISO week of the year, the 12 months and the 4
  quarters, each period on what ``inputs.read`` reads for it alone; two processes, one per core,
  the months before July and the months from July (with the weeks ending in them).
- Baseline (``scoring_loop``): the week's four components by a per-employee Python loop on a
  sample, extrapolated linearly to every employee, its numbers asserted equal to the vectorised ones.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from benchmarks import scoring_doc
from benchmarks.scoring_measure import RUNS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Scoring a synthetic city"
TARGETS = {"week": 10.0, "year": 120.0, "memory": 6.0, "speedup": 20.0}  # seconds, seconds, GiB, times
GIB = 2**30


def run() -> dict[str, Any]:
    """The figures of both measurements: ``week`` and ``year`` (its two halves and the wall clock)."""
    return {"week": _one("week"), "year": _halves()}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.scoring_measure", *args]


def _one(*args: str) -> dict[str, Any]:
    done = subprocess.run(_command(*args), cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.scoring_measure {' '.join(args)} failed:\n{done.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _halves() -> dict[str, Any]:
    """Both halves of the recompute at once: each builds its city, then both start on the same line."""
    logs = [tempfile.TemporaryFile("w+") for _ in range(2)]  # noqa: SIM115 (closed below)
    parts = [
        subprocess.Popen(_command("year", str(n)), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=log, text=True)
        for n, log in zip((1, 2), logs, strict=True)
    ]  # fmt: skip
    try:
        for part, log in zip(parts, logs, strict=True):
            if part.stdout is None or part.stdout.readline().strip() != "ready":
                raise RuntimeError(f"a half of the recompute failed while building:\n{_tail(log)}")
        for part in parts:
            assert part.stdin is not None
            part.stdin.write("go\n")
            part.stdin.flush()
        results = []
        for part, log in zip(parts, logs, strict=True):
            out, _ = part.communicate()
            if part.returncode != 0:
                raise RuntimeError(f"a half of the recompute failed:\n{_tail(log)}")
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for part, log in zip(parts, logs, strict=True):
            if part.poll() is None:
                part.kill()
            log.close()
    return {
        "parts": results,
        "wall": max(r["done_at"] for r in results) - min(r["began_at"] for r in results),
        "periods": sum(len(r["labels"]) for r in results),
    }


def _tail(log: IO[str]) -> str:
    log.seek(0)
    return log.read()[-4000:]


def main() -> None:
    figures = run()
    text = section(figures)
    print(text)
    write_section(text)
    print(f"Written to {DOC.relative_to(ROOT)}")


def write_section(text: str, doc: Path = DOC, heading: str = HEADING) -> None:
    """Replace a benchmark's section of ``doc`` (from its heading to the next one), or append it."""
    old = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(heading))
        new = old[:start] + text + (old[end + 1 :] if end >= 0 else "")
    doc.write_text(new, encoding="utf-8")


def section(figures: dict[str, Any]) -> str:
    return scoring_doc.render(HEADING, figures, TARGETS, RUNS)


if __name__ == "__main__":
    main()

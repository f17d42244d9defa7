"""IKM of a large Survei sheet: ``functions.citizens.ikm.compute`` by unit and service.

A deterministic synthetic frame (``numpy.random.default_rng(42)``): ``rows`` answers spread
over ``services`` services of about 60 units, answers 1-4 leaning to 3, about 5% blanks.
Prints the best of three timings; ``python -m benchmarks.ikm``.
"""

from __future__ import annotations

import time
from typing import Any

UNITS = 60
BLANKS = 0.05
RUNS = 3


def survei(rows: int = 300_000, services: int = 500) -> Any:
    """The synthetic Survei frame: unit, id_layanan and u1..u9 (float, NaN for blanks)."""
    import numpy as np
    import pandas as pd

    from functions.citizens.ikm import KEYS

    rng = np.random.default_rng(42)
    unit_of = np.array([f"UNIT-{i:02d}" for i in range(UNITS)])[rng.integers(0, UNITS, services)]
    layanan = np.array([f"LAYANAN-{i:03d}" for i in range(services)])
    service = rng.integers(0, services, rows)
    answers = rng.choice([1.0, 2.0, 3.0, 4.0], p=[0.05, 0.15, 0.5, 0.3], size=(rows, len(KEYS)))
    answers[rng.random((rows, len(KEYS))) < BLANKS] = np.nan
    frame = pd.DataFrame(answers, columns=list(KEYS))
    frame.insert(0, "id_layanan", layanan[service])
    frame.insert(0, "unit", unit_of[service])
    return frame


def run(rows: int = 300_000, services: int = 500) -> dict[str, Any]:
    from functions.citizens.ikm import compute

    frame = survei(rows, services)
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        out = compute(frame, by=("unit", "id_layanan"))
        best = min(best, time.perf_counter() - start)
    return {"rows": rows, "services": services, "seconds": best, "groups": len(out)}


def main() -> None:
    fig = run()
    print(
        f"IKM by (unit, id_layanan): {fig['rows']:,} rows, {fig['services']} services, "
        f"{fig['groups']} groups in {fig['seconds']:.3f} s (best of {RUNS})"
    )


if __name__ == "__main__":
    main()

"""The total score of each employee for a period, and its trend against the period before.

- ``DEFAULT_WEIGHTS``: programme policy (hasil kerja 50, responsivitas 20, kepuasan 15,
  kedisiplinan 15), overridden in Konfigurasi. Weights need not sum to 100.
- ``total`` = sum(w_c x score_c) / sum(w_c) over the components that have data for the
  employee: a component without data is left out and the other weights are renormalised, never
  counted as zero. With 50/20/15/15 and no complaints, total = (50 hk + 15 kp + 15 kd) / 80.
  An employee with no component at all has no total (NaN).
- ``komponen`` names the components with data (whatever their weight), ``komponen_kosong``
  the others, as Indonesian labels joined with ", ".
- ``trend``: the change of the total against the previous period; within ``tolerance`` points
  either way it is Stabil.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from functions.scoring.components import active_employees

COMPONENTS = ("hasil_kerja", "responsivitas", "kepuasan", "kedisiplinan")
LABELS = {
    "hasil_kerja": "Hasil kerja",
    "responsivitas": "Responsivitas",
    "kepuasan": "Kepuasan",
    "kedisiplinan": "Kedisiplinan",
}
DEFAULT_WEIGHTS: dict[str, float] = {"hasil_kerja": 50, "responsivitas": 20, "kepuasan": 15, "kedisiplinan": 15}
EMPLOYEE_COLUMNS = ("nip", "nama", "unit", "nip_atasan")
TREND_TOLERANCE = 2.0
RISE, FALL, STEADY = "Naik", "Turun", "Stabil"
_NOISE = 1e-9  # 70.3 - 68.3 is 2.0000000000000027: still within a tolerance of 2

# For each subset of COMPONENTS (bit i set = component i has data): the labels with and without data.
_SUBSETS = range(1 << len(COMPONENTS))
_WITH = np.array([", ".join(LABELS[c] for i, c in enumerate(COMPONENTS) if k >> i & 1) for k in _SUBSETS], object)
_WITHOUT = np.array(
    [", ".join(LABELS[c] for i, c in enumerate(COMPONENTS) if not k >> i & 1) for k in _SUBSETS], object
)


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights in component order, or ValueError unless all four are numbers >= 0, not all 0."""
    missing = [c for c in COMPONENTS if c not in weights]
    if missing:
        raise ValueError(
            f"bobot komponen skor belum lengkap: {', '.join(missing)} tidak ada; isi bobot keempat komponen"
        )
    unknown = sorted(set(weights) - set(COMPONENTS))
    if unknown:
        raise ValueError(
            f"bobot komponen tidak dikenal: {', '.join(map(str, unknown))}; gunakan {', '.join(COMPONENTS)}"
        )
    clean: dict[str, float] = {}
    for c in COMPONENTS:
        value = weights[c]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"bobot {c} harus angka 0 atau lebih, bukan {value!r}")
        clean[c] = float(value)
    if not any(clean.values()):
        raise ValueError("bobot komponen skor semuanya 0; beri bobot lebih dari 0 pada sedikitnya satu komponen")
    return clean


def combine(pegawai: pd.DataFrame, parts: Sequence[pd.DataFrame], weights: Mapping[str, float]) -> pd.DataFrame:
    """One row per active employee: their columns, every part's columns, ``total``, ``komponen``, ``komponen_kosong``.

    ``parts`` are frames keyed by ``nip`` (the components, ``leave_days``...) with no column in
    common but ``nip``. Integer columns stay integers (nullable ``Int64``) where a part lacks a row.
    """
    w = check_weights(weights)
    out = active_employees(pegawai)[[c for c in EMPLOYEE_COLUMNS if c in pegawai.columns]].reset_index(drop=True)
    integers: list[str] = []
    for number, part in enumerate(parts, start=1):
        if "nip" not in part.columns:
            raise ValueError(f"bagian skor ke-{number} tidak punya kolom nip")
        clash = sorted(set(part.columns) & set(out.columns) - {"nip"})
        if clash:
            raise ValueError(f"bagian skor ke-{number} mengulang kolom {', '.join(clash)}")
        integers += [c for c in part.columns if c != "nip" and pd.api.types.is_integer_dtype(part[c])]
        out = out.merge(part, on="nip", how="left", validate="one_to_one")
    for c in COMPONENTS:
        if c not in out.columns:
            out[c] = np.nan
    out = out.astype(dict.fromkeys(integers, "Int64"))

    scores = out[list(COMPONENTS)].to_numpy(dtype=float, na_value=np.nan)
    has = ~np.isnan(scores)
    vector = np.array([w[c] for c in COMPONENTS])
    used = (has * vector).sum(axis=1)
    weighted = np.where(has, scores, 0.0) @ vector
    out["total"] = np.divide(weighted, used, out=np.full(len(out), np.nan), where=used > 0)
    subset = has.astype(np.int64) @ (1 << np.arange(len(COMPONENTS)))
    out["komponen"] = _WITH[subset]
    out["komponen_kosong"] = _WITHOUT[subset]
    return out


def trend(current: pd.DataFrame, previous: pd.DataFrame, tolerance: float = TREND_TOLERANCE) -> pd.DataFrame:
    """``nip``, ``perubahan``, ``tren`` for every row of ``current``; NaN and None without both totals."""
    before = previous.drop_duplicates("nip").set_index("nip")["total"].astype(float)
    change = current["total"].astype(float).to_numpy() - current["nip"].map(before).to_numpy(dtype=float)
    limit = tolerance + _NOISE
    tren = np.full(len(change), None, dtype=object)
    tren[np.abs(change) <= limit] = STEADY
    tren[change > limit] = RISE
    tren[change < -limit] = FALL
    return pd.DataFrame({"nip": current["nip"].to_numpy(), "perubahan": change, "tren": tren})

"""The total score and the trend, checked against small hand-computed tables, and a scale test.

Scores of each employee below are (hasil_kerja, responsivitas, kepuasan, kedisiplinan), None
for a component without data; the default weights are 50/20/15/15.
"""

from __future__ import annotations

import math
import time
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from functions.citizens.ikm import KEYS
from functions.rules.workdays import WIB, Calendar
from functions.scoring import components
from functions.scoring.total import COMPONENTS, DEFAULT_WEIGHTS, check_weights, combine, trend

ALL = "Hasil kerja, Responsivitas, Kepuasan, Kedisiplinan"


def staff(*nips: str, inactive: tuple[str, ...] = ()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nip": list(nips) + list(inactive),
            "nama": [f"Pegawai {n}" for n in (*nips, *inactive)],
            "unit": "U1",
            "nip_atasan": None,
            "aktif": [True] * len(nips) + [False] * len(inactive),
        }
    )


def parts(scores: dict[str, tuple[float | None, ...]]) -> list[pd.DataFrame]:
    """One frame per component, holding only the employees with a score for it."""
    frames = []
    for i, name in enumerate(COMPONENTS):
        rows = [(nip, values[i]) for nip, values in scores.items() if values[i] is not None]
        frames.append(pd.DataFrame(rows, columns=["nip", name]))
    return frames


# (case, scores, weights, expected total, komponen, komponen_kosong)
TOTAL_CASES = [
    # (50 x 80 + 20 x 60 + 15 x 90 + 15 x 100) / 100 = (4000 + 1200 + 1350 + 1500) / 100 = 80.5
    ("all four", (80, 60, 90, 100), DEFAULT_WEIGHTS, 80.5, ALL, ""),
    # No complaints: (50 x 80 + 15 x 90 + 15 x 100) / (50 + 15 + 15) = 6850 / 80 = 85.625
    (
        "responsivitas missing",
        (80, None, 90, 100),
        DEFAULT_WEIGHTS,
        6850 / 80,
        "Hasil kerja, Kepuasan, Kedisiplinan",
        "Responsivitas",
    ),
    # No targets: (20 x 60 + 15 x 90 + 15 x 100) / 50 = 4050 / 50 = 81
    ("no targets", (None, 60, 90, 100), DEFAULT_WEIGHTS, 81.0, "Responsivitas, Kepuasan, Kedisiplinan", "Hasil kerja"),
    # A zero score is data: (50 x 0 + 15 x 100) / 65 = 23.0769...
    (
        "zero is data",
        (0, None, None, 100),
        DEFAULT_WEIGHTS,
        1500 / 65,
        "Hasil kerja, Kedisiplinan",
        "Responsivitas, Kepuasan",
    ),
    # Only kedisiplinan: 15 x 40 / 15 = 40
    (
        "one component",
        (None, None, None, 40),
        DEFAULT_WEIGHTS,
        40.0,
        "Kedisiplinan",
        "Hasil kerja, Responsivitas, Kepuasan",
    ),
    ("nothing", (None, None, None, None), DEFAULT_WEIGHTS, None, "", ALL),
    # Weights 1/1/1/1 that need not sum to 100: (80 + 60 + 90 + 100) / 4 = 82.5
    ("equal weights", (80, 60, 90, 100), dict.fromkeys(COMPONENTS, 1), 82.5, ALL, ""),
    # Kepuasan switched off (weight 0): (50 x 80 + 20 x 60 + 15 x 100) / 85 = 6700 / 85 = 78.8235...
    ("zero weight", (80, 60, 10, 100), {**DEFAULT_WEIGHTS, "kepuasan": 0}, 6700 / 85, ALL, ""),
    # Data only in a switched-off component: nothing to weigh, no total.
    (
        "only a zero weight",
        (None, None, 10, None),
        {**DEFAULT_WEIGHTS, "kepuasan": 0},
        None,
        "Kepuasan",
        "Hasil kerja, Responsivitas, Kedisiplinan",
    ),
]


@pytest.mark.parametrize(
    ("scores", "weights", "expected", "komponen", "kosong"),
    [case[1:] for case in TOTAL_CASES],
    ids=[case[0] for case in TOTAL_CASES],
)
def test_total_renormalises_over_components_with_data(scores, weights, expected, komponen, kosong):
    row = combine(staff("ANI"), parts({"ANI": scores}), weights).iloc[0]
    if expected is None:
        assert math.isnan(row["total"])
    else:
        assert row["total"] == pytest.approx(expected)
    assert (row["komponen"], row["komponen_kosong"]) == (komponen, kosong)


def test_combine_one_row_per_active_employee():
    scores = {"ANI": (80, None, None, 100), "GONE": (10, 10, 10, 10), "STRANGER": (50, 50, 50, 50)}
    out = combine(staff("ANI", "BUDI", inactive=("GONE",)), parts(scores), DEFAULT_WEIGHTS)
    assert list(out["nip"]) == ["ANI", "BUDI"]
    assert list(out.columns[:4]) == ["nip", "nama", "unit", "nip_atasan"]
    # BUDI has no data at all: present, without a total, every component listed as empty.
    budi = out.iloc[1]
    assert math.isnan(budi["total"]) and budi["komponen_kosong"] == ALL


def test_combine_keeps_counts_as_integers_where_a_part_lacks_a_row():
    discipline = pd.DataFrame({"nip": ["ANI"], "kedisiplinan": [80.0], "hari_kerja": [5], "hari_lapor": [4]})
    out = combine(staff("ANI", "BUDI"), [discipline], DEFAULT_WEIGHTS)
    assert str(out["hari_kerja"].dtype) == "Int64"
    assert out["hari_kerja"].tolist() == [5, pd.NA]


def test_combine_with_real_components_names_the_missing_one():
    """ANI has no SKP targets: absent from hasil_kerja, present in the total without it."""
    week = [date(2026, 11, 23) + timedelta(days=n) for n in range(5)]
    pegawai = staff("ANI", "BUDI").assign(mulai_tugas=None)
    targets = pd.DataFrame(
        [("B1", "BUDI", 2026, "Jumlah surat", 240, "surat", 100)],
        columns=["id", "nip", "tahun", "indikator", "target", "satuan", "bobot"],
    )
    laporan = pd.DataFrame(
        [("ANI", week[0], "X", 1, "Menunggu"), ("BUDI", week[0], "B1", 4, "Disetujui")],
        columns=["nip", "tanggal", "id_target", "kuantitas", "verifikasi"],
    )
    cuti = pd.DataFrame(columns=["nip", "mulai", "selesai"])
    available = components.available_days(pegawai, cuti, week)
    results = components.hasil_kerja(targets, laporan, components.working_days(available), 240)
    discipline = components.kedisiplinan(available, laporan)
    assert list(results["nip"]) == ["BUDI"]
    out = combine(pegawai, [results, discipline, components.leave_days(pegawai, cuti, week)], DEFAULT_WEIGHTS)
    ani, budi = out.iloc[0], out.iloc[1]
    # ANI: kedisiplinan 1 / 5 days = 20 is the only component: total 15 x 20 / 15 = 20.
    assert ani["total"] == pytest.approx(20.0)
    assert ani["komponen"] == "Kedisiplinan"
    assert ani["komponen_kosong"] == "Hasil kerja, Responsivitas, Kepuasan"
    # BUDI: hasil kerja 4 / (240 x 5 / 240 = 5) = 80, kedisiplinan 20: (50 x 80 + 15 x 20) / 65 = 4300 / 65.
    assert budi["total"] == pytest.approx(4300 / 65)
    assert budi["komponen_kosong"] == "Responsivitas, Kepuasan"
    assert out["hari_cuti"].tolist() == [0, 0]


def test_combine_refuses_a_column_in_two_parts():
    one = pd.DataFrame({"nip": ["ANI"], "kedisiplinan": [1.0], "hari_kerja": [5]})
    two = pd.DataFrame({"nip": ["ANI"], "hasil_kerja": [1.0], "hari_kerja": [5]})
    with pytest.raises(ValueError, match="hari_kerja"):
        combine(staff("ANI"), [one, two], DEFAULT_WEIGHTS)


def test_combine_refuses_an_employee_twice_in_a_part():
    twice = pd.DataFrame({"nip": ["ANI", "ANI"], "kedisiplinan": [1.0, 2.0]})
    with pytest.raises(ValueError):
        combine(staff("ANI"), [twice], DEFAULT_WEIGHTS)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"hasil_kerja": 50, "responsivitas": 20, "kepuasan": 15}, "kedisiplinan tidak ada"),
        ({**DEFAULT_WEIGHTS, "perilaku": 10}, "tidak dikenal: perilaku"),
        ({**DEFAULT_WEIGHTS, "kepuasan": -1}, "bobot kepuasan"),
        ({**DEFAULT_WEIGHTS, "kepuasan": float("nan")}, "bobot kepuasan"),
        ({**DEFAULT_WEIGHTS, "kepuasan": "15"}, "bobot kepuasan"),
        ({**DEFAULT_WEIGHTS, "kepuasan": True}, "bobot kepuasan"),
        (dict.fromkeys(COMPONENTS, 0), "semuanya 0"),
    ],
)
def test_check_weights_rejects_bad_weights(weights, message):
    with pytest.raises(ValueError, match=message):
        check_weights(weights)


# -- trend ---------------------------------------------------------------------------------

# (case, current total, previous total or absent, perubahan, tren)
TREND_CASES = [
    ("up", 73.0, 70.0, 3.0, "Naik"),  # +3 > 2
    ("down", 67.9, 70.0, -2.1, "Turun"),  # -2.1 < -2
    ("exactly the tolerance", 72.0, 70.0, 2.0, "Stabil"),  # |+2| <= 2
    ("float noise", 70.3, 68.3, 2.0, "Stabil"),  # 70.3 - 68.3 = 2.0000000000000027 in binary
    ("minus the tolerance", 68.0, 70.0, -2.0, "Stabil"),
    ("no previous period", 70.0, "absent", None, None),
    ("no previous total", 70.0, None, None, None),
    ("no total now", None, 70.0, None, None),
]


@pytest.mark.parametrize(
    ("now", "before", "change", "tren"), [case[1:] for case in TREND_CASES], ids=[case[0] for case in TREND_CASES]
)
def test_trend(now, before, change, tren):
    current = pd.DataFrame({"nip": ["ANI"], "total": [now]}, dtype=object)
    rows = [] if before == "absent" else [("ANI", before)]
    previous = pd.DataFrame([*rows, ("BUDI", 10.0)], columns=["nip", "total"])
    row = trend(current, previous).iloc[0]
    if change is None:
        assert math.isnan(row["perubahan"]) and pd.isna(row["tren"])
    else:
        assert row["perubahan"] == pytest.approx(change)
        assert row["tren"] == tren


def test_trend_tolerance_is_a_parameter():
    current = pd.DataFrame({"nip": ["ANI"], "total": [73.0]})
    previous = pd.DataFrame({"nip": ["ANI"], "total": [70.0]})
    assert trend(current, previous, tolerance=5.0)["tren"].tolist() == ["Stabil"]


# -- scale -----------------------------------------------------------------------------------


def synthetic_week(n: int = 15_000, activities: int = 225_000, seed: int = 42) -> dict[str, Any]:
    """A city of ``n`` employees in 600 units and one week (2026-W48) of data, all vectorised."""
    rng = np.random.default_rng(seed)
    start = date(2026, 11, 23)
    week = [start + timedelta(days=d) for d in range(7)]
    nips = pd.Series([f"19900101{i:010d}" for i in range(n)])
    units = pd.Series([f"U{u:03d}" for u in rng.integers(0, 600, n)])
    starts = pd.Series([week[2] if i % 500 == 0 else None for i in range(n)], dtype=object)  # a few new ones
    pegawai = pd.DataFrame(
        {
            "nip": nips,
            "nama": "Pegawai " + nips,
            "unit": units,
            "nip_atasan": None,
            "aktif": rng.random(n) > 0.01,
            "mulai_tugas": starts,
        }
    )
    on_leave = rng.choice(n, n // 50, replace=False)
    first = rng.integers(0, 5, len(on_leave))
    cuti = pd.DataFrame(
        {
            "nip": nips[on_leave].to_numpy(),
            "mulai": [week[d] for d in first],
            "selesai": [week[min(d + k, 6)] for d, k in zip(first, rng.integers(0, 3, len(on_leave)), strict=True)],
        }
    )
    per_person = rng.integers(2, 6, n)  # 2-5 indicators each, none for every 100th employee
    per_person[::100] = 0
    owner = np.repeat(np.arange(n), per_person)
    number = np.arange(len(owner)) - np.repeat(np.cumsum(per_person) - per_person, per_person)
    targets = pd.DataFrame(
        {
            "id": nips[owner].to_numpy() + "-2026-" + number.astype(str),
            "nip": nips[owner].to_numpy(),
            "tahun": 2026,
            "indikator": "Indikator " + number.astype(str),
            "target": rng.integers(100, 2000, len(owner)).astype(float),
            "satuan": "dokumen",
            "bobot": rng.integers(10, 60, len(owner)).astype(float),
        }
    )
    picked = rng.integers(0, len(targets), activities)
    days = np.array(week, dtype=object)[rng.choice(7, activities, p=[0.19, 0.19, 0.19, 0.19, 0.19, 0.03, 0.02])]
    laporan = pd.DataFrame(
        {
            "nip": targets["nip"].to_numpy()[picked],
            "tanggal": days,
            "id_target": targets["id"].to_numpy()[picked],
            "kuantitas": rng.integers(1, 6, activities).astype(float),
            "verifikasi": rng.choice(["Menunggu", "Disetujui", "Dikembalikan"], activities, p=[0.3, 0.65, 0.05]),
        }
    )
    m = 4_000
    assigned = rng.random(m) < 0.5
    answered = rng.random(m) < 0.8
    complaints = pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(m)],
            "unit": units.to_numpy()[rng.integers(0, n, m)],
            "nip_tujuan": np.where(assigned, nips.to_numpy()[rng.integers(0, n, m)], None),
            "batas_tindak_lanjut": datetime(2026, 11, 26, 23, 59, 59, tzinfo=WIB),
            "dijawab_pada": pd.Series(
                np.where(answered, pd.Timestamp("2026-11-25 10:00", tz=WIB), pd.NaT),
                dtype="datetime64[ns, Asia/Jakarta]",
            ),
            "tepat_waktu": answered & (rng.random(m) < 0.8),
            "jam_respon": np.where(answered, rng.random(m) * 60, np.nan),
        }
    )
    s = 30_000
    answers = rng.integers(1, 5, (s, len(KEYS))).astype(float)
    answers[rng.random((s, len(KEYS))) < 0.05] = np.nan
    who = rng.integers(0, n, s)
    survei = pd.DataFrame(answers, columns=list(KEYS)).assign(
        unit=units.to_numpy()[who],
        id_layanan="L1",
        nip_pegawai=np.where(rng.random(s) < 0.6, nips.to_numpy()[who], None),
    )
    return {
        "pegawai": pegawai,
        "cuti": cuti,
        "targets": targets,
        "laporan": laporan,
        "complaints": complaints,
        "survei": survei,
        "workdays": Calendar().workdays_between(week[0], week[-1]),
    }


@pytest.mark.slow
def test_scale_one_week_of_15000_employees():
    data = synthetic_week()
    began = time.perf_counter()
    pegawai, cuti, workdays = data["pegawai"], data["cuti"], data["workdays"]
    available = components.available_days(pegawai, cuti, workdays)
    discipline = components.kedisiplinan(available, data["laporan"])
    results = components.hasil_kerja(data["targets"], data["laporan"], components.working_days(available), 240)
    response = components.responsivitas(data["complaints"], pegawai, date(2026, 11, 29))
    satisfaction = components.kepuasan(data["survei"], pegawai)
    leave = components.leave_days(pegawai, cuti, workdays)
    out = combine(pegawai, [results, response, satisfaction, discipline, leave], DEFAULT_WEIGHTS)
    elapsed = time.perf_counter() - began
    print(f"\nscoring 15,000 employees, {len(data['laporan']):,} activities, one week: {elapsed:.2f} s")

    active = int(pegawai["aktif"].sum())
    assert len(out) == active
    assert len(available) <= active * len(workdays)
    scored = out["total"].dropna()
    assert len(scored) == active  # everyone active has kedisiplinan at least
    assert scored.between(0, 100).all()
    assert out["hasil_kerja"].notna().sum() < active  # every 100th employee has no targets
    assert (out["komponen_kosong"].str.contains("Hasil kerja") == out["hasil_kerja"].isna()).all()

"""The SKM rules of PermenPANRB 14/2017, checked against small hand-computed tables."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from functions import schema
from functions.citizens.ikm import DEFAULT_WEIGHTS, KEYS, UNSUR, check_weights, compute, compute_one, grade, sample_size

ROOT = Path(__file__).resolve().parents[2]
_ = None  # an unanswered unsur

# Five respondents of one service, with blanks. Columns u1..u9.
FIVE = [
    (4, 3, 3, 4, 3, 4, 4, _, 3),
    (3, 3, 2, 4, 3, 3, 4, 2, 3),
    (3, _, 2, 4, 4, 3, 3, _, 4),
    (4, 4, 3, 3, 3, 4, 4, 3, _),
    (2, 3, 1, 4, 3, 3, 4, _, 3),
]
# NRR = sum of answers / number who answered:
# u1 (4+3+3+4+2)/5 = 16/5 = 3.2     u2 (3+3+4+3)/4 = 13/4 = 3.25   u3 (3+2+2+3+1)/5 = 11/5 = 2.2
# u4 (4+4+4+3+4)/5 = 19/5 = 3.8     u5 (3+3+4+3+3)/5 = 16/5 = 3.2   u6 (4+3+3+4+3)/5 = 17/5 = 3.4
# u7 (4+4+3+4+4)/5 = 19/5 = 3.8     u8 (2+3)/2 = 2.5                u9 (3+3+4+3)/4 = 13/4 = 3.25
FIVE_NRR = {"u1": 3.2, "u2": 3.25, "u3": 2.2, "u4": 3.8, "u5": 3.2, "u6": 3.4, "u7": 3.8, "u8": 2.5, "u9": 3.25}


def rows(table, **extra):
    return [dict(zip(KEYS, answers, strict=True), **extra) for answers in table]


def frame(*groups):
    """A Survei-like frame from (unit, id_layanan, table) groups."""
    return pd.DataFrame([r for unit, layanan, table in groups for r in rows(table, unit=unit, id_layanan=layanan)])


def test_compute_one_full_example_with_blanks():
    result = compute_one(rows(FIVE))
    assert result.responden == 5
    assert result.nrr == pytest.approx(FIVE_NRR)
    # IKM = (3.2 + 3.25 + 2.2 + 3.8 + 3.2 + 3.4 + 3.8 + 2.5 + 3.25) / 9 = 28.6 / 9 = 3.17777...
    assert result.ikm == pytest.approx(28.6 / 9)
    # konversi = 28.6 / 9 x 25 = 715 / 9 = 79.444... -> [76.61, 88.31) -> B
    assert result.ikm_konversi == pytest.approx(79.4444444, abs=1e-6)
    assert (result.mutu, result.kinerja) == ("B", "Baik")
    assert result.unsur_kosong == ()  # u8 has blanks but two answers, so it is not empty


def test_compute_one_with_custom_weights():
    weights = {"u1": 0.15, "u2": 0.15, "u3": 0.15, "u4": 0.15, "u5": 0.08, "u6": 0.08, "u7": 0.08, "u8": 0.08}
    weights["u9"] = 0.08
    result = compute_one(rows(FIVE), weights=weights)
    # 0.15 x (3.2 + 3.25 + 2.2 + 3.8) = 0.15 x 12.45 = 1.8675
    # 0.08 x (3.2 + 3.4 + 3.8 + 2.5 + 3.25) = 0.08 x 16.15 = 1.292
    # IKM = 3.1595, konversi = 78.9875 -> B
    assert result.ikm == pytest.approx(3.1595)
    assert result.ikm_konversi == pytest.approx(78.9875)
    assert result.mutu == "B"


NO_U8 = [
    (4, 3, 3, 4, 3, 3, 4, _, 3),
    (3, 3, 4, 4, 3, 4, 4, _, 4),
]


def test_unsur_never_answered_is_left_out_and_named():
    result = compute_one(rows(NO_U8))
    assert result.nrr["u8"] is None
    assert result.unsur_kosong == ("u8",)
    # NRR: u1 3.5, u2 3, u3 3.5, u4 4, u5 3, u6 3.5, u7 4, u9 3.5 -> sum 28.
    # The eight weights of 1/9 are scaled to 1/8: IKM = 28 / 8 = 3.5, konversi 87.5 -> B.
    # (Without renormalising, 28 / 9 x 25 = 77.78 would understate the service.)
    assert result.ikm == pytest.approx(3.5)
    assert result.ikm_konversi == pytest.approx(87.5)
    assert result.mutu == "B"


def test_renormalising_keeps_the_ratio_of_custom_weights():
    weights = dict.fromkeys(KEYS, 0.1) | {"u8": 0.2}
    # The other eight weigh 0.1 each, 0.8 in all: scaled to 0.125 each, so again 28 x 0.125 = 3.5.
    assert compute_one(rows(NO_U8), weights=weights).ikm == pytest.approx(3.5)


def test_all_weight_on_an_empty_unsur_gives_no_ikm():
    weights = dict.fromkeys(KEYS, 0.0) | {"u8": 1.0}
    result = compute_one(rows(NO_U8), weights=weights)
    assert (result.ikm, result.mutu, result.kinerja) == (None, None, None)


def test_empty_unsur_are_listed_in_order_comma_separated():
    table = [(4, 3, _, 4, 3, 3, 4, _, 3)]
    out = compute(frame(("A", "L1", table)))
    assert out.loc[0, "unsur_kosong"] == "u3, u8"


def test_no_answers_at_all():
    result = compute_one(rows([(_,) * 9]))
    assert result.responden == 1
    assert result.ikm is None and result.mutu is None
    assert result.unsur_kosong == KEYS
    assert compute_one([]).responden == 0


# Three respondents in unit A (two for L1, one for L2), one in unit B.
GROUPS = frame(
    ("A", "L1", [(4,) * 9, (3,) * 9]),
    ("A", "L2", [(2,) * 9]),
    ("B", "L3", [(3,) + (1,) * 8]),
)


def test_compute_groups_by_unit():
    out = compute(GROUPS, population={"A": 3})
    assert list(out["unit"]) == ["A", "B"]
    assert list(out["responden"]) == [3, 1]
    # A: every NRR (4 + 3 + 2) / 3 = 3, IKM 3, konversi 75 -> C.
    assert out.loc[0, "nrr_u5"] == pytest.approx(3.0)
    assert out.loc[0, "ikm_konversi"] == pytest.approx(75.0)
    assert (out.loc[0, "mutu"], out.loc[0, "kinerja"]) == ("C", "Kurang Baik")
    # B: (3 + 8 x 1) / 9 = 11 / 9 = 1.2222, konversi 30.56 -> D.
    assert out.loc[1, "ikm"] == pytest.approx(11 / 9)
    assert (out.loc[1, "mutu"], out.loc[1, "kinerja"]) == ("D", "Tidak Baik")
    # Population of A is 3: s = 3.841 x 3 x 0.25 / (0.0025 x 2 + 0.96025) = 2.98 -> 3; 3 respondents suffice.
    assert out.loc[0, "sampel_minimal"] == 3
    assert out.loc[0, "sampel_cukup"] is True
    assert out.loc[1, "sampel_minimal"] is None
    assert out.loc[1, "sampel_cukup"] is None


def test_compute_groups_by_unit_and_service():
    out = compute(GROUPS, by=("unit", "id_layanan"), population={("A", "L1"): 2, ("A", "L2"): 100})
    assert list(zip(out["unit"], out["id_layanan"], strict=True)) == [("A", "L1"), ("A", "L2"), ("B", "L3")]
    assert list(out["responden"]) == [2, 1, 1]
    # (A, L1): NRR (4 + 3) / 2 = 3.5, konversi 87.5 -> B.  (A, L2): 2 -> 50 -> D.
    assert list(out["ikm_konversi"]) == pytest.approx([87.5, 50.0, 275 / 9])
    assert list(out["mutu"]) == ["B", "D", "D"]
    # Population 2: s = 3.841 x 2 x 0.25 / (0.0025 + 0.96025) = 1.99 -> 2, met; population 100 -> 80, not met.
    assert list(out["sampel_minimal"]) == [2, 80, None]
    assert list(out["sampel_cukup"]) == [True, False, None]


def test_compute_without_population_leaves_the_sample_columns_empty():
    out = compute(GROUPS)
    assert out["sampel_minimal"].isna().all()
    assert out["sampel_cukup"].isna().all()


def test_compute_accepts_blank_cells_as_text_from_a_sheet():
    table = pd.DataFrame(rows([(4, "", "3", 4, 3, 3, 4, None, 3)], unit="A"))
    out = compute(table)
    assert math.isnan(out.loc[0, "nrr_u2"])
    assert out.loc[0, "nrr_u3"] == 3.0
    assert out.loc[0, "unsur_kosong"] == "u2, u8"


@pytest.mark.parametrize("bad", [0, 5, 2.5, "baik"])
def test_compute_rejects_answers_outside_1_to_4(bad):
    table = pd.DataFrame(rows([(4, 4, bad, 4, 4, 4, 4, 4, 4)], unit="A"))
    with pytest.raises(ValueError, match="jawaban u3"):
        compute(table)


def test_compute_names_missing_columns():
    with pytest.raises(ValueError, match="kolom survei tidak ada: u9"):
        compute(GROUPS.drop(columns="u9"))


def test_compute_of_no_rows_is_an_empty_table():
    out = compute(pd.DataFrame(columns=["unit", *KEYS]))
    assert out.empty
    assert {"unit", "responden", "ikm", "mutu", "unsur_kosong", "sampel_cukup"} <= set(out.columns)


@pytest.mark.parametrize(
    ("konversi", "mutu", "kinerja"),
    [
        (25.0, "D", "Tidak Baik"),
        (64.99, "D", "Tidak Baik"),
        (65.00, "C", "Kurang Baik"),
        (76.60, "C", "Kurang Baik"),
        (76.605, "C", "Kurang Baik"),  # unrounded value below the 76.61 edge
        (76.61, "B", "Baik"),
        (88.30, "B", "Baik"),
        (88.305, "B", "Baik"),
        (88.31, "A", "Sangat Baik"),
        (100.0, "A", "Sangat Baik"),
    ],
)
def test_grade_uses_half_open_bands_on_the_unrounded_value(konversi, mutu, kinerja):
    g = grade(konversi)
    assert (g.mutu, g.kinerja) == (mutu, kinerja)


def test_grade_reaches_an_edge_that_float_arithmetic_misses_by_a_hair():
    # Every unsur answered 3, 3, 3, 2, 2: NRR 13 / 5 = 2.6, IKM 2.6, konversi exactly 65.00 -> C.
    # Summed as 9 x (2.6 x 1/9) in floats it comes out 64.99999999999999.
    result = compute_one(rows([(3,) * 9, (3,) * 9, (3,) * 9, (2,) * 9, (2,) * 9]))
    assert result.ikm_konversi == pytest.approx(65.0)
    assert result.mutu == "C"


@pytest.mark.parametrize("konversi", [24.99, 100.01, float("nan")])
def test_grade_refuses_values_outside_25_to_100(konversi):
    with pytest.raises(ValueError, match="antara 25 dan 100"):
        grade(konversi)


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (0, 0),
        (1, 1),
        (100, 80),  # 96.025 / 1.20775 = 79.51
        (1_000, 278),  # 960.25 / 3.45775 = 277.71
        (10_000, 370),  # 9,602.5 / 25.95775 = 369.93
        (100_000, 383),  # 96,025 / 250.95775 = 382.63
        # Where rounding up would disagree with the published table:
        (15, 14),  # 14.47
        (50, 44),  # 44.34
        (500, 217),  # 217.47
        (75_000, 382),  # 382.15
    ],
)
def test_sample_size_matches_the_krejcie_morgan_table(population, sample):
    assert sample_size(population) == sample


@pytest.mark.parametrize("population", [-1, 2.5, True])
def test_sample_size_refuses_bad_populations(population):
    with pytest.raises(ValueError, match="populasi"):
        sample_size(population)


def test_default_weights_are_one_ninth_each():
    assert check_weights(DEFAULT_WEIGHTS) == pytest.approx(dict.fromkeys(KEYS, 1 / 9))


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (dict.fromkeys(KEYS, 0.1), "jumlah bobot"),  # sums to 0.9
        (dict.fromkeys(KEYS, 1 / 9) | {"u1": -0.1, "u2": 1 / 9 + 0.1}, "u1 tidak boleh negatif"),
        ({k: 1 / 8 for k in KEYS if k != "u9"}, "u9 tidak ada"),
        (dict.fromkeys(KEYS, 1 / 9) | {"u10": 0.0}, "tidak dikenal: u10"),
        (dict.fromkeys(KEYS, 1 / 9) | {"u4": "0.11"}, "u4 harus berupa angka"),
    ],
)
def test_check_weights_refuses_invalid_weights(weights, message):
    with pytest.raises(ValueError, match=message):
        check_weights(weights)


def test_compute_refuses_invalid_weights():
    with pytest.raises(ValueError, match="jumlah bobot"):
        compute(GROUPS, weights=dict.fromkeys(KEYS, 0.2))


def test_weights_within_the_tolerance_are_scaled_to_one():
    weights = check_weights(dict.fromkeys(KEYS, 1 / 9) | {"u1": 1 / 9 + 5e-7})
    assert math.fsum(weights.values()) == pytest.approx(1.0, abs=1e-15)


def test_unsur_are_the_nine_of_the_regulation_in_order():
    assert KEYS == ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
    assert [u.name for u in UNSUR] == [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Sarana dan Prasarana",
    ]
    for u in UNSUR:
        assert len(u.labels) == 4 and all(u.labels)
        assert u.question.startswith("Bagaimana") and u.question.endswith("?")
    labels = {u.key: u.labels for u in UNSUR}
    assert labels["u1"] == ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")
    assert labels["u4"] == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert labels["u8"] == (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    )
    assert labels["u9"] == ("Buruk", "Cukup", "Baik", "Sangat baik")


def test_unsur_match_the_survei_sheet():
    sheet = schema.sheet("Survei")
    for u in UNSUR:
        column = sheet.column(u.key)
        assert column.header == f"{u.key.upper()} {u.name}"
        assert (column.type, column.min, column.max) == ("integer", 1, 4)


def test_importing_ikm_does_not_import_pandas_or_numpy():
    code = "import sys, functions.citizens.ikm; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

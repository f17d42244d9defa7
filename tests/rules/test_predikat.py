"""The performance-rating rules: PermenPANRB 6/2022, SE MenPANRB 3/2023, PerBKN 3/2023, BerAKHLAK."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from functions import schema
from functions.rules.predikat import (
    BERAKHLAK,
    ORG_PREDIKATS,
    PERCENT,
    PREDIKATS,
    RATINGS,
    check_distribution,
    predikat,
    rating_hasil_kerja,
    rating_perilaku,
)

ROOT = Path(__file__).resolve().parents[2]
ATAS, SESUAI, BAWAH = "Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"
KEYS = ("berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif")


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (ATAS, BAWAH, "Kurang/Misconduct"),
        (ATAS, SESUAI, "Baik"),
        (ATAS, ATAS, "Sangat Baik"),
        (SESUAI, BAWAH, "Kurang/Misconduct"),
        (SESUAI, SESUAI, "Baik"),
        (SESUAI, ATAS, "Baik"),
        (BAWAH, BAWAH, "Sangat Kurang"),
        (BAWAH, SESUAI, "Butuh Perbaikan"),
        (BAWAH, ATAS, "Butuh Perbaikan"),
    ],
)
def test_predikat_follows_the_matrix(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) == expected


@pytest.mark.parametrize(
    ("hasil", "perilaku", "named"),
    [
        ("Di atas ekspektasi", SESUAI, "hasil kerja"),
        (SESUAI, "Baik", "perilaku kerja"),
        ("", SESUAI, "hasil kerja"),
        (SESUAI, None, "perilaku kerja"),
        (" Sesuai Ekspektasi", SESUAI, "hasil kerja"),
    ],
)
def test_predikat_rejects_unknown_ratings(hasil, perilaku, named):
    with pytest.raises(ValueError, match=f"rating {named} tidak dikenal") as err:
        predikat(hasil, perilaku)
    assert "Di Atas Ekspektasi, Sesuai Ekspektasi, Di Bawah Ekspektasi" in str(err.value)


def test_names_match_the_sheets():
    assert RATINGS == (ATAS, SESUAI, BAWAH)
    assert PREDIKATS == ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang")
    assert ORG_PREDIKATS == ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
    skor = schema.sheet("Skor")
    assert skor.column("predikat").allowed == PREDIKATS
    assert skor.column("rating_hasil_kerja").allowed == RATINGS
    assert skor.column("rating_perilaku").allowed == RATINGS
    assert schema.sheet("Unit").column("predikat_organisasi").allowed == ORG_PREDIKATS
    assert schema.sheet("SkorUnit").column("predikat_organisasi").allowed == ORG_PREDIKATS


def test_percent_of_each_predikat():
    assert PERCENT == {
        "Sangat Baik": 150,
        "Baik": 100,
        "Butuh Perbaikan": 75,
        "Kurang/Misconduct": 50,
        "Sangat Kurang": 25,
    }
    assert tuple(PERCENT) == PREDIKATS


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        (0.0, BAWAH),
        (84.99, BAWAH),
        (85.0, SESUAI),
        (85, SESUAI),
        (100.0, SESUAI),
        (109.99, SESUAI),
        (110.0, ATAS),
        (110.01, ATAS),
        (250.0, ATAS),
        (110 - 1e-12, ATAS),  # float noise below the edge counts as reaching it
        (85 - 1e-12, SESUAI),
    ],
)
def test_rating_hasil_kerja_at_the_default_thresholds(capaian, expected):
    assert rating_hasil_kerja(capaian, 110.0, 85.0) == expected


def test_rating_hasil_kerja_uses_the_thresholds_passed_in():
    assert rating_hasil_kerja(100.0, 100.0, 80.0) == ATAS
    assert rating_hasil_kerja(79.9, 100.0, 80.0) == BAWAH
    assert rating_hasil_kerja(90.0, 90.0, 90.0) == ATAS  # equal thresholds: no Sesuai band


@pytest.mark.parametrize(
    ("capaian", "above", "meets", "message"),
    [
        (float("nan"), 110.0, 85.0, "capaian harus berupa angka"),
        (float("inf"), 110.0, 85.0, "capaian harus berupa angka"),
        ("100", 110.0, 85.0, "capaian harus berupa angka"),
        (True, 110.0, 85.0, "capaian harus berupa angka"),
        (100.0, None, 85.0, "ambang di atas ekspektasi harus berupa angka"),
        (100.0, 110.0, float("nan"), "ambang sesuai harus berupa angka"),
        (100.0, 80.0, 85.0, "tidak boleh lebih kecil"),
    ],
)
def test_rating_hasil_kerja_rejects_bad_input(capaian, above, meets, message):
    with pytest.raises(ValueError, match=message):
        rating_hasil_kerja(capaian, above, meets)


def test_berakhlak_has_seven_values_in_order_with_three_guides():
    assert [n.name for n in BERAKHLAK] == [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ]
    assert tuple(n.key for n in BERAKHLAK) == KEYS
    for nilai in BERAKHLAK:
        assert len(nilai.guides) == 3
        assert all(g and g == g.strip() and g[0].isupper() for g in nilai.guides)
    assert BERAKHLAK[0].guides == (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    )
    assert BERAKHLAK[1].guides[2] == "Tidak menyalahgunakan kewenangan jabatan"
    with pytest.raises(AttributeError):
        BERAKHLAK[0].name = "Lain"  # type: ignore[misc]


def ratings(above=(), below=()):
    """All seven values Sesuai, except those named in above (Di Atas) and below (Di Bawah)."""
    assert not set(above) & set(below)
    return {k: ATAS if k in above else BAWAH if k in below else SESUAI for k in KEYS}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Di Bawah: two or more values Di Bawah ...
        (ratings(below=("kompeten", "loyal")), BAWAH),
        (
            ratings(
                above=("kompeten", "loyal", "adaptif", "kolaboratif"), below=("berorientasi_pelayanan", "harmonis")
            ),
            BAWAH,
        ),
        (ratings(below=KEYS), BAWAH),
        # ... or Akuntabel Di Bawah on its own, even with the others Di Atas.
        (ratings(below=("akuntabel",)), BAWAH),
        (ratings(above=[k for k in KEYS if k != "akuntabel"], below=("akuntabel",)), BAWAH),
        # Di Atas: four or more Di Atas and none Di Bawah.
        (ratings(above=KEYS[:4]), ATAS),
        (ratings(above=KEYS), ATAS),
        # Sesuai: three Di Atas is not enough ...
        (ratings(above=KEYS[:3]), SESUAI),
        # ... one Di Bawah (not Akuntabel) blocks Di Atas but does not give Di Bawah ...
        (ratings(above=("akuntabel", "kompeten", "harmonis", "loyal", "adaptif"), below=("kolaboratif",)), SESUAI),
        (ratings(below=("kompeten",)), SESUAI),
        # ... and all Sesuai.
        (ratings(), SESUAI),
    ],
)
def test_rating_perilaku_rule(values, expected):
    assert rating_perilaku(values) == expected


def test_rating_perilaku_thresholds_can_be_changed():
    one_below = ratings(below=("kompeten",))
    assert rating_perilaku(one_below, below_min=1) == BAWAH
    three_above = ratings(above=KEYS[:3])
    assert rating_perilaku(three_above, above_min=3) == ATAS
    two_below = ratings(below=("kompeten", "loyal"))
    assert rating_perilaku(two_below, below_min=3) == SESUAI


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({k: SESUAI for k in KEYS if k != "loyal"}, "belum lengkap: loyal belum dinilai"),
        ({}, "belum lengkap: berorientasi_pelayanan, akuntabel"),
        (ratings() | {"jujur": SESUAI}, "nilai BerAKHLAK tidak dikenal: jujur"),
        (ratings() | {"adaptif": "Baik"}, "rating perilaku adaptif tidak dikenal"),
    ],
)
def test_rating_perilaku_rejects_bad_input(values, message):
    with pytest.raises(ValueError, match=message):
        rating_perilaku(values)


@pytest.mark.parametrize("limit", [0, 8, True, 2.0])
def test_rating_perilaku_rejects_bad_thresholds(limit):
    with pytest.raises(ValueError, match="harus bilangan bulat 1 sampai 7"):
        rating_perilaku(ratings(), below_min=limit)


def counts(sb=0, b=0, bp=0, k=0, sk=0):
    return {"Sangat Baik": sb, "Baik": b, "Butuh Perbaikan": bp, "Kurang/Misconduct": k, "Sangat Kurang": sk}


BAIK_MOST = "Organisasi berpredikat Baik: paling banyak 70% pegawai boleh berpredikat Baik; "
BAIK_SOME = "Organisasi berpredikat Baik: harus ada pegawai berpredikat Butuh Perbaikan atau Kurang/Misconduct; "


@pytest.mark.parametrize(
    ("org", "employees", "expected"),
    [
        # Istimewa: at most 70% Sangat Baik.
        ("Istimewa", counts(sb=7, b=3), []),
        (
            "Istimewa",
            counts(sb=8, b=2),
            [
                "Organisasi berpredikat Istimewa: paling banyak 70% pegawai boleh berpredikat Sangat Baik; "
                "sekarang 8 dari 10 pegawai (80%)."
            ],
        ),
        # Baik: at most 70% Baik ...
        ("Baik", counts(b=7, bp=3), []),
        ("Baik", counts(b=8, bp=2), [BAIK_MOST + "sekarang 8 dari 10 pegawai (80%)."]),
        # ... and at least one Butuh Perbaikan or Kurang/Misconduct.
        ("Baik", counts(sb=3, b=6, k=1), []),
        ("Baik", counts(sb=3, b=6, bp=1), []),
        ("Baik", counts(sb=4, b=6), [BAIK_SOME + "sekarang tidak ada dari 10 pegawai."]),
        # Read literally, Sangat Kurang does not count as "Butuh Perbaikan or Kurang".
        ("Baik", counts(sb=4, b=5, sk=1), [BAIK_SOME + "sekarang tidak ada dari 10 pegawai."]),
        # Butuh Perbaikan: at least 60% Butuh Perbaikan, at most 10% Sangat Baik.
        ("Butuh Perbaikan", counts(sb=1, b=3, bp=6), []),
        (
            "Butuh Perbaikan",
            counts(sb=1, b=4, bp=5),
            [
                "Organisasi berpredikat Butuh Perbaikan: paling sedikit 60% pegawai harus berpredikat "
                "Butuh Perbaikan; sekarang 5 dari 10 pegawai (50%)."
            ],
        ),
        (
            "Butuh Perbaikan",
            counts(sb=2, b=2, bp=6),
            [
                "Organisasi berpredikat Butuh Perbaikan: paling banyak 10% pegawai boleh berpredikat "
                "Sangat Baik; sekarang 2 dari 10 pegawai (20%)."
            ],
        ),
        # Kurang: at least 60% Kurang/Misconduct, at least 10% Butuh Perbaikan, at most 10% Sangat Baik.
        ("Kurang", counts(sb=1, b=2, bp=1, k=6), []),
        (
            "Kurang",
            counts(sb=1, b=2, bp=2, k=5),
            [
                "Organisasi berpredikat Kurang: paling sedikit 60% pegawai harus berpredikat "
                "Kurang/Misconduct; sekarang 5 dari 10 pegawai (50%)."
            ],
        ),
        (
            "Kurang",
            counts(sb=1, b=2, k=6, sk=1),
            [
                "Organisasi berpredikat Kurang: paling sedikit 10% pegawai harus berpredikat "
                "Butuh Perbaikan; sekarang 0 dari 10 pegawai (0%)."
            ],
        ),
        (
            "Kurang",
            counts(sb=2, b=1, bp=1, k=6),
            [
                "Organisasi berpredikat Kurang: paling banyak 10% pegawai boleh berpredikat "
                "Sangat Baik; sekarang 2 dari 10 pegawai (20%)."
            ],
        ),
        # Sangat Kurang: at least 60% Sangat Kurang, at least 10% Kurang/Misconduct or Butuh
        # Perbaikan together, no Sangat Baik.
        ("Sangat Kurang", counts(b=3, k=1, sk=6), []),
        ("Sangat Kurang", counts(b=3, bp=1, sk=6), []),
        (
            "Sangat Kurang",
            counts(b=3, bp=2, sk=5),
            [
                "Organisasi berpredikat Sangat Kurang: paling sedikit 60% pegawai harus berpredikat "
                "Sangat Kurang; sekarang 5 dari 10 pegawai (50%)."
            ],
        ),
        (
            "Sangat Kurang",
            counts(b=4, sk=6),
            [
                "Organisasi berpredikat Sangat Kurang: paling sedikit 10% pegawai harus berpredikat "
                "Kurang/Misconduct atau Butuh Perbaikan; sekarang 0 dari 10 pegawai (0%)."
            ],
        ),
        (
            "Sangat Kurang",
            counts(sb=1, b=2, bp=1, sk=6),
            [
                "Organisasi berpredikat Sangat Kurang: tidak boleh ada pegawai berpredikat Sangat Baik; "
                "sekarang 1 dari 10 pegawai (10%)."
            ],
        ),
    ],
)
def test_check_distribution_each_rule_at_its_boundary(org, employees, expected):
    assert check_distribution(org, employees) == expected


def test_check_distribution_reports_every_broken_rule():
    # 3 employees, all Sangat Baik, in an organisation rated Kurang: all three rules break.
    assert check_distribution("Kurang", {"Sangat Baik": 3}) == [
        "Organisasi berpredikat Kurang: paling sedikit 60% pegawai harus berpredikat Kurang/Misconduct; "
        "sekarang 0 dari 3 pegawai (0%).",
        "Organisasi berpredikat Kurang: paling sedikit 10% pegawai harus berpredikat Butuh Perbaikan; "
        "sekarang 0 dari 3 pegawai (0%).",
        "Organisasi berpredikat Kurang: paling banyak 10% pegawai boleh berpredikat Sangat Baik; "
        "sekarang 3 dari 3 pegawai (100%).",
    ]
    # All Baik in an organisation rated Baik breaks both of its rules.
    assert check_distribution("Baik", {"Baik": 3}) == [
        BAIK_MOST + "sekarang 3 dari 3 pegawai (100%).",
        BAIK_SOME + "sekarang tidak ada dari 3 pegawai.",
    ]


def test_check_distribution_compares_exact_fractions():
    # 2 of 3 Baik is 66.67% <= 70%; 5 of 7 is 71.43% > 70%. Shown with one decimal and a comma.
    assert check_distribution("Baik", counts(b=2, bp=1)) == []
    assert check_distribution("Baik", counts(b=5, bp=2)) == [BAIK_MOST + "sekarang 5 dari 7 pegawai (71,4%)."]
    # 7 of 10 exactly 70%, and 70 of 100, are allowed; 3 of 5 Butuh Perbaikan is exactly 60%.
    assert check_distribution("Istimewa", counts(sb=70, b=30)) == []
    assert check_distribution("Butuh Perbaikan", counts(b=2, bp=3)) == []
    # 1 of 11 Sangat Baik (9.1%) is within 10%; 2 of 19 (10.5%) is not.
    assert check_distribution("Butuh Perbaikan", counts(sb=1, bp=10)) == []
    assert check_distribution("Butuh Perbaikan", counts(sb=2, bp=17)) == [
        "Organisasi berpredikat Butuh Perbaikan: paling banyak 10% pegawai boleh berpredikat Sangat Baik; "
        "sekarang 2 dari 19 pegawai (10,5%)."
    ]


@pytest.mark.parametrize("org", ORG_PREDIKATS)
@pytest.mark.parametrize("employees", [{}, counts()])
def test_check_distribution_without_employees_complies(org, employees):
    assert check_distribution(org, employees) == []


def test_check_distribution_missing_predikat_counts_as_zero():
    assert check_distribution("Baik", {"Baik": 7, "Butuh Perbaikan": 3}) == []


@pytest.mark.parametrize(
    ("org", "employees", "message"),
    [
        ("Sangat Baik", counts(b=1), "predikat organisasi tidak dikenal: 'Sangat Baik'"),
        ("baik", counts(b=1), "predikat organisasi tidak dikenal"),
        ("Baik", {"Kurang": 1}, "predikat pegawai tidak dikenal: 'Kurang'"),
        ("Baik", {"Baik": -1}, "tidak boleh negatif"),
        ("Baik", {"Baik": 1.5}, "harus bilangan bulat"),
        ("Baik", {"Baik": "3"}, "harus bilangan bulat"),
        ("Baik", {"Baik": True}, "harus bilangan bulat"),
    ],
)
def test_check_distribution_rejects_bad_input(org, employees, message):
    with pytest.raises(ValueError, match=message):
        check_distribution(org, employees)


def test_importing_predikat_does_not_import_pandas():
    code = "import sys, functions.rules.predikat; print('pandas' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

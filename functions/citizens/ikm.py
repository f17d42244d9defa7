"""The Survei Kepuasan Masyarakat (SKM) rules: unsur, weights, IKM, grade and sample size.

Source: Peraturan Menteri PANRB Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei
Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik (lampiran: the nine unsur, the
questionnaire, NRR and IKM, the table of mutu and kinerja, and the Krejcie-Morgan sample).
This is the only module that spells these rules out.

- ``UNSUR``: the nine unsur in the regulation's order. ``key`` is the column of the Survei
  sheet. The regulation's sample questionnaire asks about sarana dan prasarana as question 8
  and about pengaduan as question 9; the keys follow the list of unsur (u8 = pengaduan,
  u9 = sarana), as the Survei sheet does, so a paper form numbered like the sample
  questionnaire must be mapped by unsur, not by question number.
- NRR of an unsur = sum of its answers / number of respondents who answered it.
  IKM = sum(NRR_i x w_i) on 1-4, IKM konversi = IKM x 25 on 25-100. When nobody in a
  group answered an unsur, the remaining weights are scaled to sum to 1 and the empty unsur
  is named in ``unsur_kosong``.
- ``grade``: half-open bands on the *unrounded* converted value (see ``grade``).
- ``sample_size``: Krejcie and Morgan (1970), rounded to the nearest whole respondent (see
  ``sample_size``).

Values are returned unrounded; reports round for display. Importing this module does not
import pandas or numpy (the survey form imports ``UNSUR`` for its labels); ``compute`` does.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Unsur:
    key: str
    name: str
    question: str
    labels: tuple[str, str, str, str]  # the answers 1, 2, 3, 4 (4 best)


UNSUR: tuple[Unsur, ...] = (
    Unsur(
        "u1",
        "Persyaratan",
        "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "u2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Unsur(
        "u3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Unsur(
        "u4",
        "Biaya/Tarif",
        "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Unsur(
        "u5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
        "pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "u6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Unsur(
        "u7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    Unsur(
        "u8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    Unsur(
        "u9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
)
KEYS: tuple[str, ...] = tuple(u.key for u in UNSUR)
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(KEYS, 1 / 9)
WEIGHT_TOLERANCE = 1e-6


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """The weights in unsur order, or ValueError unless u1..u9 are all there, >= 0 and sum to 1.

    A sum within 1e-6 of 1 is accepted and the weights are scaled to sum to exactly 1, so an
    IKM stays within 1-4 (weights typed as 0.111 each and one 0.112, for example).
    """
    missing = [k for k in KEYS if k not in weights]
    if missing:
        raise ValueError(f"bobot unsur belum lengkap: {', '.join(missing)} tidak ada; isi bobot u1 sampai u9")
    unknown = sorted(set(weights) - set(KEYS))
    if unknown:
        raise ValueError(f"bobot unsur tidak dikenal: {', '.join(map(str, unknown))}; gunakan kunci u1 sampai u9")
    clean: dict[str, float] = {}
    for key in KEYS:
        value = weights[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"bobot {key} harus berupa angka, bukan {value!r}")
        if value < 0:
            raise ValueError(f"bobot {key} tidak boleh negatif ({value})")
        clean[key] = float(value)
    total = math.fsum(clean.values())
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise ValueError(f"jumlah bobot sembilan unsur harus 1, sekarang {total:.6g}; sesuaikan bobot agar berjumlah 1")
    return {key: value / total for key, value in clean.items()}


@dataclass(frozen=True)
class Grade:
    mutu: str  # A-D
    kinerja: str  # Sangat Baik, Baik, Kurang Baik, Tidak Baik


# Lower edges of the bands on IKM konversi; each band is [edge, next edge).
EDGES = (25.0, 65.0, 76.61, 88.31)
GRADES = (Grade("D", "Tidak Baik"), Grade("C", "Kurang Baik"), Grade("B", "Baik"), Grade("A", "Sangat Baik"))
# Absorbs binary floating-point noise: nine NRR of 2.6 weighted 1/9 give 64.99999999999999, not 65.
EDGE_TOLERANCE = 1e-9


def grade(konversi: float) -> Grade:
    """Mutu and kinerja of an IKM konversi (25-100).

    The official table gives 25.00-64.99 D, 65.00-76.60 C, 76.61-88.30 B, 88.31-100.00 A,
    leaving gaps between the two-decimal edges. The bands here are half-open, [25, 65) D,
    [65, 76.61) C, [76.61, 88.31) B, [88.31, 100] A, and the *unrounded* value is compared
    with the edges: 76.605 is C and 88.305 is B, although both print as the next band's
    edge with two decimals. Rounding first would let the display precision decide a grade.
    Only a value within 1e-9 below an edge (float noise) counts as reaching it.
    """
    if not (EDGES[0] - EDGE_TOLERANCE <= konversi <= 100 + EDGE_TOLERANCE):
        raise ValueError(f"IKM konversi harus antara 25 dan 100, bukan {konversi}")
    band = bisect.bisect_right(EDGES, konversi + EDGE_TOLERANCE) - 1
    return GRADES[max(band, 0)]


# Krejcie and Morgan (1970), as the lampiran uses it: chi-square for 1 degree of freedom at
# 95%, population proportion 0.5, margin of error 0.05. Kept exact to round without float noise.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def sample_size(population: int) -> int:
    """Minimum respondents for a population N: s = X2*N*P*(1-P) / (d2*(N-1) + X2*P*(1-P)).

    Rounded to the nearest whole respondent (an exact half rounds up). That reproduces the
    published Krejcie-Morgan table: 15 -> 14, 100 -> 80, 1,000 -> 278, 10,000 -> 370,
    75,000 -> 382; rounding up would give 15, 80, 278, 370 and 383 and disagrees with the
    table at 46 of its entries. 100,000 -> 383 (382.63). N = 0 gives 0.
    """
    if isinstance(population, bool) or not float(population).is_integer():
        raise ValueError(f"populasi harus bilangan bulat, bukan {population!r}")
    n = int(population)
    if n < 0:
        raise ValueError(f"populasi tidak boleh negatif ({n})")
    if n == 0:
        return 0
    pq = PROPORTION * (1 - PROPORTION)
    s = CHI_SQUARE * n * pq / (MARGIN**2 * (n - 1) + CHI_SQUARE * pq)
    return math.floor(s + Fraction(1, 2))


@dataclass(frozen=True)
class IkmResult:
    """The IKM of one group of survey answers; None where nobody answered."""

    responden: int
    nrr: Mapping[str, float | None]
    ikm: float | None
    ikm_konversi: float | None
    mutu: str | None
    kinerja: str | None
    unsur_kosong: tuple[str, ...]


def compute(
    surveys: pd.DataFrame,
    by: Sequence[str] = ("unit",),
    weights: Mapping[str, float] | None = None,
    population: Mapping[Any, int] | None = None,
) -> pd.DataFrame:
    """One row per group of ``by``: NRR per unsur, IKM, konversi, mutu, kinerja and sample check.

    ``surveys`` has the ``by`` columns and u1..u9 (1-4, or NaN/None/"" when unanswered).
    ``population`` maps a group (its value for one ``by`` column, else the tuple of values)
    to the population served; groups it lacks get None in ``sampel_minimal`` and
    ``sampel_cukup``. Groups are sorted by their keys.
    """
    import pandas as pd

    w = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in (*by, *KEYS) if c not in surveys.columns]
    if missing:
        raise ValueError(f"kolom survei tidak ada: {', '.join(missing)}")
    frame = pd.concat([surveys[by], _answers(surveys)], axis=1)
    grouped = frame.groupby(by, dropna=False, sort=True, observed=True)
    sums = grouped[list(KEYS)].sum()
    counts = grouped[list(KEYS)].count()
    nrr = sums / counts.where(counts > 0)
    empty = counts == 0
    used = (~empty).mul(pd.Series(w), axis=1)
    weighted = (nrr.fillna(0.0) * used).sum(axis=1)
    # Renormalise only groups with an empty unsur, so a full group is exactly sum(NRR_i x w_i).
    total = used.sum(axis=1).where(empty.any(axis=1), 1.0)
    ikm = weighted / total.where(total > 0)

    out = nrr.add_prefix("nrr_")
    out.insert(0, "responden", grouped.size())
    out["ikm"] = ikm
    out["ikm_konversi"] = ikm * 25
    grades = [None if math.isnan(v) else grade(v) for v in out["ikm_konversi"]]
    out["mutu"] = pd.Series([g.mutu if g else None for g in grades], index=out.index, dtype=object)
    out["kinerja"] = pd.Series([g.kinerja if g else None for g in grades], index=out.index, dtype=object)
    out["unsur_kosong"] = [", ".join(k for k, e in zip(KEYS, row, strict=True) if e) for row in empty.to_numpy()]
    minimal: list[int | None] = []
    for key in out.index:
        pop = _population_of(population, key if isinstance(key, tuple) else (key,))
        minimal.append(None if pop is None else sample_size(pop))
    out["sampel_minimal"] = pd.Series(minimal, index=out.index, dtype=object)
    out["sampel_cukup"] = pd.Series(
        [None if m is None else bool(r >= m) for r, m in zip(out["responden"], minimal, strict=True)],
        index=out.index,
        dtype=object,
    )
    return out.reset_index()


def compute_one(answers: Iterable[Mapping[str, Any]], weights: Mapping[str, float] | None = None) -> IkmResult:
    """The IKM of a single group of answers (mappings with u1..u9; other keys are ignored)."""
    import pandas as pd

    rows = [{k: a.get(k) for k in KEYS} for a in answers]
    if not rows:
        check_weights(DEFAULT_WEIGHTS if weights is None else weights)
        return IkmResult(0, dict.fromkeys(KEYS), None, None, None, None, KEYS)
    frame = pd.DataFrame(rows, columns=list(KEYS), dtype=object).assign(grup="")
    row = compute(frame, by=("grup",), weights=weights).iloc[0]

    def number(value: Any) -> float | None:
        return None if pd.isna(value) else float(value)

    return IkmResult(
        responden=int(row["responden"]),
        nrr={k: number(row[f"nrr_{k}"]) for k in KEYS},
        ikm=number(row["ikm"]),
        ikm_konversi=number(row["ikm_konversi"]),
        mutu=row["mutu"],
        kinerja=row["kinerja"],
        unsur_kosong=tuple(row["unsur_kosong"].split(", ")) if row["unsur_kosong"] else (),
    )


def _answers(surveys: pd.DataFrame) -> pd.DataFrame:
    """u1..u9 as float64 with NaN for unanswered; ValueError naming the first bad cell."""
    import pandas as pd

    columns = {}
    for key in KEYS:
        try:
            col = pd.to_numeric(surveys[key], errors="raise").astype("float64")
        except (ValueError, TypeError) as err:
            raise ValueError(f"jawaban {key} harus angka 1 sampai 4 atau kosong: {err}") from err
        bad = col.notna() & ~col.isin((1.0, 2.0, 3.0, 4.0))
        if bad.any():
            label = bad.idxmax()
            raise ValueError(f"jawaban {key} pada baris {label} harus 1, 2, 3 atau 4 (atau kosong), bukan {col[label]}")
        columns[key] = col
    return pd.DataFrame(columns, index=surveys.index)


def _population_of(population: Mapping[Any, int] | None, key: tuple[Any, ...]) -> int | None:
    if population is None:
        return None
    pop = population.get(key[0] if len(key) == 1 else key)
    if pop is None and len(key) == 1:
        pop = population.get(key)
    if pop is None or pop != pop:  # absent, None or NaN (a blank Populasi cell)
        return None
    return pop

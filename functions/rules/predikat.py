"""The rules of the performance rating of ASN: ratings, predikat, BerAKHLAK and distribution.

Sources. This is the only module that spells these rules out.

- Peraturan Menteri PANRB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN:
  hasil kerja and perilaku kerja are each rated Di Atas / Sesuai / Di Bawah Ekspektasi, and
  the two ratings give the predikat through the matrix in ``MATRIX`` (rows hasil kerja,
  columns perilaku kerja).
- Surat Edaran Menteri PANRB Nomor 3 Tahun 2023: the predikat of an organisation caps the
  distribution of its employees' predikat (``DISTRIBUTION``, ``check_distribution``).
- Peraturan BKN Nomor 3 Tahun 2023 (angka kredit jabatan fungsional): a predikat as a
  percentage (``PERCENT``).
- Undang-Undang Nomor 20 Tahun 2023 tentang ASN, Pasal 4: the seven nilai dasar BerAKHLAK.
  Their three panduan perilaku each are worded as in SE MenPANRB Nomor 20 Tahun 2021 tentang
  Implementasi Core Values dan Employer Branding ASN (``BERAKHLAK``).

Program policy, not regulation (kebijakan program, dapat diubah di Konfigurasi):

- ``rating_hasil_kerja``: the capaian that counts as Di Atas or Sesuai Ekspektasi
  (``DEFAULT_ABOVE`` = 110, ``DEFAULT_MEETS`` = 85); the regulation leaves it to the
  supervisor.
- ``rating_perilaku``: PermenPANRB 6/2022 leaves the overall perilaku rating to the
  supervisor's judgement; the program derives it from the seven value ratings by the rule
  written in that function.

Importing this module does not import pandas (a form imports ``BERAKHLAK`` for its labels).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

ABOVE = "Di Atas Ekspektasi"
MEETS = "Sesuai Ekspektasi"
BELOW = "Di Bawah Ekspektasi"
RATINGS = (ABOVE, MEETS, BELOW)

PREDIKATS = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang")
SANGAT_BAIK, BAIK, BUTUH_PERBAIKAN, KURANG, SANGAT_KURANG = PREDIKATS

# PermenPANRB 6/2022: (rating hasil kerja, rating perilaku kerja) -> predikat.
MATRIX: dict[tuple[str, str], str] = {
    (ABOVE, BELOW): KURANG,
    (ABOVE, MEETS): BAIK,
    (ABOVE, ABOVE): SANGAT_BAIK,
    (MEETS, BELOW): KURANG,
    (MEETS, MEETS): BAIK,
    (MEETS, ABOVE): BAIK,
    (BELOW, BELOW): SANGAT_KURANG,
    (BELOW, MEETS): BUTUH_PERBAIKAN,
    (BELOW, ABOVE): BUTUH_PERBAIKAN,
}

# PerBKN 3/2023: a predikat as a percentage, used for angka kredit.
PERCENT: dict[str, int] = {SANGAT_BAIK: 150, BAIK: 100, BUTUH_PERBAIKAN: 75, KURANG: 50, SANGAT_KURANG: 25}


def _check_rating(value: str, what: str) -> None:
    if value not in RATINGS:
        raise ValueError(f"rating {what} tidak dikenal: {value!r}; pilih salah satu: {', '.join(RATINGS)}")


def predikat(hasil: str, perilaku: str) -> str:
    """The predikat of a rating of hasil kerja and a rating of perilaku kerja (``MATRIX``)."""
    _check_rating(hasil, "hasil kerja")
    _check_rating(perilaku, "perilaku kerja")
    return MATRIX[(hasil, perilaku)]


# Kebijakan program, dapat diubah di Konfigurasi: capaian (% of the period's target).
DEFAULT_ABOVE = 110.0
DEFAULT_MEETS = 85.0
# Absorbs binary floating-point noise in a weighted capaian, as functions.citizens.ikm does for grades.
EDGE_TOLERANCE = 1e-9


def rating_hasil_kerja(capaian_persen: float, above: float, meets: float) -> str:
    """The rating of hasil kerja from its capaian (in %) and the two thresholds.

    capaian >= ``above`` is Di Atas Ekspektasi, >= ``meets`` Sesuai Ekspektasi, else Di Bawah
    Ekspektasi. Program defaults: ``DEFAULT_ABOVE`` = 110 and ``DEFAULT_MEETS`` = 85 (kebijakan
    program, dapat diubah di Konfigurasi). Only a value within 1e-9 below a threshold (float
    noise) counts as reaching it: 109.99 is Sesuai, 110.00 is Di Atas.
    """
    for name, value in (("capaian", capaian_persen), ("ambang di atas ekspektasi", above), ("ambang sesuai", meets)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name} harus berupa angka, bukan {value!r}")
    if above < meets:
        raise ValueError(
            f"ambang Di Atas Ekspektasi ({above}) tidak boleh lebih kecil dari ambang Sesuai Ekspektasi ({meets}); "
            "perbaiki ambang di Konfigurasi"
        )
    if capaian_persen + EDGE_TOLERANCE >= above:
        return ABOVE
    if capaian_persen + EDGE_TOLERANCE >= meets:
        return MEETS
    return BELOW


@dataclass(frozen=True)
class Nilai:
    key: str
    name: str
    guides: tuple[str, str, str]  # the three panduan perilaku


BERAKHLAK: tuple[Nilai, ...] = (
    Nilai(
        "berorientasi_pelayanan",
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    Nilai(
        "akuntabel",
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    Nilai(
        "kompeten",
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    Nilai(
        "harmonis",
        "Harmonis",
        (
            "Menghargai setiap orang apa pun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    Nilai(
        "loyal",
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    Nilai(
        "adaptif",
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    Nilai(
        "kolaboratif",
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)
BERAKHLAK_KEYS: tuple[str, ...] = tuple(n.key for n in BERAKHLAK)

# Kebijakan program (see rating_perilaku).
DEFAULT_PERILAKU_BELOW_MIN = 2
DEFAULT_PERILAKU_ABOVE_MIN = 4
INTEGRITY_KEY = "akuntabel"


def rating_perilaku(
    ratings: Mapping[str, str],
    *,
    below_min: int = DEFAULT_PERILAKU_BELOW_MIN,
    above_min: int = DEFAULT_PERILAKU_ABOVE_MIN,
) -> str:
    """The overall rating of perilaku kerja from the ratings of the seven BerAKHLAK values.

    PermenPANRB 6/2022 leaves this rating to the supervisor's judgement; the program derives
    it (kebijakan program):

    1. Di Bawah Ekspektasi when ``below_min`` (2) or more values are Di Bawah, or when
       Akuntabel (integrity) is Di Bawah;
    2. else Di Atas Ekspektasi when ``above_min`` (4) or more values are Di Atas and none is
       Di Bawah;
    3. else Sesuai Ekspektasi (so one value Di Bawah, other than Akuntabel, gives Sesuai).

    ``ratings`` maps every key of ``BERAKHLAK`` to a rating; a missing or unknown key or an
    unknown rating is a ValueError.
    """
    missing = [k for k in BERAKHLAK_KEYS if k not in ratings]
    if missing:
        raise ValueError(f"penilaian BerAKHLAK belum lengkap: {', '.join(missing)} belum dinilai")
    unknown = sorted(map(str, set(ratings) - set(BERAKHLAK_KEYS)))
    if unknown:
        raise ValueError(f"nilai BerAKHLAK tidak dikenal: {', '.join(unknown)}; gunakan {', '.join(BERAKHLAK_KEYS)}")
    for key in BERAKHLAK_KEYS:
        _check_rating(ratings[key], f"perilaku {key}")
    for name, limit in (("below_min", below_min), ("above_min", above_min)):
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= len(BERAKHLAK):
            raise ValueError(f"{name} harus bilangan bulat 1 sampai {len(BERAKHLAK)}, bukan {limit!r}")
    values = [ratings[k] for k in BERAKHLAK_KEYS]
    below = values.count(BELOW)
    if below >= below_min or ratings[INTEGRITY_KEY] == BELOW:
        return BELOW
    if values.count(ABOVE) >= above_min and below == 0:
        return ABOVE
    return MEETS


ORG_PREDIKATS = ("Istimewa", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")


@dataclass(frozen=True)
class Rule:
    """A share of employees whose predikat is one of ``predikats``: at most or at least ``share``.

    ``share`` = 0 with "paling banyak" means none; "ada" means at least one employee.
    """

    predikats: tuple[str, ...]
    kind: str  # "paling banyak", "paling sedikit" or "ada"
    share: Fraction = Fraction(0)

    def broken(self, counts: Mapping[str, int], total: int) -> str | None:
        """A sentence naming the rule and the numbers when the counts break it, else None."""
        count = sum(counts.get(p, 0) for p in self.predikats)
        who = " atau ".join(self.predikats)
        now = f"sekarang {count} dari {total} pegawai ({_percent(Fraction(count, total))})"
        if self.kind == "ada":
            return (
                None if count >= 1 else f"harus ada pegawai berpredikat {who}; sekarang tidak ada dari {total} pegawai"
            )
        if self.kind == "paling banyak":
            if Fraction(count, total) <= self.share:
                return None
            if self.share == 0:
                return f"tidak boleh ada pegawai berpredikat {who}; {now}"
            return f"paling banyak {_percent(self.share)} pegawai boleh berpredikat {who}; {now}"
        if Fraction(count, total) >= self.share:
            return None
        return f"paling sedikit {_percent(self.share)} pegawai harus berpredikat {who}; {now}"


_PCT = Fraction(1, 100)

# SE MenPANRB 3/2023, as DOMAIN.md states it: organisation predikat -> the rules on its employees.
DISTRIBUTION: dict[str, tuple[Rule, ...]] = {
    "Istimewa": (Rule((SANGAT_BAIK,), "paling banyak", 70 * _PCT),),
    "Baik": (
        Rule((BAIK,), "paling banyak", 70 * _PCT),
        Rule((BUTUH_PERBAIKAN, KURANG), "ada"),
    ),
    "Butuh Perbaikan": (
        Rule((BUTUH_PERBAIKAN,), "paling sedikit", 60 * _PCT),
        Rule((SANGAT_BAIK,), "paling banyak", 10 * _PCT),
    ),
    "Kurang": (
        Rule((KURANG,), "paling sedikit", 60 * _PCT),
        Rule((BUTUH_PERBAIKAN,), "paling sedikit", 10 * _PCT),
        Rule((SANGAT_BAIK,), "paling banyak", 10 * _PCT),
    ),
    "Sangat Kurang": (
        Rule((SANGAT_KURANG,), "paling sedikit", 60 * _PCT),
        Rule((KURANG, BUTUH_PERBAIKAN), "paling sedikit", 10 * _PCT),
        Rule((SANGAT_BAIK,), "paling banyak", Fraction(0)),
    ),
}


def check_distribution(org_predikat: str, counts: Mapping[str, int]) -> list[str]:
    """The distribution rules of SE MenPANRB 3/2023 that the counts break; [] when they comply.

    ``counts`` maps a predikat of ``PREDIKATS`` to its number of employees (a missing one is 0).
    Shares are of all employees with a predikat and compared exactly as fractions: 7 of 10
    Baik is 70% and allowed. No employees gives [].

    The rules per organisation predikat (``DISTRIBUTION``):

    - Istimewa: at most 70% Sangat Baik.
    - Baik: at most 70% Baik, and at least one employee Butuh Perbaikan or Kurang/Misconduct.
      Read literally: Sangat Kurang does not satisfy that rule.
    - Butuh Perbaikan: at least 60% Butuh Perbaikan, at most 10% Sangat Baik.
    - Kurang: at least 60% Kurang/Misconduct, at least 10% Butuh Perbaikan, at most 10% Sangat Baik.
    - Sangat Kurang: at least 60% Sangat Kurang, at least 10% Kurang/Misconduct and Butuh
      Perbaikan together, no Sangat Baik.
    """
    if org_predikat not in DISTRIBUTION:
        raise ValueError(
            f"predikat organisasi tidak dikenal: {org_predikat!r}; pilih salah satu: {', '.join(ORG_PREDIKATS)}"
        )
    clean: dict[str, int] = {}
    for key, value in counts.items():
        if key not in PREDIKATS:
            raise ValueError(f"predikat pegawai tidak dikenal: {key!r}; pilih salah satu: {', '.join(PREDIKATS)}")
        try:
            if isinstance(value, bool):
                raise TypeError
            number = operator.index(value)
        except TypeError:
            raise ValueError(f"jumlah pegawai {key} harus bilangan bulat, bukan {value!r}") from None
        if number < 0:
            raise ValueError(f"jumlah pegawai {key} tidak boleh negatif ({number})")
        clean[key] = number
    total = sum(clean.values())
    if total == 0:
        return []
    problems = []
    for rule in DISTRIBUTION[org_predikat]:
        sentence = rule.broken(clean, total)
        if sentence is not None:
            problems.append(f"Organisasi berpredikat {org_predikat}: {sentence}.")
    return problems


def _percent(share: Fraction) -> str:
    """A share as a percentage with at most one decimal and a decimal comma: 80%, 66,7%."""
    tenths = math.floor(share * 1000 + Fraction(1, 2))
    whole, tenth = divmod(tenths, 10)
    return f"{whole}%" if tenth == 0 else f"{whole},{tenth}%"

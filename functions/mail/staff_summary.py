"""The staff member's weekly summary: their score, its parts, what was counted and what to improve.

One summary, two places: the weekly email to each staff member (``compose``) and their home page (Beranda). Built
from the rows the scoring run wrote for the person (Skor of the week and of its month, Peringatan, SaranPelatihan);
``read`` fetches just the other rows of one person for the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from functions.periods import Period
from functions.store import Row, Store

COMPONENTS = (
    ("hasil_kerja", "Hasil kerja"),
    ("responsivitas", "Responsivitas pengaduan"),
    ("kepuasan", "Kepuasan masyarakat"),
    ("kedisiplinan", "Kedisiplinan lapor"),
)
TIPS = {
    "hasil_kerja": "catat setiap keluaran pada indikator SKP yang tepat dan kejar target yang masih tertinggal",
    "responsivitas": "tindak lanjuti pengaduan yang ditugaskan kepada Anda sebelum batas waktunya",
    "kepuasan": "perhatikan kejelasan persyaratan, kecepatan dan keramahan layanan kepada warga",
    "kedisiplinan": "kirim laporan harian setiap hari kerja, sebaiknya sebelum pulang",
}
TINGKAT = {"Penting": 0, "Perhatian": 1}


def by_urgency(warnings: Iterable[Row]) -> list[Row]:
    return sorted(warnings, key=lambda w: (TINGKAT.get(w["tingkat"], 9), w["jenis"], w.get("nama") or ""))


def summary(score: Row | None, monthly: Row | None, warnings: Iterable[Row], suggestions: list[Row]) -> dict[str, Any]:
    """The summary's parts: the week's Skor row, its breakdown, the month's predikat, the weakest component with a
    tip, the warnings most urgent first and the training suggestions."""
    scored = sorted((score[key], key, label) for key, label in COMPONENTS if score and score.get(key) is not None)
    weakest = scored[0] if scored and scored[0][0] < 100 else None
    return {
        "skor": score,
        "rincian": [p.strip() for p in ((score or {}).get("rincian_hasil_kerja") or "").split(";") if p.strip()],
        "predikat": (monthly or {}).get("predikat"),
        "terlemah": {"nilai": weakest[0], "nama": weakest[2], "saran": TIPS[weakest[1]]} if weakest else None,
        "peringatan": by_urgency(warnings),
        "saran": suggestions,
    }


def read(store: Store, score: Row, month: Period) -> dict[str, Any]:
    """The summary of one person's week from its Skor row, reading only that person's rows of the week and the
    month."""
    mine = {"periode": score["periode"], "nip": score["nip"]}
    monthly = store.records("Skor", where={"periode": month.label, "nip": score["nip"]})
    suggestions = sorted(store.records("SaranPelatihan", where=mine), key=lambda r: r["urutan"])
    return summary(score, monthly[0] if monthly else None, store.records("Peringatan", where=mine), suggestions)

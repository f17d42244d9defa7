"""Operator-tunable values kept in the Konfigurasi sheet, with their defaults.

Settings (environment) say how the system runs; Konfigurasi says how the programme is
run and may be changed by the operator in the sheet at any time. A key missing from the
sheet takes its default from ``DEFAULTS``, which is also what the demo and ``init`` seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functions.store import Store


@dataclass(frozen=True)
class Option:
    default: str
    description: str
    kind: type = int
    min: float | None = None
    max: float | None = None


DEFAULTS: dict[str, Option] = {
    "laporan_batas_hari": Option(
        "7", "Laporan harian boleh diisi untuk kegiatan paling lama sekian hari yang lalu.", int, 0, 366
    ),
    "laporan_maks_kegiatan": Option("10", "Jumlah kegiatan terbanyak dalam satu kiriman laporan.", int, 1, 50),
    # SP4N-LAPOR! (Perpres 76/2013, PermenPANRB 5/2025); per category: tenggat_<tahap>_<kategori>.
    "tenggat_verifikasi": Option(
        "3",
        "Pengaduan diverifikasi dan didisposisikan ke unit paling lambat sekian hari kerja setelah diterima. "
        "Per kategori: tenggat_verifikasi_<kategori> (pelayanan, infrastruktur, kesehatan, kependudukan, "
        "kepegawaian, lainnya).",
        int,
        1,
        366,
    ),
    "tenggat_tindak_lanjut": Option(
        "5",
        "Unit menindaklanjuti pengaduan paling lambat sekian hari kerja setelah didisposisikan. "
        "Per kategori: tenggat_tindak_lanjut_<kategori>.",
        int,
        1,
        366,
    ),
    "ikm_bobot": Option(
        "",
        "Bobot sembilan unsur SKM u1..u9, dipisah titik koma (mis. 0,2; 0,1; ...), berjumlah 1. "
        "Kosong: 1/9 setiap unsur (PermenPANRB 14/2017).",
        str,
    ),
    "aduan_tutup_otomatis": Option(
        "10",
        "Pengaduan yang sudah ditindaklanjuti dianggap selesai bila pelapor tidak menanggapi dalam sekian hari kerja.",
        int,
        1,
        366,
    ),
}


def _parse(key: str, raw: str) -> Any:
    option = DEFAULTS[key]
    if option.kind is str:
        return str(raw).strip()
    try:
        value = option.kind(str(raw).strip().replace(",", "."))
    except ValueError:
        return option.kind(option.default)
    if (option.min is not None and value < option.min) or (option.max is not None and value > option.max):
        return option.kind(option.default)
    return value


def get(store: Store, key: str) -> Any:
    """One value; a missing or unreadable cell falls back to the default."""
    rows = store.records("Konfigurasi", where={"kunci": key})
    raw = rows[0]["nilai"] if rows else DEFAULTS[key].default
    return _parse(key, raw)


def default_rows() -> list[dict[str, str]]:
    return [{"kunci": k, "nilai": o.default, "keterangan": o.description} for k, o in DEFAULTS.items()]

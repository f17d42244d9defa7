"""The demo city's follow-up plans (RencanaTindakLanjut) and its first transparency figures.

After the surveys are seeded, each unit with enough respondents this quarter gets a plan for its weakest unsur, as a
unit head would write it after reading the results (PermenPANRB 14/2017); the public figures are then published,
so ``/transparansi`` shows the demo before the first weekly run. Deterministic: plans follow from the seeded surveys.
"""

from __future__ import annotations

from datetime import datetime

from functions import periods
from functions.citizens import transparency
from functions.rules.workdays import Calendar
from functions.store import Row, Store

PLANS = {
    "u1": "Daftar persyaratan dipasang di loket dan di laman unit, dengan contoh berkas yang benar.",
    "u2": "Alur pelayanan disederhanakan menjadi satu loket pendaftaran dan dipasang bagan alurnya di ruang tunggu.",
    "u3": "Satu petugas tambahan membuka loket pada jam sibuk (08.00-11.00); waktu tunggu dicatat setiap minggu.",
    "u4": "Tarif resmi dan dasar hukumnya dipasang di loket; layanan gratis ditandai jelas.",
    "u5": "Hasil layanan diperiksa petugas kedua sebelum diserahkan agar sesuai standar pelayanan.",
    "u6": "Petugas loket mengikuti bimbingan teknis aplikasi layanan pada bulan ini.",
    "u7": "Petugas loket mengikuti pelatihan pelayanan prima; atasan memantau keramahan setiap minggu.",
    "u8": "Kotak saran dan nomor pengaduan dipasang di loket; setiap pengaduan dijawab paling lambat 5 hari kerja.",
    "u9": "Kursi ruang tunggu ditambah dan kipas angin diperbaiki; kebersihan toilet diperiksa setiap hari.",
}


def plans(store: Store, now: datetime) -> list[Row]:
    """A plan for the weakest unsur of every unit whose IKM of this quarter may be shown."""
    quarter = periods.quarter(now.date())
    names = transparency.Names.of(store)
    rows = []
    for figure in transparency.ikm_rows(store, quarter, names, {}, now):
        if figure["tingkat"] != transparency.UNIT or figure.get("unsur_terlemah") is None:
            continue
        key = next(k for k, name in transparency.UNSUR_NAMES.items() if name == figure["unsur_terlemah"])
        rows.append(
            {
                "id": f"{figure['unit']}-{quarter.label}-{key}",
                "unit": figure["unit"],
                "layanan": None,
                "kuartal": quarter.label,
                "unsur": key,
                "rencana": PLANS[key],
                "status": "Berjalan",
            }
        )
    return rows


def publish(store: Store, now: datetime) -> None:
    """Write the plans, then the transparency figures of the last four quarters."""
    store.upsert("RencanaTindakLanjut", plans(store, now))
    transparency.publish(store, Calendar.from_store(store), now)

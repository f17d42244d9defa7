"""The demo city's programme data: leave, last month's behaviour ratings, training done, the catalogue.

Built from a generator of its own (so it never shifts the people, reports or surveys), for a
newcomer's ``make weekly`` to show predikat, warnings and training suggestions.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from functions import periods
from functions.rules import predikat
from functions.scoring import training_catalogue
from functions.store import Row

WIB = ZoneInfo("Asia/Jakarta")
SEED = 45
NOTES = {
    predikat.BELOW: "Beberapa kali terlambat menanggapi warga dan belum memperbaiki setelah diingatkan; "
    "dibina lewat coaching bulanan.",
    predikat.ABOVE: "Sigap membantu rekan dan aktif mengusulkan perbaikan layanan.",
}


def rows(people: Sequence[Row], today: date) -> dict[str, list[Row]]:
    """KatalogPelatihan, Cuti, Pelatihan (master) and PenilaianPerilaku (intake) rows."""
    rng = random.Random(SEED)
    staff = [p for p in people if p.get("nip_atasan")]
    return {
        "KatalogPelatihan": training_catalogue.rows(),
        "Cuti": _leave(rng, staff, today),
        "Pelatihan": _training(rng, staff, today),
        "PenilaianPerilaku": _behaviour(rng, staff, today),
    }


def _leave(rng: random.Random, staff: Sequence[Row], today: date) -> list[Row]:
    monday = today - timedelta(days=today.weekday() + 7)  # last week
    chosen = rng.sample(list(staff), k=min(4, len(staff)))
    out = []
    for n, person in enumerate(chosen):
        start = monday + timedelta(days=rng.randint(0, 2))
        out.append(
            {
                "id": f"{person['nip']}-{start.isoformat()}",
                "nip": person["nip"],
                "mulai": start,
                "selesai": start + timedelta(days=rng.randint(0, 2)),
                "jenis": ("Cuti Tahunan", "Cuti Sakit", "Dinas Luar", "Cuti Alasan Penting")[n % 4],
            }
        )
    return out


def _training(rng: random.Random, staff: Sequence[Row], today: date) -> list[Row]:
    catalogue = training_catalogue.rows()
    out = []
    for person in staff:
        for k in range(rng.choice((0, 0, 1, 1, 2))):
            course = rng.choice(catalogue)
            out.append(
                {
                    "id": f"{person['nip']}-{today.year}-{k + 1}",
                    "nip": person["nip"],
                    "id_katalog": course["id"],
                    "nama": course["nama"],
                    "tanggal_selesai": date(today.year, rng.randint(1, max(1, today.month - 1)), 15),
                    "jp": course["jp"],
                }
            )
    return out


def _behaviour(rng: random.Random, staff: Sequence[Row], today: date) -> list[Row]:
    """Every supervisor rated their team for last month, and for this month by yesterday."""
    yesterday = today - timedelta(days=1)
    this_month = periods.month(yesterday)
    last_month = periods.month(this_month.start - timedelta(days=1))
    out = []
    for month, moment in ((last_month, last_month.end), (this_month, yesterday)):
        out.extend(_ratings(rng, staff, month.label, datetime.combine(moment, time(15, 0), tzinfo=WIB)))
    return out


def _ratings(rng: random.Random, staff: Sequence[Row], label: str, at: datetime) -> list[Row]:
    out = []
    for person in staff:
        roll = rng.random()
        level = predikat.BELOW if roll < 0.1 else predikat.ABOVE if roll > 0.75 else predikat.MEETS
        ratings = {}
        for value in predikat.BERAKHLAK:
            pick = rng.random()
            ratings[value.key] = level if pick < 0.7 else predikat.MEETS
        overall = predikat.rating_perilaku(ratings)
        submission = f"demoperilaku{label.replace('-', '')}{person['nip_atasan'][-6:]}"
        out.append(
            {
                "id": f"{submission}-{person['nip']}",
                "id_kiriman": submission,
                "periode": label,
                "nip": person["nip"],
                "nama": person["nama"],
                "unit": person["unit"],
                "nip_penilai": person["nip_atasan"],
                **ratings,
                "rating_perilaku": overall,
                "catatan": NOTES.get(level) if level != predikat.MEETS or predikat.BELOW in ratings.values() else None,
                "diterima_pada": at,
            }
        )
    return out

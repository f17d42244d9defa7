"""Going live on the demo city with quarterly RHK targets (e-Kinerja BKN's plan): the first Monday of a city that
starts on Monday 28 September 2026, three days before the end of a quarter.

The demo seeded on that day holds reports up to Friday 25 September only; the programme starts on the 28th.
Kelurahan Pekunden's SKP came from e-Kinerja, with a target per quarter (``functions.demo.seed.QUARTERLY_UNITS``);
Kelurahan Miroto's is yearly. Ika Astuti (Pekunden) and Ayu Safitri (Miroto) hold the same job and the same four
indicators (bobot 45, 30, 15 and 10), and report the same in week 2026-W40 (Monday 28 September - Sunday 4 October):
7 surat and 6 data on each of the five working days, one laporan on Friday 2 October, no kegiatan.

Working days of 2026 (rules/workdays): 240 in the year; 64 in quarter III (July-September, without 17 and 25
August) and 64 in quarter IV (October-December, without 24 and 25 December). The week has 3 working days in quarter
III (28, 29, 30 September) and 2 in quarter IV (1, 2 October).

By hand, the targets of the week (components.prorated_targets):

| indicator (bobot) | Ika: TW III, TW IV -> (III x 3 + IV x 2) / 64 | Ayu: yearly -> x 5 / 240 | realised |
|-------------------|-----------------------------------------------|--------------------------|----------|
| surat (45)        | 438, 525 -> 2364 / 64 = 36.9375               | 1750 -> 36.4583          | 35       |
| data (30)         | 362, 435 -> 1956 / 64 = 30.5625               | 1450 -> 30.2083          | 30       |
| laporan (15)      | 15, 18 -> 81 / 64 = 1.265625                  | 60 -> 1.25               | 1        |
| kegiatan (10)     | 10, 12 -> 54 / 64 = 0.84375                   | 40 -> 0.8333             | 0        |

capaian per indicator = 100 x realised / target (at most 120); capaian_persen = the bobot-weighted mean:
- Ika: (45 x 94.7547 + 30 x 98.1595 + 15 x 79.0123 + 10 x 0) / 100 = 83.9393
- Ayu: (45 x 96.0000 + 30 x 99.3103 + 15 x 80.0000 + 10 x 0) / 100 = 84.9931
October (and quarter IV to date), Ika only: 1 and 2 October, targets TW IV x 2 / 64 = 16.40625, 13.59375, 0.5625 and
0.375 against 14, 12, 1 and 0: (45 x 85.3333 + 30 x 88.2759 + 15 x 120 (capped from 177.8) + 0) / 100 = 82.8828.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from functions.demo.seed import seed_demo
from functions.rules.workdays import WIB, Calendar
from functions.scoring import job
from functions.store.sqlite import SQLiteStore

START = date(2026, 9, 28)
FIRST_MONDAY = datetime(2026, 10, 5, 7, 0, tzinfo=WIB)
IKA, AYU = "199405112019022286", "198904122013052015"  # Kelurahan Pekunden (quarterly), Kelurahan Miroto (yearly)
WEEK = [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 2)]
# indicator number in the SKP: quantity reported on each day of WEEK
DAILY = {1: [7, 7, 7, 7, 7], 2: [6, 6, 6, 6, 6], 3: [0, 0, 0, 0, 1], 4: [0, 0, 0, 0, 0]}
BOBOT = {1: 45, 2: 30, 3: 15, 4: 10}
CAP = 120.0


@pytest.fixture
def city(store: SQLiteStore) -> SQLiteStore:
    seed_demo(store, START)
    store.upsert("Konfigurasi", [{"kunci": "tanggal_mulai_program", "nilai": START.isoformat()}])
    for nip in (IKA, AYU):
        for index, day in enumerate(WEEK):
            store.append("LaporanHarian", activities(store, nip, day, index))
    return store


def activities(store: SQLiteStore, nip: str, day: date, index: int) -> list[dict[str, Any]]:
    person = store.records("Pegawai", where={"nip": nip})[0]
    sid = f"tw{nip[-4:]}{day:%m%d}"
    rows = []
    for n, quantities in DAILY.items():
        if not quantities[index]:
            continue
        target = store.records("Target", where={"id": f"{nip}-2026-{n}"})[0]
        rows.append(
            {
                "id": f"{sid}-{len(rows) + 1}",
                "id_kiriman": sid,
                "nip": nip,
                "nama": person["nama"],
                "unit": person["unit"],
                "tanggal": day,
                "kegiatan": f"Kegiatan {target['indikator'].lower()}",
                "id_target": target["id"],
                "indikator": target["indikator"],
                "kuantitas": quantities[index],
                "satuan": target["satuan"],
                "durasi_menit": 120,
                "diterima_pada": datetime.combine(day, time(15, 0), WIB),
                "verifikasi": "Disetujui",
            }
        )
    return rows


def weighted(targets: dict[int, float], days: slice = slice(None)) -> float:
    """The bobot-weighted capaian of the hand table: each indicator 100 x realised (on WEEK[days]) / target, capped."""
    realised = {n: sum(q[days]) for n, q in DAILY.items()}
    return sum(BOBOT[n] * min(100 * realised[n] / t, CAP) for n, t in targets.items()) / sum(BOBOT.values())


def test_the_days_and_targets_behind_the_hand_table(city: SQLiteStore) -> None:
    calendar = Calendar()
    assert len(calendar.workdays_between(date(2026, 1, 1), date(2026, 12, 31))) == 240
    assert len(calendar.workdays_between(date(2026, 7, 1), date(2026, 9, 30))) == 64
    assert len(calendar.workdays_between(date(2026, 10, 1), date(2026, 12, 31))) == 64
    assert calendar.workdays_between(date(2026, 9, 28), date(2026, 10, 4)) == WEEK
    ika = {n: city.records("Target", where={"id": f"{IKA}-2026-{n}"})[0] for n in BOBOT}
    assert [(ika[n]["target_tw3"], ika[n]["target_tw4"], ika[n]["bobot"]) for n in BOBOT] == [
        (438, 525, 45), (362, 435, 30), (15, 18, 15), (10, 12, 10)
    ]  # fmt: skip
    ayu = {n: city.records("Target", where={"id": f"{AYU}-2026-{n}"})[0] for n in BOBOT}
    assert [(ayu[n]["target"], ayu[n]["target_tw3"], ayu[n]["bobot"]) for n in BOBOT] == [
        (1750, None, 45), (1450, None, 30), (60, None, 15), (40, None, 10)
    ]  # fmt: skip
    assert ika[1]["rhk_atasan"] and ayu[1]["rhk_atasan"] is None


def test_the_first_week_prorates_quarterly_targets_by_quarter_and_yearly_ones_by_year(city: SQLiteStore) -> None:
    job.run(city, FIRST_MONDAY)
    expected = {
        IKA: weighted({1: 2364 / 64, 2: 1956 / 64, 3: 81 / 64, 4: 54 / 64}),
        AYU: weighted({1: 1750 * 5 / 240, 2: 1450 * 5 / 240, 3: 60 * 5 / 240, 4: 40 * 5 / 240}),
    }
    assert expected == {IKA: pytest.approx(83.9393, abs=1e-4), AYU: pytest.approx(84.9931, abs=1e-4)}
    for nip, capaian in expected.items():
        week = city.records("Skor", where={"id": f"2026-W40:{nip}"})[0]
        assert (week["hari_kerja"], week["hari_lapor"], week["kedisiplinan"]) == (5, 5, 100.0)
        assert week["capaian_persen"] == pytest.approx(capaian, abs=1e-4)
        assert week["hasil_kerja"] == pytest.approx(min(capaian, 100.0), abs=1e-4)
        assert week["jumlah_indikator"] == 4


def test_a_period_inside_one_quarter_uses_that_quarters_target_over_its_working_days(city: SQLiteStore) -> None:
    job.run(city, FIRST_MONDAY)
    october = weighted({1: 525 * 2 / 64, 2: 435 * 2 / 64, 3: 18 * 2 / 64, 4: 12 * 2 / 64}, slice(3, 5))
    assert october == pytest.approx(82.8828, abs=1e-4)
    for label in ("2026-10", "2026-Q4"):
        row = city.records("Skor", where={"id": f"{label}:{IKA}"})[0]
        assert row["hari_kerja"] == 2
        assert row["capaian_persen"] == pytest.approx(october, abs=1e-4)

"""The city's people: units, employees in teams, SKP targets, leave, monthly ratings, training done.

About 300 units of Kota Semarang's shape for 15,000 employees (fewer for a smaller city): the
sekretariat with bagian, dinas and badan with bidang, an inspektorat, 16 kecamatan, 177
kelurahan, 37 puskesmas. Each unit has a head, supervisors of teams of about eight, and staff on
the demo's job profiles (``functions.demo.data.PROFILES``: three or four SKP indicators, bobot
summing to 100). Each employee has habits drawn once: how diligently they report, how much they
get done, which obstacles they keep meeting, how long they take to verify their team's reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.city_frames import frame, moments
from functions import periods, schema
from functions.demo.data import AREAS, FIRST_NAMES, GENERAL_KENDALA, LAST_NAMES, PROFILES
from functions.rules import predikat
from functions.rules.workdays import WIB, Calendar
from functions.scoring import training_catalogue

EMPLOYEES = 15_000
TEAM = 8  # a supervisor and seven staff
# Unit kinds: (jenis, code prefix, count, relative size, area, profiles of the staff).
KINDS: tuple[tuple[str, str, int, float, str, tuple[str, ...]], ...] = (
    ("Sekretariat", "SET", 2, 15.0, "umum", ("administrasi", "analis_kebijakan", "pengolah_data")),
    ("Dinas", "DIN", 20, 30.0, "umum", ("administrasi", "analis_kebijakan", "pranata_komputer", "pengolah_data",
                                         "koordinator_pelayanan")),
    ("Badan", "BDN", 5, 25.0, "umum", ("administrasi", "analis_kebijakan", "pranata_komputer", "pengolah_data")),
    ("Dinas", "DUK", 1, 40.0, "dukcapil", ("verifikator_dukcapil", "verifikator_dukcapil", "operator_layanan",
                                          "pranata_komputer")),
    ("Badan", "BKP", 1, 20.0, "kepegawaian", ("analis_sdm", "administrasi", "pranata_komputer")),
    ("Inspektorat", "INS", 1, 10.0, "umum", ("analis_kebijakan", "administrasi")),
    ("Bagian", "BAG", 12, 3.0, "umum", ("administrasi", "analis_kebijakan")),
    ("Bidang", "BID", 28, 3.5, "umum", ("administrasi", "analis_kebijakan", "pengolah_data")),
    ("Kecamatan", "KEC", 16, 6.0, "wilayah", ("penata_layanan", "operator_layanan", "administrasi",
                                              "pengolah_data")),
    ("Kelurahan", "KEL", 177, 1.9, "wilayah", ("penata_layanan", "operator_layanan", "administrasi")),
    ("Puskesmas", "PKM", 37, 7.0, "kesehatan", ("dokter", "perawat", "perawat", "bidan", "asisten_apoteker",
                                                "pranata_lab", "administrasi", "administrator_kesehatan")),
)  # fmt: skip
HEAD_PROFILE, LEAD_PROFILE = "pimpinan", "penyelia"
PROFILE_KEYS = tuple(PROFILES)
AREA_KEYS = ("umum", "dukcapil", "kepegawaian", "wilayah", "kesehatan")
APPLICATION = {"umum": "aplikasi e-Kinerja", **{a: AREAS[a][0] for a in AREAS}}


@dataclass(frozen=True)
class Units:
    kode: np.ndarray  # object: str
    jenis: np.ndarray
    induk: np.ndarray  # object: str or None
    area: np.ndarray  # int: index of AREA_KEYS
    head: np.ndarray  # int: index of the head in Staff


@dataclass(frozen=True)
class Staff:
    """One entry per employee, in NIP order of creation; the columns of Pegawai plus their habits."""

    nip: np.ndarray  # object: str
    nama: np.ndarray
    jabatan: np.ndarray
    unit: np.ndarray  # int: index in Units
    boss: np.ndarray  # int: index of nip_atasan, -1 for none
    profile: np.ndarray  # int: index of PROFILE_KEYS
    aktif: np.ndarray  # bool
    mulai: np.ndarray  # object: date or None
    diligence: np.ndarray  # chance of reporting on a day due
    output: np.ndarray  # quantity per activity relative to the typical
    obstacle_rate: np.ndarray  # chance a day's report names an obstacle
    obstacles: np.ndarray  # object (n, 2): the two obstacles they keep meeting
    says_none: np.ndarray  # bool: writes "Tidak ada" on a day without obstacle
    review_hours: np.ndarray  # as a supervisor: mean hours before verifying a report

    def __len__(self) -> int:
        return len(self.nip)


def units(rng: np.random.Generator, employees: int) -> Units:
    """About 300 units for 15,000 employees (fewer, at least one of each kind, for a smaller city)."""
    scale = min(1.0, employees / EMPLOYEES)
    counts = {prefix: max(1, round(count * scale)) for _, prefix, count, *_ in KINDS}
    parents = {"Bagian": "SET", "Bidang": "DIN", "Kelurahan": "KEC", "Puskesmas": "DIN"}
    kode, jenis, induk, area, size = [], [], [], [], []
    for kind, prefix, _, weight, area_key, _ in KINDS:
        for n in range(1, counts[prefix] + 1):
            kode.append(f"{prefix}-{n:03d}" if prefix == "KEL" else f"{prefix}-{n:02d}")
            jenis.append(kind)
            parent = parents.get(kind)
            induk.append(f"{parent}-{(n - 1) % counts[parent] + 1:02d}" if parent and kind != "Puskesmas" else
                         "DIN-01" if parent else None)  # fmt: skip
            area.append(AREA_KEYS.index(area_key))
            size.append(weight * rng.uniform(0.7, 1.3))
    share = np.array(size) / sum(size)
    sizes = np.maximum(6, np.floor(share * employees)).astype(int)
    sizes[np.argmax(sizes)] += employees - sizes.sum()
    return Units(
        kode=np.array(kode, dtype=object),
        jenis=np.array(jenis, dtype=object),
        induk=np.array(induk, dtype=object),
        area=np.array(area),
        head=np.concatenate([[0], np.cumsum(sizes)[:-1]]),
    )


def staff(rng: np.random.Generator, units: Units, employees: int, year: int) -> Staff:
    """Each unit's people: its head, then supervisors of teams of about eight, then their staff."""
    n = employees
    unit = np.repeat(np.arange(len(units.kode)), np.diff(np.append(units.head, n)))
    boss = np.full(n, -1)
    profile = np.zeros(n, dtype=int)
    kinds = {(k[0], k[1]): k for k in KINDS}
    for u, head in enumerate(units.head):
        end = units.head[u + 1] if u + 1 < len(units.head) else n
        members = np.arange(head + 1, end)
        leads = members[: math.ceil(len(members) / TEAM)] if len(members) > TEAM else np.array([], dtype=int)
        rest = members[len(leads) :]
        profile[head] = PROFILE_KEYS.index("lurah" if units.jenis[u] == "Kelurahan" else HEAD_PROFILE)
        profile[leads] = PROFILE_KEYS.index(LEAD_PROFILE)
        boss[leads] = head
        boss[rest] = leads[np.arange(len(rest)) % len(leads)] if len(leads) else head
        options = kinds[(units.jenis[u], str(units.kode[u]).split("-")[0])][5]
        profile[rest] = [PROFILE_KEYS.index(options[i % len(options)]) for i in range(len(rest))]
    heads = {str(k): int(h) for k, h in zip(units.kode, units.head, strict=True)}
    for u, head in enumerate(units.head):  # a head reports to the head of the parent unit, else the Sekda
        if head != 0:
            boss[head] = heads[units.induk[u]] if units.induk[u] else 0
    gender = rng.integers(1, 3, n)
    first = {g: np.array(FIRST_NAMES[g], dtype=object) for g in (1, 2)}
    last = {g: np.array(LAST_NAMES[g], dtype=object) for g in (1, 2)}
    nama = np.array(
        [f"{rng.choice(first[g])} {rng.choice(last[g])}" for g in gender.tolist()],
        dtype=object,
    )
    born = date(1965, 1, 1).toordinal() + rng.integers(0, 35 * 365, n)
    nip: list[str] = []
    taken: set[str] = set()
    for i, (b, g) in enumerate(zip(born.tolist(), gender.tolist(), strict=True)):
        birth, seq = date.fromordinal(b), i
        while (code := f"{birth:%Y%m%d}{min(birth.year + 25, year - 1)}{i % 12 + 1:02d}{g}{seq % 1000:03d}") in taken:
            seq += 1
        taken.add(code)
        nip.append(code)
    jabatan = np.array([k.replace("_", " ").title() for k in PROFILE_KEYS], dtype=object)[profile]
    starters = rng.random(n) < 0.03
    mulai = np.full(n, None, dtype=object)
    mulai[starters] = [date(year, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 330, starters.sum())]
    mix = rng.random(n)
    diligence = np.where(mix < 0.85, rng.uniform(0.9, 0.995, n), np.where(mix < 0.95, rng.uniform(0.7, 0.9, n),
                                                                           rng.uniform(0.35, 0.7, n)))  # fmt: skip
    kendala = np.array([*GENERAL_KENDALA, *(t for a in AREAS.values() for t in a[1])], dtype=object)
    rate = np.where(rng.random(n) < 0.6, 0.0, rng.uniform(0.05, 0.5, n))
    return Staff(
        nip=np.array(nip, dtype=object),
        nama=nama,
        jabatan=jabatan,
        unit=unit,
        boss=boss,
        profile=profile,
        aktif=rng.random(n) >= 0.005,
        mulai=mulai,
        diligence=diligence,
        output=np.clip(rng.normal(1.0, 0.18, n), 0.3, 1.8),
        obstacle_rate=rate,
        obstacles=kendala[rng.integers(0, len(kendala), (n, 2))],
        says_none=rng.random(n) < 0.25,
        review_hours=np.where(rng.random(n) < 0.15, rng.uniform(100, 200, n), rng.uniform(10, 40, n)),
    )


def pegawai(staff: Staff, units: Units) -> pd.DataFrame:
    boss = np.where(staff.boss >= 0, staff.nip[np.maximum(staff.boss, 0)], None)
    email = [f"pegawai{i:05d}@semarangkota.go.id" for i in range(len(staff))]
    return frame(
        "Pegawai",
        {
            "nip": staff.nip,
            "nama": staff.nama,
            "jabatan": staff.jabatan,
            "unit": units.kode[staff.unit],
            "nip_atasan": boss,
            "email": email,
            "aktif": staff.aktif,
            "versi_tautan": np.ones(len(staff), dtype=np.int64),
            "mulai_tugas": staff.mulai,
            "pengingat": np.ones(len(staff), dtype=bool),
        },
    )


def unit_frame(units: Units, staff: Staff) -> pd.DataFrame:
    org = np.array(["Baik", "Istimewa", "Butuh Perbaikan"], dtype=object)
    return frame(
        "Unit",
        {
            "kode": units.kode,
            "nama": [f"{j} {k}" for j, k in zip(units.jenis, units.kode, strict=True)],
            "jenis": units.jenis,
            "induk": units.induk,
            "nip_kepala": staff.nip[units.head],
            "predikat_organisasi": org[np.arange(len(units.kode)) % 10 // 8],
        },
    )


def targets(rng: np.random.Generator, staff: Staff, years: Sequence[int], calendar: Calendar) -> pd.DataFrame:
    """3-4 SKP indicators per employee and year (their profile's), yearly targets a typical reporter meets.

    The year before is there too: the first ISO week of a year can start in December, and
    ``score_period`` takes a period's SKP year from its first day.
    """
    rows: dict[str, list[Any]] = {k: [] for k in schema.sheet("Target").keys}
    jitter = rng.uniform(0.85, 1.15, (len(staff), 4))
    for year in years:
        workdays = len(calendar.workdays_between(date(year, 1, 1), date(year, 12, 31)))
        for i, (nip, p) in enumerate(zip(staff.nip.tolist(), staff.profile.tolist(), strict=True)):
            for k, ind in enumerate(PROFILES[PROFILE_KEYS[p]]):
                expected = sum(ind.per_activity) / 2 * 3 * ind.bobot / 100 * workdays * 0.93 * jitter[i, k]
                step = 50 if expected >= 1000 else 10 if expected >= 100 else 5
                for key, value in (("id", f"{nip}-{year}-{k + 1}"), ("nip", nip), ("tahun", year),
                                   ("jenis", ind.jenis), ("rencana_hasil_kerja", ind.rencana),
                                   ("indikator", ind.indikator), ("satuan", ind.satuan), ("bobot", float(ind.bobot)),
                                   ("target", float(max(step, round(expected / step) * step)))):  # fmt: skip
                    rows[key].append(value)
    return frame("Target", {k: v for k, v in rows.items() if v})  # columns left empty are filled by ``frame``


def leave(rng: np.random.Generator, staff: Staff, workdays: list[date]) -> tuple[pd.DataFrame, np.ndarray]:
    """Cuti rows (about 1.5 a person a year) and the (employee x working day) mask of leave."""
    kinds = ("Cuti Tahunan", "Cuti Sakit", "Dinas Luar", "Cuti Alasan Penting", "Cuti Melahirkan")
    odds, lengths = (0.62, 0.2, 0.12, 0.05, 0.01), ((1, 6), (1, 4), (1, 4), (1, 3), (60, 61))
    who = np.repeat(np.arange(len(staff)), rng.poisson(1.5, len(staff)))
    kind = rng.choice(len(kinds), size=len(who), p=odds)
    span = np.array([rng.integers(*lengths[k]) for k in kind.tolist()], dtype=int)
    begin = rng.integers(0, len(workdays), len(who))
    stop = np.minimum(begin + span, len(workdays)) - 1
    leave = np.zeros((len(staff), len(workdays)), dtype=bool)
    for w, b, s in zip(who.tolist(), begin.tolist(), stop.tolist(), strict=True):
        leave[w, b : s + 1] = True
    rows = frame(
        "Cuti",
        {
            "id": [f"{staff.nip[w]}-{workdays[b]}-{n}" for n, (w, b) in enumerate(zip(who, begin, strict=True))],
            "nip": staff.nip[who],
            "mulai": [workdays[b] for b in begin.tolist()],
            "selesai": [workdays[s] for s in stop.tolist()],
            "jenis": np.array(kinds, dtype=object)[kind],
            "keterangan": None,
        },
    )
    return rows, leave


# -- ratings and training ----------------------------------------------------------------------


def ratings(
    rng: np.random.Generator, staff: Staff, units: Units, year: int, calendar: Calendar, now: datetime
) -> pd.DataFrame:
    """PenilaianPerilaku: every supervisor rates each active direct report once a month."""
    rated = np.flatnonzero((staff.boss >= 0) & staff.aktif)
    levels = np.array([predikat.ABOVE, predikat.MEETS, predikat.BELOW], dtype=object)
    weak = rng.random(len(staff)) < 0.04
    parts = []
    for month in range(1, 13):
        last_day = calendar.workdays_between(date(year, month, 1), periods.month(date(year, month, 1)).end)[-1]
        hours = rng.uniform(0, 96, len(rated))
        odds = np.where(weak[rated, None], [0.05, 0.55, 0.4], [0.12, 0.85, 0.03])
        drawn = (rng.random((len(rated), 7, 1)) > np.cumsum(odds, axis=1)[:, None, :2]).sum(axis=2)
        at = datetime.combine(last_day, time(13, 0), tzinfo=WIB).timestamp() + hours * 3600
        keep = at <= now.timestamp()  # what was received by the run's moment
        if not keep.any():
            continue
        who, values = rated[keep], drawn[keep]
        label = f"{year}-{month:02d}"
        kiriman = np.array([f"perilaku-{label}-{n}" for n in staff.nip], dtype=object)[staff.boss[who]]
        columns: dict[str, Any] = {
            "id": [f"{k}-{n}" for k, n in zip(kiriman, staff.nip[who], strict=True)],
            "id_kiriman": kiriman,
            "periode": label,
            "nip": staff.nip[who],
            "nama": staff.nama[who],
            "unit": units.kode[staff.unit[who]],
            "nip_penilai": staff.nip[staff.boss[who]],
        }
        for j, key in enumerate(predikat.BERAKHLAK_KEYS):
            columns[key] = levels[values[:, j]]
        overall = {c: predikat.rating_perilaku(dict(zip(predikat.BERAKHLAK_KEYS, levels[list(c)], strict=True)))
                   for c in set(map(tuple, values.tolist()))}  # fmt: skip
        columns["rating_perilaku"] = np.array([overall[tuple(v)] for v in values.tolist()], dtype=object)
        columns["catatan"] = None
        columns["diterima_pada"] = moments(at[keep])
        parts.append(frame("PenilaianPerilaku", columns))
    return pd.concat(parts, ignore_index=True)


def training(rng: np.random.Generator, staff: Staff, year: int, now: datetime) -> pd.DataFrame:
    """Pelatihan: about 0.8 finished courses per employee, from the seed catalogue."""
    catalogue = training_catalogue.rows()
    who = rng.integers(0, len(staff), int(0.8 * len(staff)))
    pick = rng.integers(0, len(catalogue), len(who))
    done = [date(year, 1, 1) + timedelta(days=int(d)) for d in rng.integers(0, 365, len(who))]
    keep = [d <= now.date() for d in done]
    rows = [
        {"id": f"{staff.nip[w]}-{year}-{n}", "nip": staff.nip[w], "id_katalog": catalogue[c]["id"],
         "nama": catalogue[c]["nama"], "tanggal_selesai": d, "jp": catalogue[c]["jp"]}
        for n, (w, c, d, k) in enumerate(zip(who.tolist(), pick.tolist(), done, keep, strict=True)) if k
    ]  # fmt: skip
    return frame("Pelatihan", rows)

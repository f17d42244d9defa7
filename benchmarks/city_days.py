"""The city's day-by-day rows: daily reports (LaporanHarian) and satisfaction surveys (Survei).

Each day's rows come from ``numpy.random.default_rng((seed, sheet, day))``, so any window of
days holds the same rows as the whole year. Per working day each employee who is due (active,
started, not on leave, with a supervisor) reports with their own diligence: one submission of
about three activities on their SKP indicators (picked by bobot), quantities scaled by their
output, an obstacle now and then on the first activity. The supervisor verifies after their own
usual delay; a report not yet looked at by the run's moment is Menunggu.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.city_frames import frame, moments
from benchmarks.city_people import APPLICATION, AREA_KEYS, HEAD_PROFILE, LEAD_PROFILE, PROFILE_KEYS, Staff, Units
from functions.citizens import ikm
from functions.demo import data as demo_data
from functions.demo.data import PROFILES, RETURN_NOTES
from functions.rules.workdays import WIB

REPORTS, SURVEYS = 1, 2  # the second part of a day's seed
MEAN_EXTRA = 2.0  # activities in a submission: 1 + Poisson(2), at most MAX_ACTIVITIES
MAX_ACTIVITIES = 8
PROOF, PROOF_URL = 0.1, "https://drive.example.go.id/bukti/"  # activities with a link to evidence
SURVEYS_A_YEAR = 300_000
NAMED = 0.2  # surveys naming an employee
BLANK = 0.03  # unanswered unsur
FRONT_DESK = 10  # staff of a unit a survey can name
SERVICE_KINDS = {"Kelurahan": 1, "Kecamatan": 3, "Puskesmas": 5}  # services per unit; dinas and the like: 3
SERVICE_WITHOUT = ("Bagian", "Bidang")
QUALITY = {"biasa": 0.45, "baik": 0.35, "sangat_baik": 0.08, "lambat": 0.04, "kurang_sarana": 0.05, "prosedur": 0.03}


def services(rng: np.random.Generator, units: Units, staff: Staff) -> pd.DataFrame:
    """Layanan: about 500 services of the units that serve the public."""
    rows = []
    for kode, jenis in zip(units.kode, units.jenis, strict=True):
        if jenis in SERVICE_WITHOUT:
            continue
        for n in range(1, SERVICE_KINDS.get(jenis, 3) + 1):
            rows.append({"id": f"{kode}-L{n}", "unit": kode, "nama": f"Layanan {n} {kode}",
                         "populasi": int(rng.integers(500, 40_000)), "aktif": True})  # fmt: skip
    return frame("Layanan", rows)


class Days:
    """Everything the daily rows depend on, worked out once; ``reports`` and ``surveys`` take a window."""

    def __init__(
        self,
        seed: int,
        year: int,
        staff: Staff,
        units: Units,
        target: pd.DataFrame,
        leave: np.ndarray,
        workdays: list[date],
        now: datetime,
    ) -> None:
        self.seed, self.year, self.staff, self.units, self.now = seed, year, staff, units, now.timestamp()
        self.leave, self.workdays = leave, workdays
        self.column = {d: i for i, d in enumerate(workdays)}
        self.due = (staff.boss >= 0) & staff.aktif
        self.start = np.array([d.toordinal() if d else 0 for d in staff.mulai])
        self.nama, names = pd.factorize(staff.nama)
        self.categories: dict[str, Any] = {
            "nama": names,
            "unit": units.kode,
            "verifikasi": [_WAITING, _APPROVED, _RETURNED],
            "catatan_verifikasi": list(RETURN_NOTES),
            "diverifikasi_oleh": staff.nip,
        }
        self.boss_hours = np.where(staff.boss >= 0, staff.review_hours[np.maximum(staff.boss, 0)], 24.0)
        self._indicators(target)

    def _indicators(self, target: pd.DataFrame) -> None:
        """Per employee (n x 4): cumulative bobot, global indicator, target id, indikator, satuan."""
        flat = [(p, k, ind) for p in PROFILE_KEYS for k, ind in enumerate(PROFILES[p])]
        index = {(p, k): g for g, (p, k, _) in enumerate(flat)}
        self.low = np.array([ind.per_activity[0] for _, _, ind in flat])
        self.high = np.array([ind.per_activity[1] for _, _, ind in flat])
        self.activities = np.array([len(ind.activities) for _, _, ind in flat])
        texts = np.full((len(AREA_KEYS), len(flat), self.activities.max()), None, dtype=object)
        for a, area in enumerate(AREA_KEYS):
            for g, (_, _, ind) in enumerate(flat):
                texts[a, g, : len(ind.activities)] = [t.format(aplikasi=APPLICATION[area]) for t in ind.activities]
        codes, self.categories["kegiatan"] = pd.factorize(texts.ravel())
        self.texts = codes.reshape(texts.shape)
        n = len(self.staff)
        self.cum = np.full((n, 4), 2.0)
        self.ind = np.zeros((n, 4), dtype=int)
        for p, name in enumerate(PROFILE_KEYS):
            rows = self.staff.profile == p
            weights = np.cumsum([i.bobot for i in PROFILES[name]]) / 100
            self.cum[np.ix_(rows, range(len(weights)))] = weights
            self.ind[np.ix_(rows, range(len(weights)))] = [index[(name, k)] for k in range(len(weights))]
        self.cum[self.cum >= 0.9999] = 2.0  # the last indicator takes whatever is left
        grid = {c: np.full((n, 4), None, dtype=object) for c in ("indikator", "satuan")}
        self.target_id: dict[int, np.ndarray] = {}  # by SKP year
        for year, rows in target.groupby("tahun"):
            who = pd.Index(self.staff.nip).get_indexer(rows["nip"])
            k = rows["id"].str.rsplit("-", n=1).str[1].astype(int).to_numpy() - 1
            self.target_id[int(year)] = np.full((n, 4), None, dtype=object)
            self.target_id[int(year)][who, k] = rows["id"].to_numpy(dtype=object)
            for c, values in grid.items():
                values[who, k] = rows[c].to_numpy(dtype=object)
        self.indikator, self.categories["indikator"] = _codes(grid["indikator"])
        self.satuan, self.categories["satuan"] = _codes(grid["satuan"])

    # -- LaporanHarian ---------------------------------------------------------------------------

    def reports(self, since: date, until: date) -> pd.DataFrame:
        """LaporanHarian of the working days from ``since`` to ``until``, in date order.

        Columns the scoring never reads by value (nama, unit, kegiatan, indikator, satuan,
        verifikasi, catatan_verifikasi, diverifikasi_oleh) are categorical; the rest as the store gives them.
        """
        parts = [self._day(d) for d in self.workdays if since <= d <= until]
        columns: dict[str, Any] = {}
        for key in list(parts[0]) if parts else []:
            values = np.concatenate([p.pop(key) for p in parts])  # each day's piece is freed as it is joined
            if key in self.categories:
                values = pd.Categorical.from_codes(values, categories=self.categories[key])
            elif key in ("diterima_pada", "diverifikasi_pada"):
                values = moments(values)
            columns[key] = values
        return frame("LaporanHarian", columns)

    def _day(self, day: date) -> dict[str, np.ndarray]:
        s = self.staff
        rng = np.random.default_rng([self.seed, REPORTS, day.toordinal()])
        due = self.due & (self.start <= day.toordinal()) & ~self.leave[:, self.column[day]]
        who = np.flatnonzero(due & (rng.random(len(s)) < s.diligence))
        count = np.minimum(1 + rng.poisson(MEAN_EXTRA, len(who)), MAX_ACTIVITIES)
        row = np.repeat(who, count)
        first = np.cumsum(count) - count
        seq = np.arange(len(row)) - np.repeat(first, count) + 1
        k = (rng.random(len(row))[:, None] >= self.cum[row]).sum(axis=1)
        g = self.ind[row, k]
        quantity = np.maximum(1.0, np.round(rng.integers(self.low[g], self.high[g] + 1) * s.output[row]))
        kegiatan = self.texts[self.units.area[s.unit[row]], g, rng.integers(0, self.activities[g])]
        words = rng.integers(0, 2**63, (len(who), 2))
        kiriman = np.array([f"{a:016x}{b:016x}" for a, b in words.tolist()], dtype=object)
        midnight = datetime.combine(day, time(0), tzinfo=WIB).timestamp()
        late = (rng.random(len(who)) < 0.08) * rng.integers(1, 4, len(who)) * 86400.0
        sent = midnight + 14.5 * 3600 + rng.uniform(0, 3 * 3600, len(who)) + late
        looked = sent + rng.exponential(1.0, len(who)) * self.boss_hours[who] * 3600
        verified = np.repeat(looked <= self.now, count)
        returned = verified & (rng.random(len(row)) < 0.03)
        obstacle = rng.random(len(who)) < s.obstacle_rate[who]
        text = s.obstacles[who, (rng.random(len(who)) < 0.3).astype(int)]
        nothing = _NONE[rng.integers(0, len(_NONE), len(who))]
        said = np.where(obstacle, text, np.where(s.says_none[who], nothing, EMPTY))
        kendala = np.full(len(row), None, dtype=object)
        kendala[first] = said
        proof = rng.random(len(row)) < PROOF
        ids = np.repeat(kiriman, count)
        bukti = np.full(len(row), None, dtype=object)
        bukti[proof] = [f"{PROOF_URL}{i[:12]}-{n}.pdf" for i, n in zip(ids[proof], seq[proof], strict=True)]
        notes = rng.integers(0, len(RETURN_NOTES), len(row))
        return {
            "id": np.array([f"{i}-{n}" for i, n in zip(ids.tolist(), seq.tolist(), strict=True)], dtype=object),
            "id_kiriman": ids,
            "nip": s.nip[row],
            "nama": self.nama[row],
            "unit": s.unit[row],
            "tanggal": np.full(len(row), np.datetime64(day, "s")),
            "kegiatan": kegiatan,
            "id_target": self.target_id[day.year][row, k],
            "indikator": self.indikator[row, k],
            "kuantitas": quantity,
            "satuan": self.satuan[row, k],
            "durasi_menit": rng.integers(2, 17, len(row)) * 15,
            "bukti_dukung": bukti,
            "kendala": kendala,
            "diterima_pada": np.repeat(sent, count),
            "verifikasi": np.where(verified, np.where(returned, 2, 1), 0),
            "catatan_verifikasi": np.where(returned, notes, -1),
            "diverifikasi_oleh": np.where(verified, s.boss[row], -1),
            "diverifikasi_pada": np.where(verified, np.repeat(looked, count), np.nan),
        }

    # -- Survei ----------------------------------------------------------------------------------

    def surveys(self, layanan: pd.DataFrame, since: date, until: date) -> pd.DataFrame:
        services = _Services(layanan, self.units, self.staff, self.year, set(self.workdays))
        days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
        parts = [p for p in (self._surveys(d, services) for d in days) if len(p["id"])]
        columns = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        columns["diterima_pada"] = moments(columns["diterima_pada"])
        return frame("Survei", columns)

    def _surveys(self, day: date, services: _Services) -> dict[str, Any]:
        rng = np.random.default_rng([self.seed, SURVEYS, day.toordinal()])
        n = rng.poisson(services.per_day(day))
        svc = rng.choice(len(services.ids), n, p=services.popularity)
        unit = services.unit[svc]
        cum = services.answers[services.quality[svc]]  # (n, 9, 4)
        answers = (rng.random((n, len(ikm.KEYS), 1)) > cum[:, :, :3]).sum(axis=2) + 1.0
        answers[rng.random(answers.shape) < BLANK] = np.nan
        desk = services.desk[unit, (rng.random(n) * np.maximum(services.desk_size[unit], 1)).astype(int)]
        named = (rng.random(n) < NAMED) & (services.desk_size[unit] > 0)
        words = rng.integers(0, 2**63, (n, 2))
        columns: dict[str, Any] = {
            "id": np.array([f"{a:016x}{b % 2**32:08x}" for a, b in words.tolist()], dtype=object),
            "unit": self.units.kode[unit],
            "id_layanan": services.ids[svc],
            "tanggal": np.full(n, np.datetime64(day, "s")),
            **{k: answers[:, j] for j, k in enumerate(ikm.KEYS)},
            "nip_pegawai": np.where(named, desk, EMPTY),
            "saran": np.where(rng.random(n) < 0.08, services.saran[rng.integers(0, len(services.saran), n)], EMPTY),
        }
        for key, (values, odds) in services.profile.items():
            pick = values[rng.choice(len(values), n, p=odds)]
            columns[key] = np.where(rng.random(n) < 0.1, EMPTY, pick)
        midnight = datetime.combine(day, time(8, 0), tzinfo=WIB).timestamp()
        columns["diterima_pada"] = midnight + rng.uniform(0, 7 * 3600, n)
        return columns


class _Services:
    """Layanan as arrays: unit, popularity, answer profile; the front desk of each unit."""

    def __init__(self, layanan: pd.DataFrame, units: Units, staff: Staff, year: int, workdays: set[date]) -> None:
        rng = np.random.default_rng([len(layanan), year])
        self.workdays = workdays
        self.ids = layanan["id"].to_numpy(dtype=object)
        self.unit = pd.Index(units.kode).get_indexer(layanan["unit"])
        weight = rng.lognormal(0, 0.8, len(self.ids))
        self.popularity = weight / weight.sum()
        names = list(QUALITY)
        self.quality = rng.choice(len(names), len(self.ids), p=list(QUALITY.values()))
        self.answers = np.array(
            [[np.cumsum(demo_data.ANSWERS[q].get(k, demo_data.ANSWERS[q]["*"])) for k in ikm.KEYS] for q in names]
        )
        saturdays = sum(1 for d in range(366) if (date(year, 1, 1) + timedelta(days=d)).weekday() == 5)
        self.per_workday = SURVEYS_A_YEAR / (len([d for d in workdays if d.year == year]) + 0.25 * saturdays)
        leaders = [PROFILE_KEYS.index(p) for p in (HEAD_PROFILE, LEAD_PROFILE, "lurah")]
        front = (staff.boss >= 0) & ~np.isin(staff.profile, leaders)
        self.desk = np.full((len(units.kode), FRONT_DESK), None, dtype=object)
        self.desk_size = np.zeros(len(units.kode), dtype=int)
        for u in range(len(units.kode)):
            people = staff.nip[front & (staff.unit == u)][:FRONT_DESK]
            self.desk[u, : len(people)] = people
            self.desk_size[u] = len(people)
        self.saran = np.array([*demo_data.SARAN_UMUM, *(t for v in demo_data.SARAN_KELUHAN.values() for t in v)],
                              dtype=object)  # fmt: skip
        profile = demo_data.RESPONDENTS["umum"]
        self.profile = {
            k: (np.array(list(v), dtype=object), np.array(list(v.values())) / sum(v.values()))
            for k, v in profile.items()
        }

    def per_day(self, day: date) -> float:
        if day in self.workdays:
            return self.per_workday
        return 0.25 * self.per_workday if day.weekday() == 5 else 0.0


def _codes(grid: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    codes, uniques = pd.factorize(grid.ravel())
    return codes.reshape(grid.shape), uniques


EMPTY = np.array(None, dtype=object)  # an empty cell, for np.where
_NONE = np.array(("Tidak ada", "Tidak ada kendala", "Nihil", "Lancar"), dtype=object)  # "no obstacle" as staff write it
_APPROVED, _RETURNED, _WAITING = "Disetujui", "Dikembalikan", "Menunggu"

"""The demo city: a small, deterministic Semarang for a newcomer running ``make run``.

``seed_demo`` fills an empty store with a few OPD of Kota Semarang, about sixty employees in a
head -> supervisor -> staff hierarchy, their SKP targets (per quarter in ``QUARTERLY_UNITS``, as e-Kinerja BKN plans
them; yearly elsewhere), the Konfigurasi defaults, four weeks
of daily reports with the supervisors' verification, two to four public services (Layanan) per
unit and four weeks of citizens' satisfaction surveys (Survei, see ``functions.demo.survey``).
Everything comes from ``random.Random(42)`` (the surveys from ``random.Random(43)``) and the
``today`` passed in, so two fresh stores seeded on the same day hold identical rows. A store
that already has employees is left untouched.

Write order: the intake sheets (LaporanHarian, Survei) are appended first, then the master
sheets in one write with Pegawai last. ``seed_demo`` decides by the Pegawai rows whether a city
is already there, so Pegawai must be the last thing written: a crash midway leaves no Pegawai,
and seeding again on the same day writes the rest (the appends are idempotent).
After the city is written, the follow-up plans and the public transparency figures are published
(``functions.demo.plans``); a crash there leaves them to the next weekly run.

The people (names, NIPs, hierarchy, habits) do not depend on ``today``; only the targets' year,
the reports and the surveys do. The data tables live in ``functions.demo.data``.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from functions.demo import complaints as demo_complaints
from functions.demo import forum as demo_forum
from functions.demo import plans as demo_plans
from functions.demo import programme as demo_programme
from functions.demo import survey as demo_survey
from functions.demo.data import (
    AREAS,
    EMAIL_DOMAIN,
    FIRST_NAMES,
    GENERAL_KENDALA,
    JOBS,
    LAST_NAMES,
    MIDDLE_NAMES,
    PROFILES,
    RETURN_NOTES,
    UNITS,
    DemoUnit,
    Indicator,
)
from functions.rules import config
from functions.rules.workdays import workdays_between
from functions.store import Row, Store

log = logging.getLogger(__name__)

SEED = 42
SURVEY_SEED = 43  # a generator of its own, so the surveys never shift the people or the reports
WIB = ZoneInfo("Asia/Jakarta")
REPORT_DAYS = 28  # reports cover the 28 days before today (today itself is left for the newcomer)
APPEND_CHUNK = 500  # rows per append call (LaporanHarian: whole submissions only)
ACTIVITY_COUNTS, ACTIVITY_WEIGHTS = (1, 2, 3), (3, 5, 2)  # activities in one daily report
MEAN_ACTIVITIES = sum(c * w for c, w in zip(ACTIVITY_COUNTS, ACTIVITY_WEIGHTS, strict=True)) / sum(ACTIVITY_WEIGHTS)
SHOW_UP = {"rajin": 0.95, "jarang": 0.55, "berhenti": 0.95}  # chance of reporting on a workday
STOPPED_DAYS = 7  # the one who stopped has sent nothing for this many days
EXAMPLE_UNITS = ("PKM-PANDANARAN", "DISDUKCAPIL", "KEL-PEKUNDEN")
QUARTERLY_UNITS = ("KEL-PEKUNDEN",)  # units whose SKP came from e-Kinerja BKN, with targets per quarter
QUARTER_SHARES = (0.2, 0.25, 0.25, 0.3)  # of the yearly target, quarter I to IV
BIRTH_YEARS = {"kepala": (1968, 1976), "penyelia": (1974, 1986), "staf": (1985, 1999)}


@dataclass(frozen=True)
class DemoSummary:
    seeded: bool  # False when the store already had Pegawai rows (then nothing is written)
    employees: int
    reports: int
    staff_examples: list[dict]  # 3 Pegawai rows of ordinary staff who have targets
    supervisor_examples: list[dict]  # 2 Pegawai rows of people who supervise others
    surveys: int = 0  # Survei rows


@dataclass
class _Person:
    row: Row  # the Pegawai row
    role: str  # kepala, penyelia or staf
    profile: str  # key of PROFILES
    unit: DemoUnit
    kendala: tuple[str, ...]  # the problems this person keeps running into
    kendala_rate: float
    habit: str = "rajin"  # rajin, jarang or berhenti (see SHOW_UP)

    @property
    def nip(self) -> str:
        return self.row["nip"]


def seed_demo(store: Store, today: date) -> DemoSummary:
    """Fill an empty store with the demo city; a store with employees is left as it is."""
    rng = random.Random(SEED)
    people = _people(rng)
    if store.count("Pegawai"):
        staff, supervisors = _examples(store, people)
        counts = store.count("Pegawai"), store.count("LaporanHarian")
        return DemoSummary(False, *counts, staff, supervisors, store.count("Survei"))
    days = workdays_between(today - timedelta(days=REPORT_DAYS), today - timedelta(days=1))
    years = sorted({today.year} | {day.year for day in days})
    by_nip = {p.nip: p for p in people}
    targets = {(p.nip, year): _targets(p, year, by_nip.get(p.row["nip_atasan"])) for p in people for year in years}
    reports = _reports(rng, people, targets, days, today)
    counter_staff = {u.kode: [p.nip for p in people if p.unit == u and p.role == "staf"] for u in UNITS}
    surveys = demo_survey.responses(random.Random(SURVEY_SEED), counter_staff, days)
    heads = {p.unit.kode: p.nip for p in people if p.role == "kepala"}
    complaint_rows = demo_complaints.seed_rows(counter_staff, heads, days, today)
    programme = demo_programme.rows([p.row for p in people], today)
    # Intake first, master data last and Pegawai last of all (see the module docstring): Pegawai
    # rows appear only once the whole city is written, so a crash midway heals on a re-run.
    for chunk in _chunks(reports):
        store.append("LaporanHarian", chunk)
    for start in range(0, len(surveys), APPEND_CHUNK):
        store.append("Survei", surveys[start : start + APPEND_CHUNK])
    for sheet_name, rows in complaint_rows.items():
        store.append(sheet_name, rows)
    for sheet_name, rows in demo_forum.seed_rows(days, heads).items():
        store.append(sheet_name, rows)
    store.append("PenilaianPerilaku", programme["PenilaianPerilaku"])
    store.upsert_many(
        {
            "Konfigurasi": _konfigurasi(days[0]),
            "KatalogPelatihan": programme["KatalogPelatihan"],
            "Cuti": programme["Cuti"],
            "Pelatihan": programme["Pelatihan"],
            "Unit": _units(people),
            "Layanan": demo_survey.services(),
            "Target": [t for rows in targets.values() for t in rows],
            "Pegawai": _with_operators(people),
        }
    )
    log.info(
        "demo city seeded: %d employees, %d report rows, %d survey responses", len(people), len(reports), len(surveys)
    )
    demo_plans.publish(store, datetime.combine(today, time(6, 0), tzinfo=WIB))
    staff, supervisors = _examples(store, people)
    return DemoSummary(True, len(people), len(reports), staff, supervisors, len(surveys))


def _konfigurasi(first_day: date) -> list[Row]:
    """The defaults, with the programme starting on the demo's first report day."""
    rows: list[Row] = list(config.default_rows())
    for row in rows:
        if row["kunci"] == "tanggal_mulai_program":
            row["nilai"] = first_day.isoformat()
    return rows


# -- people ------------------------------------------------------------------


def _people(rng: random.Random) -> list[_Person]:
    """Every employee, unit by unit: the head, then each supervisor followed by their staff."""
    people: list[_Person] = []
    heads: dict[str, str] = {}
    taken: set[object] = set()  # NIPs and (given, family) name pairs already used
    for unit in UNITS:
        head = _person(rng, unit.head, unit, heads.get(unit.induk or ""), "kepala", taken)
        heads[unit.kode] = head.nip
        people.append(head)
        for team in unit.teams:
            supervisor = _person(rng, team.supervisor, unit, head.nip, "penyelia", taken)
            people.append(supervisor)
            people.extend(_person(rng, jabatan, unit, supervisor.nip, "staf", taken) for jabatan in team.staff)
    staff, _ = _example_people(people)
    teammates = [
        p
        for p in people
        if p.habit == "rajin"
        and p.role == "staf"
        and p not in staff
        and p.row["nip_atasan"] == staff[0].row["nip_atasan"]
    ]
    # One of the first example's teammates stopped reporting a week ago, for early-warning demos.
    rng.choice(teammates).habit = "berhenti"
    return people


def _person(
    rng: random.Random, jabatan: str, unit: DemoUnit, atasan: str | None, role: str, taken: set[object]
) -> _Person:
    job = JOBS[jabatan]
    gender = job.gender or rng.choice((1, 2))
    while True:
        given, family = rng.choice(FIRST_NAMES[gender]), rng.choice(LAST_NAMES[gender])
        if (given, family) not in taken:
            taken.add((given, family))
            break
    middle = rng.choice(MIDDLE_NAMES[gender]) if rng.random() < 0.3 else ""
    name = " ".join(part for part in (job.prefix, given, middle if middle != given else "", family) if part)
    suffix = rng.choice(job.suffixes)
    area_kendala = AREAS[unit.area][1]
    return _Person(
        row={
            "nip": _nip(rng, gender, role, taken),
            "nama": f"{name}, {suffix}" if suffix else name,
            "jabatan": jabatan,
            "unit": unit.kode,
            "nip_atasan": atasan,
            "email": f"{given}.{family}@{EMAIL_DOMAIN}".lower(),
            "aktif": True,
            "versi_tautan": 1,
        },
        role=role,
        profile=job.profile,
        unit=unit,
        kendala=(rng.choice(area_kendala), rng.choice(GENERAL_KENDALA)),
        kendala_rate=rng.choice((0.03, 0.08, 0.2)),
        habit="jarang" if rng.random() < 0.15 else "rajin",
    )


def _nip(rng: random.Random, gender: int, role: str, taken: set[object]) -> str:
    """Birth date (yyyymmdd), TMT CPNS (yyyymm), gender (1 male, 2 female), serial (3 digits)."""
    first, last = BIRTH_YEARS[role]
    born = date(rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28))
    tmt_year = min(born.year + rng.randint(22, 30), 2024)
    prefix = f"{born:%Y%m%d}{tmt_year}{rng.randint(1, 12):02d}{gender}"
    while True:
        nip = f"{prefix}{rng.randint(1, 999):03d}"
        if nip not in taken:
            taken.add(nip)
            return nip


def _example_people(people: list[_Person]) -> tuple[list[_Person], list[str]]:
    """Three diligent staff from different units, and the NIPs of the first two's supervisors."""
    staff = [
        next(p for p in people if p.unit.kode == kode and p.role == "staf" and p.habit == "rajin")
        for kode in EXAMPLE_UNITS
    ]
    return staff, [p.row["nip_atasan"] for p in staff[:2]]


def _examples(store: Store, people: list[_Person]) -> tuple[list[Row], list[Row]]:
    """The example rows as stored; empty lists when the store holds someone else's city."""
    stored = {row["nip"]: row for row in store.records("Pegawai")}
    staff, supervisors = _example_people(people)
    return ([stored[p.nip] for p in staff if p.nip in stored], [stored[nip] for nip in supervisors if nip in stored])


OPERATORS = {"BKPP": "Operator BKPP", "DINKES": "Operator OPD"}  # the first staff member of each unit


def _with_operators(people: list[_Person]) -> list[Row]:
    """Pegawai rows, with a BKPP operator for the city and an OPD operator for Dinas Kesehatan (and its puskesmas)."""
    rows, named = [], set()
    for person in people:
        row = dict(person.row)
        role = OPERATORS.get(person.unit.kode)
        if role and person.role == "staf" and person.unit.kode not in named:
            row["peran"] = role
            named.add(person.unit.kode)
        rows.append(row)
    return rows


def operators_of(store: Store) -> list[Row]:
    """The city's operators, BKPP first: for the links that ``make run`` prints."""
    found = [p for p in store.records("Pegawai") if p.get("peran") and p.get("aktif") is not False]
    return sorted(found, key=lambda p: (p["peran"] != "Operator BKPP", p["nip"]))


def _units(people: list[_Person]) -> list[Row]:
    heads = {p.unit.kode: p.nip for p in people if p.role == "kepala"}
    return [
        {"kode": u.kode, "nama": u.nama, "jenis": u.jenis, "induk": u.induk, "nip_kepala": heads[u.kode]} for u in UNITS
    ]


# -- targets -----------------------------------------------------------------


def _targets(person: _Person, year: int, atasan: _Person | None) -> list[Row]:
    workdays = len(workdays_between(date(year, 1, 1), date(year, 12, 31)))
    rows = [
        {
            "id": f"{person.nip}-{year}-{n}",
            "nip": person.nip,
            "tahun": year,
            "jenis": ind.jenis,
            "rencana_hasil_kerja": ind.rencana,
            "indikator": ind.indikator,
            "target": _annual_target(ind, workdays),
            "satuan": ind.satuan,
            "bobot": ind.bobot,
        }
        for n, ind in enumerate(PROFILES[person.profile], start=1)
    ]
    return [_quarterly(row, atasan) for row in rows] if person.unit.kode in QUARTERLY_UNITS else rows


def _quarterly(row: Row, atasan: _Person | None) -> Row:
    """An indicator planned the way e-Kinerja BKN holds it: a target per quarter (a slow first quarter, a busy
    last one, ``QUARTER_SHARES`` of the yearly target, at least 1) and the supervisor's first RHK it supports."""
    quarters = {f"target_tw{q}": max(1, round(row["target"] * share)) for q, share in enumerate(QUARTER_SHARES, 1)}
    supported = PROFILES[atasan.profile][0].rencana if atasan is not None else None
    return {**row, **quarters, "target": sum(quarters.values()), "rhk_atasan": supported}


def _annual_target(ind: Indicator, workdays: int) -> int:
    """A target a diligent reporter meets: 85% of what a year of typical reports adds up to
    (activities picked by bobot, typical quantities), as targets are agreed in a dialog kinerja."""
    expected = 0.85 * sum(ind.per_activity) / 2 * MEAN_ACTIVITIES * ind.bobot / 100 * workdays
    step = 50 if expected >= 1000 else 10 if expected >= 100 else 5
    return max(step, round(expected / step) * step)


# -- reports -----------------------------------------------------------------


def _reports(
    rng: random.Random, people: list[_Person], targets: dict[tuple[str, int], list[Row]], days: list[date], today: date
) -> list[Row]:
    """Daily reports of everyone who has a supervisor in the demo, day by day in order of arrival."""
    reporters = [p for p in people if p.row["nip_atasan"]]
    rows: list[Row] = []
    for day in days:
        submissions = []
        for person in reporters:
            stopped = person.habit == "berhenti" and day >= today - timedelta(days=STOPPED_DAYS)
            if not stopped and rng.random() < SHOW_UP[person.habit]:
                submissions.append(_submission(rng, person, targets[(person.nip, day.year)], day, today))
        submissions.sort(key=lambda rows_: rows_[0]["diterima_pada"])
        for submission in submissions:
            rows.extend(submission)
    return rows


def _submission(rng: random.Random, person: _Person, targets: list[Row], day: date, today: date) -> list[Row]:
    """One person's report of one day: 1-3 activities sent between 14:30 and 17:00 WIB."""
    indicators = PROFILES[person.profile]
    count = rng.choices(ACTIVITY_COUNTS, weights=ACTIVITY_WEIGHTS)[0]
    picks = rng.choices(range(len(indicators)), weights=[i.bobot for i in indicators], k=count)
    id_kiriman = f"{rng.getrandbits(128):032x}"
    received = datetime.combine(day, time(14, 30), WIB) + timedelta(seconds=rng.randrange(150 * 60))
    verified_at = _verified_at(rng, day, today)
    application = AREAS[person.unit.area][0]
    rows: list[Row] = []
    for index in picks:
        ind, target = indicators[index], targets[index]
        kegiatan = rng.choice(ind.activities).format(aplikasi=application)
        if any(r["kegiatan"] == kegiatan for r in rows):
            continue
        n = len(rows) + 1
        returned = verified_at is not None and rng.random() < 0.08
        rows.append(
            {
                "id": f"{id_kiriman}-{n}",
                "id_kiriman": id_kiriman,
                "nip": person.nip,
                "nama": person.row["nama"],
                "unit": person.row["unit"],
                "tanggal": day,
                "kegiatan": kegiatan,
                "id_target": target["id"],
                "indikator": target["indikator"],
                "kuantitas": rng.randint(*ind.per_activity),
                "satuan": target["satuan"],
                "durasi_menit": rng.randrange(30, 241, 15),
                "bukti_dukung": f"https://drive.example.go.id/bukti/{id_kiriman[:12]}-{n}.pdf"
                if rng.random() < 0.4
                else None,
                "kendala": rng.choice(person.kendala) if rng.random() < person.kendala_rate else None,
                "diterima_pada": received,
                "verifikasi": "Menunggu" if verified_at is None else "Dikembalikan" if returned else "Disetujui",
                "catatan_verifikasi": rng.choice(RETURN_NOTES) if returned else None,
                "diverifikasi_oleh": person.row["nip_atasan"] if verified_at else None,
                "diverifikasi_pada": verified_at,
            }
        )
    return rows


def _verified_at(rng: random.Random, day: date, today: date) -> datetime | None:
    """When the supervisor looked at a report: within three workdays, mostly done for older weeks."""
    chance = 0.95 if day < today - timedelta(days=STOPPED_DAYS) else 0.25
    candidates = workdays_between(day + timedelta(days=1), today - timedelta(days=1))[:3]
    if not candidates or rng.random() >= chance:
        return None
    return datetime.combine(rng.choice(candidates), time(8, 0), WIB) + timedelta(seconds=rng.randrange(4 * 3600))


def _chunks(rows: list[Row]) -> Iterator[list[Row]]:
    """Batches of about APPEND_CHUNK rows that never split a submission."""
    chunk: list[Row] = []
    for i, row in enumerate(rows):
        chunk.append(row)
        last_of_submission = i + 1 == len(rows) or rows[i + 1]["id_kiriman"] != row["id_kiriman"]
        if last_of_submission and len(chunk) >= APPEND_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

"""The demo city's public services (Layanan) and four weeks of satisfaction surveys (Survei).

Each unit of ``functions.demo.data.UNITS`` offers the services of ``SERVICES``; citizens answer
the survey on workdays between 08:00 and 15:00 WIB, about ``per_day`` of them a day per
service. Answers follow the service's ``ANSWERS`` weights (most answers are 3; Perekaman
KTP-el is slow and lands in grade C), about one in ten respondents skips an unsur or two, one
in five names the staff member who served them, and some leave a suggestion: a complaint about
their lowest-rated unsur when they gave a 1 or 2, otherwise a compliment.

Deterministic: the rows depend only on the generator passed in, the staff and the days.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from functions.citizens.ikm import KEYS
from functions.demo.data import ANSWERS, RESPONDENTS, SARAN_KELUHAN, SARAN_UMUM, SERVICES, DemoService
from functions.store import Row

WIB = ZoneInfo("Asia/Jakarta")
OPENS, HOURS = time(8, 0), 7  # responses arrive between 08:00 and 15:00 WIB
SKIP_RATE = 0.10  # respondents who leave an unsur or two unanswered
SKIP_WEIGHTS = {"u8": 6, "u4": 2}  # Penanganan Pengaduan is skipped most (no complaint made), then Biaya
STAFF_RATE = 0.20  # respondents who name the staff member who served them
PROFILE_RATE = 0.85  # chance of filling each profile field
SARAN_RATE = {True: 0.45, False: 0.15}  # by whether the respondent gave a 1 or 2 somewhere


def services() -> list[Row]:
    """The Layanan rows: every service of every demo unit, open for the survey."""
    return [
        {"id": s.id, "unit": unit, "nama": s.nama, "populasi": s.populasi, "aktif": True}
        for unit, offered in SERVICES.items()
        for s in offered
    ]


def responses(rng: random.Random, staff: Mapping[str, Sequence[str]], days: Sequence[date]) -> list[Row]:
    """Survei rows for the given workdays, in order of arrival; ``staff`` maps a unit to its staff NIPs."""
    rows: list[Row] = []
    for day in days:
        today: list[Row] = []
        for unit, offered in SERVICES.items():
            for svc in offered:
                for _ in range(_count(rng, svc.per_day)):
                    today.append(_response(rng, unit, svc, staff.get(unit, ()), day))
        today.sort(key=lambda row: (row["diterima_pada"], row["id"]))
        rows.extend(today)
    return rows


def _count(rng: random.Random, per_day: float) -> int:
    """Responses of one service on one day: binomial around ``per_day``, at most four times it."""
    trials = max(1, round(per_day * 4))
    return sum(rng.random() < per_day / trials for _ in range(trials))


def _response(rng: random.Random, unit: str, svc: DemoService, staff: Sequence[str], day: date) -> Row:
    weights = ANSWERS[svc.answers]
    answers: dict[str, int | None] = {
        key: rng.choices((1, 2, 3, 4), weights=weights.get(key, weights["*"]))[0] for key in KEYS
    }
    if rng.random() < SKIP_RATE:
        skipped = rng.choices(KEYS, weights=[SKIP_WEIGHTS.get(k, 1) for k in KEYS], k=rng.choice((1, 1, 2)))
        answers.update(dict.fromkeys(skipped, None))
    row: Row = {
        "id": f"{rng.getrandbits(96):024x}",
        "unit": unit,
        "id_layanan": svc.id,
        "tanggal": day,
        **answers,
    }
    for key, choices in RESPONDENTS[svc.respondents].items():
        row[key] = (
            rng.choices(list(choices), weights=list(choices.values()))[0] if rng.random() < PROFILE_RATE else None
        )
    row["nip_pegawai"] = rng.choice(staff) if staff and rng.random() < STAFF_RATE else None
    row["saran"] = _saran(rng, answers)
    row["diterima_pada"] = datetime.combine(day, OPENS, WIB) + timedelta(seconds=rng.randrange(HOURS * 3600))
    return row


def _saran(rng: random.Random, answers: Mapping[str, int | None]) -> str | None:
    given = {key: value for key, value in answers.items() if value is not None}
    lowest = min(given, key=lambda key: (given[key], key))
    unhappy = given[lowest] <= 2
    if rng.random() >= SARAN_RATE[unhappy]:
        return None
    return rng.choice(SARAN_KELUHAN[lowest] if unhappy else SARAN_UMUM)

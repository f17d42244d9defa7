"""The public transparency figures (``/transparansi``): IKM and complaint handling per quarter, nothing personal.

Sources: PermenPANRB 14/2017 (the SKM results are published together with the unit's follow-up plan for its weakest
unsur; IKM, grade and the Krejcie-Morgan sample come from ``functions.citizens.ikm`` through ``ikm_report.levels``)
and SP4N-LAPOR! (deadlines from ``functions.citizens.deadlines`` through ``complaints.all_complaints``).

Rules of the page (DOMAIN.md section 8):
- Levels: the city, each unit, each service; per quarter, the quarter to date and the three before it.
- No grade from a handful: a group with fewer than ``MIN_RESPONDENTS`` respondents, or with an unsur nobody
  answered, shows ``alasan_tanpa_nilai`` instead of IKM, mutu and kinerja (``ikm.compute`` renormalises the weights
  over the answered unsur; fine inside, misleading in public).
- The weakest unsur: the lowest NRR, the first in the regulation's order on a tie; shown with a grade only. Its
  follow-up plan is the RencanaTindakLanjut row of the same quarter and unsur for the service, else for the unit.
- Complaints count in the quarter they were received, for the city and for the unit handling them now (one whose
  unit the reporter did not know and nobody has dispatched yet counts for the city only), per category and for all
  (``Semua``): diterima = received; selesai = of those, Selesai or Ditolak now (the automatic close included);
  tenggat_lewat = of those, answered or past the follow-up deadline; tepat_waktu = answered within it;
  persen_tepat_waktu = tepat_waktu / tenggat_lewat x 100; median_hari_kerja = the median, over the answered ones, of
  the working days after the day of receipt up to and including the day of the first answer (an answer on the day
  of receipt is 0; the count the deadlines use, ``Calendar.workdays_between``).
- Nothing personal: unit and service names, counts and the plans' text only; no complaint text, no names, no NIPs,
  no contacts, no respondents' suggestions.

``publish`` writes the two derived sheets (TransparansiIKM, TransparansiAduan) for the four quarters; the weekly
scoring run and the demo call it, so a page view never recomputes from the raw rows. ``snapshot`` reads them back,
kept in this process's memory for ``CACHE_SECONDS``.
"""

from __future__ import annotations

import logging
import math
import statistics
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from functions import periods
from functions.citizens import complaints, forum, ikm, ikm_report
from functions.periods import Period
from functions.rules.workdays import Calendar
from functions.store import Row, Store

log = logging.getLogger(__name__)

MIN_RESPONDENTS = 10  # fewer: the page says why instead of showing a grade (issue 16, DOMAIN.md section 8)
QUARTERS = 4  # the quarter to date and the three before: the trend
ALL = "Semua"  # the complaint row of every category together
CITY, UNIT, SERVICE = "Kota", "Unit", "Layanan"
IKM_SHEET, COMPLAINT_SHEET = "TransparansiIKM", "TransparansiAduan"
CACHE_SECONDS = 300.0
UNSUR_NAMES = {u.key: u.name for u in ikm.UNSUR}
ROMAN = ("I", "II", "III", "IV")


def quarters(today: date) -> list[Period]:
    """The quarters shown, oldest first: the three before this one and this one."""
    current = periods.quarter(today)
    shown = [current]
    for _ in range(QUARTERS - 1):
        shown.insert(0, shown[0].previous())
    return shown


def quarter_name(label: str) -> str:
    """``2026-Q4`` as people read it: ``Triwulan IV 2026``."""
    year, _, number = label.partition("-Q")
    return f"Triwulan {ROMAN[int(number) - 1]} {year}"


# -- IKM ---------------------------------------------------------------------------------------------------------------
def withheld_because(responden: int, empty: Iterable[str]) -> str | None:
    """Why a group shows no grade, or None when it may show one."""
    reasons = []
    if responden == 0:
        reasons.append("Belum ada responden pada triwulan ini.")
    elif responden < MIN_RESPONDENTS:
        reasons.append(f"Baru {responden} responden; nilai ditampilkan mulai {MIN_RESPONDENTS} responden.")
    names = [UNSUR_NAMES[k] for k in empty]
    if responden and names:
        reasons.append(f"Unsur {', '.join(names)} belum dijawab satu responden pun.")
    return " ".join(reasons) or None


def weakest(result: Mapping[str, Any]) -> tuple[str, float] | None:
    """(key, NRR) of the unsur with the lowest NRR; the first in the regulation's order on a tie."""
    answered = [(result[f"nrr_{k}"], i, k) for i, k in enumerate(ikm.KEYS) if _number(result.get(f"nrr_{k}"))]
    if not answered:
        return None
    nrr, _, key = min(answered)
    return key, float(nrr)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


@dataclass(frozen=True)
class Names:
    units: Mapping[str, str]
    services: Mapping[str, Row]

    @classmethod
    def of(cls, store: Store) -> Names:
        return cls(
            units={u["kode"]: u["nama"] for u in store.records("Unit")},
            services={s["id"]: s for s in store.records("Layanan")},
        )


def ikm_rows(
    store: Store, quarter: Period, names: Names, plans: Mapping[tuple[Any, ...], Row], now: datetime
) -> list[Row]:
    """The TransparansiIKM rows of one quarter: the city, then each unit followed by its services."""
    city, units, services = (_records(f) for f in ikm_report.levels(store, quarter))
    forum = suara_warga_counts(store, quarter)
    by_unit = {r["unit"]: r for r in units}
    by_service = {(r["unit"], r["id_layanan"]): r for r in services}
    offered = {(s["unit"], s["id"]) for s in names.services.values() if s.get("aktif") is not False and s.get("unit")}
    service_keys = sorted(offered | set(by_service))
    unit_keys = sorted({u for u, _ in service_keys} | set(by_unit))
    base = {"kuartal": quarter.label, "diperbarui_pada": now}
    rows = [_ikm_row(base, CITY, None, None, city[0] if city else None, names, plans, forum)]
    for unit in unit_keys:
        rows.append(_ikm_row(base, UNIT, unit, None, by_unit.get(unit), names, plans, forum))
        for svc_unit, svc in service_keys:
            if svc_unit == unit:
                rows.append(_ikm_row(base, SERVICE, unit, svc, by_service.get((unit, svc)), names, plans, forum))
    return rows


def _ikm_row(
    base: Mapping[str, Any],
    level: str,
    unit: str | None,
    service: str | None,
    result: Mapping[str, Any] | None,
    names: Names,
    plans: Mapping[tuple[Any, ...], Row],
    forum: Mapping[tuple[str, str | None], tuple[int, int, int]],
) -> Row:
    responden = int(result["responden"]) if result else 0
    empty = result["unsur_kosong"].split(", ") if result and result["unsur_kosong"] else []
    reason = withheld_because(responden, empty)
    row: Row = {
        **base,
        "id": f"{base['kuartal']}|{level}|{unit or ''}|{service or ''}",
        "tingkat": level,
        "unit": unit,
        "nama_unit": names.units.get(unit, unit) if unit else None,
        "layanan": service,
        "nama_layanan": names.services.get(service, {}).get("nama", service) if service else None,
        "responden": responden,
        "sampel_minimal": result.get("sampel_minimal") if result else None,
        "sampel_cukup": result.get("sampel_cukup") if result else None,
        "alasan_tanpa_nilai": reason,
    }
    low = weakest(result) if result and reason is None else None
    if result and low is not None:
        key, nrr = low
        plan = plans.get((unit, service, base["kuartal"], key)) or plans.get((unit, None, base["kuartal"], key))
        row |= {
            "ikm_konversi": result["ikm_konversi"],
            "mutu": result["mutu"],
            "kinerja": result["kinerja"],
            "unsur_terlemah": UNSUR_NAMES[key],
            "nrr_terlemah": nrr,
            "rencana_tindak_lanjut": plan["rencana"] if plan and level != CITY else None,
            "status_rencana": plan.get("status") if plan and level != CITY else None,
        }
    counts = forum.get((unit or "", service)) if level != CITY else forum.get(("", None))
    if counts is not None:
        row |= dict(zip(("suara_diterima", "suara_dijawab", "suara_ditindaklanjuti"), counts, strict=True))
    return row


def _records(frame: Any) -> list[dict[str, Any]]:
    return [{k: (None if v != v else v) for k, v in row.items()} for row in frame.to_dict("records")]


def plans_by_key(store: Store) -> dict[tuple[Any, ...], Row]:
    """The follow-up plans by (unit, service or None, quarter, unsur)."""
    return {(p["unit"], p.get("layanan"), p["kuartal"], p["unsur"]): p for p in store.records("RencanaTindakLanjut")}


def suara_warga_counts(store: Store, quarter: Period) -> dict[tuple[str, str | None], tuple[int, int, int]]:
    """Suara Warga: (diterima, dijawab, ditindaklanjuti) of the published suggestions received in the quarter, per
    (unit, service), with ``(unit, None)`` for a unit and ``("", None)`` for the city. States as in
    ``forum.summary``: an answered one counts as received and answered, one followed up as all three."""
    counts: dict[tuple[str, str | None], list[int]] = {}
    for post in forum.load(store, supports=False):
        if not post.is_public or not quarter.start <= post.row["tanggal"] <= quarter.end:
            continue  # waiting for the operator, or declined: never public
        marks = (1, int(post.answered_on is not None), int(post.state == forum.FOLLOWED_UP))
        unit = str(post.row.get("unit") or "")
        for key in {("", None), (unit, None), (unit, post.row.get("id_layanan"))}:
            counts[key] = [a + b for a, b in zip(counts.get(key, [0, 0, 0]), marks, strict=True)]
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


# -- complaints --------------------------------------------------------------------------------------------------------
def working_days_to_answer(received: datetime, answered: datetime, calendar: Calendar) -> int:
    """Working days after the day of receipt up to and including the day of the answer (same day: 0)."""
    first = calendar.local(received).date() + timedelta(days=1)
    return len(calendar.workdays_between(first, calendar.local(answered).date()))


def complaint_rows(
    items: Iterable[complaints.Complaint], quarter: Period, names: Names, calendar: Calendar, now: datetime
) -> list[Row]:
    """The TransparansiAduan rows of one quarter: the city, then each handling unit; per category and ``Semua``."""
    groups: dict[tuple[str, str], list[complaints.Complaint]] = {("", ALL): []}
    for c in items:
        if not quarter.start <= calendar.local(c.row["diterima_pada"]).date() <= quarter.end:
            continue
        for unit in {"", c.unit or ""}:
            for kategori in (ALL, c.row["kategori"]):
                groups.setdefault((unit, kategori), []).append(c)
    rows = []
    for (unit, kategori), found in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] != ALL, g[0][1])):
        stages = [c.deadline.tindak_lanjut for c in found]
        decided = [s for s in stages if s.met is not None]
        on_time = sum(1 for s in decided if s.met)
        days = [
            working_days_to_answer(c.row["diterima_pada"], s.met_at, calendar)
            for c, s in zip(found, stages, strict=True)
            if s.met_at is not None
        ]
        rows.append(
            {
                "id": f"{quarter.label}|{unit or CITY}|{kategori}",
                "kuartal": quarter.label,
                "tingkat": UNIT if unit else CITY,
                "unit": unit or None,
                "nama_unit": names.units.get(unit, unit) if unit else None,
                "kategori": kategori,
                "diterima": len(found),
                "selesai": sum(1 for c in found if not c.is_open),
                "tenggat_lewat": len(decided),
                "tepat_waktu": on_time,
                "persen_tepat_waktu": 100 * on_time / len(decided) if decided else None,
                "median_hari_kerja": float(statistics.median(days)) if days else None,
                "diperbarui_pada": now,
            }
        )
    return rows


# -- the snapshot ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Published:
    quarters: list[str]
    ikm_rows: int
    complaint_rows: int


def publish(store: Store, calendar: Calendar, now: datetime) -> Published:
    """Compute the figures of the last four quarters and replace them in the two derived sheets (safe to re-run)."""
    names = Names.of(store)
    plans = plans_by_key(store)
    items = complaints.all_complaints(store, calendar, now)
    shown = quarters(now.date())
    counts = [0, 0]
    for quarter in shown:
        figures = ikm_rows(store, quarter, names, plans, now)
        handling = complaint_rows(items, quarter, names, calendar, now)
        store.replace_period(IKM_SHEET, quarter.label, figures)
        store.replace_period(COMPLAINT_SHEET, quarter.label, handling)
        counts = [counts[0] + len(figures), counts[1] + len(handling)]
    forget(store)
    result = Published([q.label for q in shown], counts[0], counts[1])
    log.info("transparency figures written: %s quarters, %d IKM rows, %d complaint rows", len(shown), *counts)
    return result


@dataclass(frozen=True)
class Snapshot:
    ikm: list[Row]
    complaints: list[Row]

    @property
    def quarters(self) -> list[str]:
        """The quarters the snapshot holds, oldest first."""
        return sorted({r["kuartal"] for r in self.ikm} | {r["kuartal"] for r in self.complaints})

    @property
    def updated(self) -> datetime | None:
        return max((r["diperbarui_pada"] for r in (*self.ikm, *self.complaints)), default=None)


_CACHE: weakref.WeakKeyDictionary[Any, tuple[float, Snapshot]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def snapshot(store: Store, today: date) -> Snapshot:
    """The published figures of the last four quarters, from this process's memory when read recently."""
    moment = time.monotonic()
    with _CACHE_LOCK:
        cached = _CACHE.get(store)
    if cached is not None and moment - cached[0] < CACHE_SECONDS:
        return cached[1]
    labels = [q.label for q in quarters(today)]  # read quarter by quarter: on Sheets, one month's spreadsheet each
    found = Snapshot(
        ikm=[r for q in labels for r in store.records(IKM_SHEET, where={"kuartal": q})],
        complaints=[r for q in labels for r in store.records(COMPLAINT_SHEET, where={"kuartal": q})],
    )
    with _CACHE_LOCK:
        _CACHE[store] = (moment, found)
    return found


def forget(store: Store) -> None:
    """Drop this process's cached snapshot of a store (after publishing)."""
    with _CACHE_LOCK:
        _CACHE.pop(store, None)

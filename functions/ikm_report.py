"""IKM per unit and per service for a period, from the Survei, Layanan and Konfigurasi sheets.

The rules are in ``functions.ikm``; this module only picks the period, the weights set in
Konfigurasi (``ikm_bobot``) and each service's population for the period, and reads the
store once per sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from functions import ikm
from functions.errors import ValidationError
from functions.store import Store

if TYPE_CHECKING:
    import pandas as pd

PERIOD_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|\d{2}))?$")


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date
    share_of_year: float  # to scale a yearly population to the period


def period(text: str | None, today: date) -> Period:
    """``2026`` (a year), ``2026-Q4`` (a quarter) or ``2026-11`` (a month); this quarter when empty."""
    if not text:
        text = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    match = PERIOD_RE.match(text.strip().upper())
    if not match:
        raise ValidationError({"periode": "Periode: tulis tahun (2026), triwulan (2026-Q4) atau bulan (2026-11)."})
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        return Period(str(year), date(year, 1, 1), date(year, 12, 31), 1.0)
    if part.startswith("Q"):
        q = int(part[1])
        start = date(year, 3 * q - 2, 1)
        end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
        return Period(f"{year}-Q{q}", start, end, 0.25)
    month = int(part)
    if not 1 <= month <= 12:
        raise ValidationError({"periode": "Periode: bulan harus 01 sampai 12."})
    end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
    return Period(f"{year}-{month:02d}", date(year, month, 1), end, 1 / 12)


def weights(store: Store) -> dict[str, float]:
    """Konfigurasi ``ikm_bobot``: nine numbers for u1..u9 (default 1/9 each)."""
    rows = store.records("Konfigurasi", where={"kunci": "ikm_bobot"})
    text = str(rows[0]["nilai"]).strip() if rows else ""
    if not text:
        return dict(ikm.DEFAULT_WEIGHTS)
    try:
        values = [float(v.replace(",", ".")) for v in re.split(r"[;\s]+", text) if v]
        return ikm.check_weights(dict(zip(ikm.KEYS, values, strict=True)))
    except ValueError as err:
        raise ValidationError({"ikm_bobot": f"Konfigurasi ikm_bobot: {err}."}) from err


def report(store: Store, when: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(IKM per unit, IKM per unit and service) for the period, with sample adequacy."""
    surveys = store.frame("Survei", start=when.start, end=when.end)
    services = store.records("Layanan")
    w = weights(store)
    per_service = {
        (s["unit"], s["id"]): round(s["populasi"] * when.share_of_year) for s in services if s.get("populasi")
    }
    per_unit: dict[str, int] = {}
    for (unit, _), n in per_service.items():
        per_unit[unit] = per_unit.get(unit, 0) + n
    units = ikm.compute(surveys, by=("unit",), weights=w, population=per_unit)
    by_service = ikm.compute(surveys, by=("unit", "id_layanan"), weights=w, population=per_service)
    return units, by_service

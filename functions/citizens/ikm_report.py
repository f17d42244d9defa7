"""IKM per unit and per service for a period, from the Survei, Layanan and Konfigurasi sheets.

The rules are in ``functions.citizens.ikm``; this module only picks the period, the weights set in
Konfigurasi (``ikm_bobot``) and each service's population for the period, and reads the
store once per sheet.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from functions import periods
from functions.citizens import ikm
from functions.errors import ValidationError
from functions.periods import Period
from functions.rules import config
from functions.schema import parse_number
from functions.store import Store

if TYPE_CHECKING:
    import pandas as pd


def period(text: str | None, today: date) -> Period:
    """The period of a label (week, month, quarter or year); this quarter when empty."""
    return periods.parse(text) if text else periods.quarter(today)


def weights(store: Store) -> dict[str, float]:
    """Konfigurasi ``ikm_bobot``: nine numbers for u1..u9 (default 1/9 each)."""
    text = config.get(store, "ikm_bobot")  # an empty cell (None in the store) is the default: 1/9 each
    if not text:
        return dict(ikm.DEFAULT_WEIGHTS)
    try:
        values = [parse_number(v) for v in re.split(r"[;\s]+", text) if v]  # plain digits: "1_0" is no weight
        return ikm.check_weights(dict(zip(ikm.KEYS, values, strict=True)))
    except ValueError as err:
        raise ValidationError({"ikm_bobot": f"Konfigurasi ikm_bobot: {err}."}) from err


def report(store: Store, when: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(IKM per unit, IKM per unit and service) for the period, with sample adequacy."""
    _city, units, by_service = levels(store, when)
    return units, by_service


CITY = "Kota"  # the one group of the city-wide IKM


def levels(store: Store, when: Period) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(IKM of the whole city, grouped by ``kota``; per unit; per unit and service) for the period.

    Each level's population is the sum of its services' populations for the period, so the sample check
    (Krejcie-Morgan, ``ikm.sample_size``) applies at every level; the city's is unknown (no sample check) while an
    active service has none.
    """
    surveys = store.frame("Survei", start=when.start, end=when.end)
    services = store.records("Layanan")
    w = weights(store)
    per_service = {
        (s["unit"], s["id"]): round(s["populasi"] * when.share_of_year) for s in services if s.get("populasi")
    }
    per_unit: dict[str, int] = {}
    for (unit, _), n in per_service.items():
        per_unit[unit] = per_unit.get(unit, 0) + n
    # The city's population is known only when every active service has one: a partial sum would understate it.
    active = [s for s in services if s.get("aktif") is not False]
    known = bool(active) and all(s.get("populasi") for s in active)
    city_population = {CITY: sum(per_unit.values())} if known else None
    city = ikm.compute(surveys.assign(kota=CITY), by=("kota",), weights=w, population=city_population)
    units = ikm.compute(surveys, by=("unit",), weights=w, population=per_unit)
    by_service = ikm.compute(surveys, by=("unit", "id_layanan"), weights=w, population=per_service)
    return city, units, by_service

"""Frames as ``store.frame`` gives them, for the synthetic city: the sheet's columns, in its order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import numpy as np
import pandas as pd

from functions import schema
from functions.rules.workdays import WIB

OFFSET = WIB.utcoffset(datetime(2026, 1, 1))


def moments(seconds: np.ndarray) -> pd.Series:
    """POSIX seconds as the store's datetime column: ``datetime64[us, UTC+07:00]``, NaN as NaT."""
    micros = np.where(np.isnan(seconds), np.iinfo(np.int64).min, np.nan_to_num(seconds) * 1e6).astype(np.int64)
    stamps = pd.Series(micros.view("datetime64[us]")).dt.tz_localize("UTC")
    return stamps.dt.tz_convert(timezone(cast("timedelta", OFFSET)))


def frame(sheet: str, data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame with exactly the sheet's columns, in its order (a column not given, or given one value, is filled)."""
    keys = schema.sheet(sheet).keys
    if not isinstance(data, Mapping):
        return pd.DataFrame.from_records(list(data), columns=keys)
    arrays = {k: v for k, v in data.items() if is_array(v)}
    size = len(next(iter(arrays.values()))) if arrays else 0
    columns = {k: data[k] if k in arrays else np.full(size, data.get(k), dtype=object) for k in keys}
    return pd.DataFrame({k: v.reset_index(drop=True) if isinstance(v, pd.Series) else v for k, v in columns.items()})


def is_array(value: Any) -> bool:
    return hasattr(value, "__len__") and not isinstance(value, (str, bytes))

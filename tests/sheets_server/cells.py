"""Cell values: how input is stored (RAW / USER_ENTERED) and how it is rendered back.

A stored value is ``str``, ``bool``, ``int``/``float`` or an :class:`Entered` (what USER_ENTERED parsed into a
formula, a date or a percentage). ``None`` is an empty cell.

Simplifications (documented in the package docstring): formulas are never evaluated (FORMATTED_VALUE and
UNFORMATTED_VALUE return the formula text); USER_ENTERED recognises numbers (``1,234.5``), TRUE/FALSE, percentages,
ISO dates and ``M/D/YYYY`` dates, a leading apostrophe; numbers are formatted in the spirit of the "Automatic" format.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import ApiError, bad_value

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^[+-]?\d+(\.\d+)?%$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})( (\d{1,2}):(\d{2})(:(\d{2}))?)?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EPOCH = datetime(1899, 12, 30)


@dataclass(frozen=True)
class Entered:
    """A USER_ENTERED value that is not plain: ``kind`` is formula, date or percent; ``text`` is what was typed."""

    kind: str
    text: str
    number: float | None = None


def check_row_values(values: Any, field: str) -> list[list[Any]]:
    """Validate a ``ValueRange.values`` payload the way Google's JSON decoder does."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise bad_value(field, values)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise bad_value(f"{field}[{i}]", row)
        for j, value in enumerate(row):
            if isinstance(value, list):
                raise ApiError(400, f"Invalid values[{i}][{j}]: list_value")
            if isinstance(value, dict):
                raise ApiError(400, f"Invalid values[{i}][{j}]: struct_value")
    return values


def from_input(value: Any, user_entered: bool) -> Any:
    """Turn one JSON input value into a stored value; ``""`` empties the cell (returns None)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float) or not user_entered:
        return value
    text = str(value)
    if text.startswith("'"):
        return text[1:] or None
    if text.startswith("=") and len(text) > 1:
        return Entered("formula", text)
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    if _NUMBER.match(stripped) and any(ch.isdigit() for ch in stripped):
        number = float(stripped.replace(",", ""))
        return int(number) if number.is_integer() and "." not in stripped and "e" not in stripped.lower() else number
    if _PERCENT.match(stripped):
        return Entered("percent", stripped, float(stripped[:-1]) / 100)
    serial = _date_serial(stripped)
    if serial is not None:
        return Entered("date", stripped, serial)
    return text


def _date_serial(text: str) -> float | None:
    try:
        if m := _ISO_DATE.match(text):
            moment = datetime(
                int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(5) or 0), int(m.group(6) or 0)
            ).replace(second=int(m.group(8) or 0))
        elif m := _US_DATE.match(text):
            moment = datetime(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        else:
            return None
    except ValueError:
        return None
    delta = moment - _EPOCH
    serial = delta.days + delta.seconds / 86400
    return int(serial) if float(serial).is_integer() else serial


def chars(value: Any) -> int:
    if isinstance(value, Entered):
        return len(value.text)
    return len(value) if isinstance(value, str) else 0


def format_number(number: float) -> str:
    if isinstance(number, int) or (math.isfinite(number) and number.is_integer() and abs(number) < 1e15):
        return str(int(number))
    text = f"{number:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{float(mantissa):.6g}E{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent))}"
    return text


def render(value: Any, render_option: str, datetime_option: str) -> Any:
    """One stored value as values.get returns it (FORMATTED_VALUE, UNFORMATTED_VALUE or FORMULA)."""
    if value is None:
        return ""
    if isinstance(value, Entered):
        if value.kind == "formula" or render_option == "FORMATTED_VALUE":
            return value.text
        if value.kind == "date" and datetime_option == "FORMATTED_STRING":
            return value.text
        return value.number
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if render_option == "FORMATTED_VALUE" else value
    if isinstance(value, int | float):
        if render_option == "FORMATTED_VALUE":
            return format_number(value)
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else value
    return value


def extended(value: Any) -> dict[str, Any]:
    """The ``userEnteredValue`` / ``effectiveValue`` ExtendedValue of a stored value."""
    if isinstance(value, Entered):
        if value.kind == "formula":
            return {"formulaValue": value.text}
        return {"numberValue": value.number}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": value}
    return {"stringValue": value}


def from_extended(value: dict[str, Any] | None) -> Any:
    """An ExtendedValue from updateCells back into a stored value."""
    if not value:
        return None
    if "formulaValue" in value:
        return Entered("formula", str(value["formulaValue"]))
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in value:
            return value[key] if value[key] != "" else None
    return None


def effective(value: Any) -> dict[str, Any]:
    """``effectiveValue``: formulas are not evaluated, so their text stands in for the result."""
    if isinstance(value, Entered) and value.kind == "formula":
        return {"stringValue": value.text}
    return extended(value)

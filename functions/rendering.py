"""The Jinja environment for every page and email a person sees (templates in forms/)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from functions import periods
from functions.periods import DAYS, MONTHS

__all__ = ["DAYS", "MONTHS", "environment", "format_date", "format_number", "render"]

FORMS_DIR = Path(__file__).resolve().parent.parent / "forms"


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(FORMS_DIR / "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["tanggal"] = format_date
    env.filters["angka"] = format_number
    env.filters["periode"] = periods.text  # a Period as people read it: 'Minggu 23–29 November 2026'
    env.filters["label_periode"] = periods.label_text  # the same, from a label read from a sheet
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def format_date(value: Any, with_day: bool = True) -> str:
    """A date the Indonesian way: 'Senin, 30 November 2026'."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    text = periods.day_text(value)
    return f"{DAYS[value.weekday()]}, {text}" if with_day else text


def format_number(value: Any) -> str:
    """A number the Indonesian way: 2,5 and 1.250."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".").rstrip("0").rstrip(",")

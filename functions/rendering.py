"""The Jinja environment for every page and email a person sees (templates in forms/)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

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
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def format_date(value: Any, with_day: bool = True) -> str:
    """A date the Indonesian way: 'Senin, 30 November 2026'."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
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

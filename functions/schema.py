"""The sheet schema: ``sheets_schema/*.yaml`` loaded into ``Sheet`` and ``Column`` objects.

The YAML files are the single source of truth for every sheet. Table creation in the
store, the Indonesian headers, row validation, dropdown values and the docs of each sheet
all come from here; nothing else spells out a column list.
"""

from __future__ import annotations

import functools
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from functions.errors import ConfigurationError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "sheets_schema"

TYPES = ("string", "text", "integer", "number", "date", "datetime", "boolean", "enum", "nip", "url", "email")
KINDS = ("master", "intake", "derived")
# ASCII digits only, with fullmatch: Python's \d and int() also take other scripts' digits ("٣").
NIP_RE = re.compile(r"[0-9]{18}")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters but tab, newline, return
# A date exactly as typed into the form's date field: date.fromisoformat alone would also take 20261205.
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A number a person types: ASCII digits, at most one decimal comma or point, an optional leading minus (the column's
# range refuses negatives where they make no sense). float() alone would also take "1_0", "1e3", "٣" and "inf".
NUMBER_RE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
URL_RE = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
TRUE_WORDS = {"ya", "y", "true", "1", "benar", "aktif"}
FALSE_WORDS = {"tidak", "t", "false", "0", "salah", "nonaktif", "tidak aktif"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str
    description: str
    required: bool = False
    allowed: tuple[str, ...] = ()
    editable: bool = False
    server: bool = False
    max_length: int | None = None
    min: float | None = None
    max: float | None = None
    default: Any = None

    def parse(self, raw: Any) -> Any:
        """Turn a raw value (typed text, a cell, a stored value) into its Python value.

        Returns None for an empty value; raises ValueError with an Indonesian message.
        """
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            return None
        kind = self.type
        if kind in ("string", "text", "url", "enum", "nip", "email"):
            if kind == "nip" and isinstance(raw, float):
                # A spreadsheet that read a NIP as a number has already lost its last digits.
                raise ValueError("NIP terbaca sebagai angka; format kolom sebagai Teks lalu ketik ulang NIP")
            text = str(raw).strip() if kind != "text" else str(raw).strip("\r\n ")
            if kind == "email" and not EMAIL_RE.match(text):
                raise ValueError("alamat email tidak valid")
            if kind == "nip":
                text = text.replace(" ", "")
                if not NIP_RE.fullmatch(text):
                    raise ValueError("NIP harus 18 digit angka")
            if kind == "url" and not URL_RE.match(text):
                raise ValueError("harus berupa tautan yang diawali http:// atau https://")
            if kind == "enum" and text not in self.allowed:
                raise ValueError("pilih salah satu: " + ", ".join(self.allowed))
            if kind in ("string", "url", "enum", "nip", "email") and ("\n" in text or "\r" in text):
                raise ValueError("tidak boleh berisi baris baru")
            if CONTROL_RE.search(text):
                raise ValueError("berisi karakter kendali yang tidak diizinkan")
            if self.max_length is not None and len(text) > self.max_length:
                raise ValueError(f"paling banyak {self.max_length} karakter")
            return text
        if kind == "integer":
            value = _to_number(raw)
            if not float(value).is_integer():
                raise ValueError("harus bilangan bulat")
            return self._check_range(int(value))
        if kind == "number":
            return self._check_range(_to_number(raw))
        if kind == "date":
            if isinstance(raw, datetime):
                return raw.date()
            if isinstance(raw, date):
                return raw
            return parse_date(str(raw))
        if kind == "datetime":
            if isinstance(raw, datetime):
                return raw
            try:
                return datetime.fromisoformat(str(raw).strip())
            except ValueError as err:
                raise ValueError("waktu harus berformat ISO 8601") from err
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError("isi Ya atau Tidak")
        raise ConfigurationError(f"unknown column type {kind!r}")

    def _check_range(self, value: float | int) -> Any:
        if self.min is not None and value < self.min:
            raise ValueError(f"tidak boleh kurang dari {_fmt(self.min)}")
        if self.max is not None and value > self.max:
            raise ValueError(f"tidak boleh lebih dari {_fmt(self.max)}")
        return value

    def to_cell(self, value: Any) -> Any:
        """The value as stored in a cell: text, a number, or None."""
        if value is None:
            return None
        if self.type == "boolean" and isinstance(value, bool):
            return "Ya" if value else "Tidak"
        if self.type in ("date", "datetime"):
            return value.isoformat()
        if self.type in ("integer", "number"):
            return value
        return str(value)


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _to_number(raw: Any) -> float | int:
    if isinstance(raw, bool):
        raise ValueError("harus berupa angka")
    if isinstance(raw, numbers.Real):  # a cell or a stored value (also numpy's numbers)
        value: float | int = raw if isinstance(raw, (int, float)) else float(raw)
    else:
        value = parse_number(str(raw))
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("harus berupa angka")
    return value


def parse_number(text: str) -> float:
    """A number typed by a person: ASCII digits with at most one decimal comma ("2,5", the Indonesian way) or point.

    Raises ValueError with an Indonesian message; the caller adds the field's name.
    """
    plain = text.strip()
    if not NUMBER_RE.fullmatch(plain):
        raise ValueError("harus berupa angka (hanya angka 0-9, paling banyak satu koma desimal, misalnya 2,5)")
    return float(plain.replace(",", "."))


def parse_date(text: str) -> date:
    """A date typed by a person, exactly ``TTTT-BB-HH`` (2026-11-30) in ASCII digits; ValueError otherwise."""
    plain = text.strip()
    try:
        if not DATE_RE.fullmatch(plain):
            raise ValueError(plain)
        return date.fromisoformat(plain)
    except ValueError as err:
        raise ValueError("tanggal harus berformat TTTT-BB-HH, misalnya 2026-11-30") from err


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    kind: str
    description: str
    key: str
    columns: tuple[Column, ...]
    batch_key: str | None = None
    date_column: str | None = None
    unit_column: str | None = None
    period_column: str | None = None
    # Private sheets (citizens' contact data) never appear in the viewer, exports or summaries.
    private: bool = False

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(f"{self.name} has no column {key!r}")

    @property
    def compared_keys(self) -> list[str]:
        """Columns that make up a submission's content (for idempotent retries)."""
        return [c.key for c in self.columns if not (c.editable or c.server)]

    def validate(self, row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Parse a row by the schema. Returns (clean row, {column key: message})."""
        clean: dict[str, Any] = {}
        problems: dict[str, str] = {}
        unknown = set(row) - set(self.keys)
        for key in sorted(unknown):
            problems[key] = f"kolom {key!r} tidak dikenal di lembar {self.name}"
        for col in self.columns:
            raw = row.get(col.key)
            try:
                value = col.parse(raw)
            except ValueError as err:
                problems[col.key] = str(err)
                continue
            if value is None and col.default is not None:
                value = col.parse(col.default)
            if value is None and col.required:
                problems[col.key] = "wajib diisi"
                continue
            clean[col.key] = value
        return clean, problems


def _load_sheet(path: Path) -> Sheet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        columns = tuple(
            Column(
                key=c["key"],
                header=c["header"],
                type=c["type"],
                description=c["description"].strip(),
                required=bool(c.get("required", False)),
                allowed=tuple(c.get("allowed", ())),
                editable=bool(c.get("editable", False)),
                server=bool(c.get("server", False)),
                max_length=c.get("max_length"),
                min=c.get("min"),
                max=c.get("max"),
                default=c.get("default"),
            )
            for c in data["columns"]
        )
        sheet = Sheet(
            name=data["sheet"],
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            key=data["key"],
            columns=columns,
            batch_key=data.get("batch_key"),
            date_column=data.get("date_column"),
            unit_column=data.get("unit_column"),
            period_column=data.get("period_column"),
            private=bool(data.get("private", False)),
        )
    except (KeyError, TypeError) as err:
        raise ConfigurationError(f"{path.name}: missing or malformed entry {err}") from err
    _check_sheet(sheet, path)
    return sheet


def _check_sheet(sheet: Sheet, path: Path) -> None:
    problems = []
    if path.stem != sheet.name:
        problems.append(f"file name must be {sheet.name}.yaml")
    if sheet.kind not in KINDS:
        problems.append(f"kind must be one of {KINDS}")
    keys = sheet.keys
    if len(set(keys)) != len(keys):
        problems.append("column keys must be unique")
    if len(set(sheet.headers)) != len(sheet.headers):
        problems.append("headers must be unique")
    for ref in (sheet.key, sheet.batch_key, sheet.date_column, sheet.unit_column, sheet.period_column):
        if ref is not None and ref not in keys:
            problems.append(f"{ref!r} is not a column")
    for c in sheet.columns:
        if c.type not in TYPES:
            problems.append(f"column {c.key}: type must be one of {TYPES}")
        if (c.type == "enum") != bool(c.allowed):
            problems.append(f"column {c.key}: enum columns, and only they, list allowed values")
        if not re.match(r"^[a-z][a-z0-9_]*$", c.key):
            problems.append(f"column {c.key}: keys are lower_snake_case")
    if problems:
        raise ConfigurationError(f"{path.name}: " + "; ".join(problems))


@functools.cache
def load_all(directory: Path = SCHEMA_DIR) -> dict[str, Sheet]:
    """Every sheet of the schema, by name."""
    sheets = {}
    for path in sorted(directory.glob("*.yaml")):
        sheet = _load_sheet(path)
        sheets[sheet.name] = sheet
    if not sheets:
        raise ConfigurationError(f"no schema files in {directory}")
    return sheets


def sheet(name: str) -> Sheet:
    return sheet_of(load_all(), name)


def sheet_of(sheets: Mapping[str, Sheet], name: str) -> Sheet:
    """``sheets[name]``, or KeyError naming the unknown sheet."""
    try:
        return sheets[name]
    except KeyError as err:
        raise KeyError(f"unknown sheet {name!r}") from err

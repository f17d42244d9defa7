"""How a worksheet looks on Google, from the schema: the batchUpdate requests that make it so.

For every sheet: the header row (the schema's Indonesian headers) bold and frozen, column widths by column type.
Sheets that people fill or correct (master and intake) get a dropdown (ONE_OF_LIST) on every enum and boolean
column. Protection: derived sheets entirely (rebuilt by the jobs); intake sheets except their person-editable
columns; master sheets likewise but as a warning only (operators fix master data by hand). Predikat columns are
coloured from dark green (the best value) to red (the worst), in the order the schema lists the values.

:func:`requests_for` compares the wanted look with a worksheet's current state (:func:`current_from`, parsed from
``spreadsheets.get`` with :data:`STATE_FIELDS`) and returns only what differs, so running ``init`` again changes
nothing. A new worksheet is compared with :meth:`Current.blank`.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Any

from functions.errors import ConfigurationError
from functions.schema import Sheet

NEW_ROWS = 1000  # rows of a new worksheet: appends then land in formatted rows (see gsheets.append)
DEFAULT_WIDTH = 100
WIDTHS = {
    "text": 320,
    "string": 160,
    "nip": 170,
    "date": 100,
    "datetime": 180,
    "integer": 90,
    "number": 90,
    "boolean": 80,
    "enum": 150,
    "url": 220,
    "email": 210,
}
TAG = "Pantau Kinerja"  # the description of the protected ranges this module owns
# Best to worst: dark green, green, yellow, orange, red; text white on the dark ends.
_SCALE = [
    ({"red": 0.15, "green": 0.5, "blue": 0.2}, True),
    ({"red": 0.72, "green": 0.88, "blue": 0.73}, False),
    ({"red": 1.0, "green": 0.93, "blue": 0.6}, False),
    ({"red": 0.99, "green": 0.75, "blue": 0.5}, False),
    ({"red": 0.85, "green": 0.2, "blue": 0.2}, True),
]
STATE_FIELDS = (
    "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount,frozenRowCount)),protectedRanges,"
    "conditionalFormats,data(rowData(values(userEnteredValue,userEnteredFormat/textFormat/bold,dataValidation)),"
    "columnMetadata/pixelSize))"
)


def sheet_id_for(name: str, taken: set[int]) -> int:
    """A stable worksheet id from the sheet's name (so a batch can refer to a worksheet it adds)."""
    candidate = zlib.crc32(name.encode("utf-8")) & 0x7FFFFFFF or 1
    while candidate in taken:
        candidate = (candidate + 1) & 0x7FFFFFFF or 1
    return candidate


@dataclass
class Current:
    """What a worksheet looks like now (the parts this module manages)."""

    sheet_id: int
    col_count: int
    frozen: int = 0
    header: list[Any] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)
    validation: list[Any] = field(default_factory=list)  # of the first data row
    widths: list[int] = field(default_factory=list)
    protected: list[dict[str, Any]] = field(default_factory=list)
    conditional: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def blank(cls, sheet_id: int, col_count: int) -> Current:
        """A worksheet just added by :func:`add_sheet`."""
        return cls(sheet_id, col_count, frozen=1, widths=[DEFAULT_WIDTH] * col_count)


def add_sheet(sheet: Sheet, sheet_id: int, index: int | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "sheetId": sheet_id,
        "title": sheet.name,
        "gridProperties": {"rowCount": NEW_ROWS, "columnCount": len(sheet.columns), "frozenRowCount": 1},
    }
    if index is not None:
        props["index"] = index
    return {"addSheet": {"properties": props}}


def current_from(resource: dict[str, Any]) -> Current:
    """A worksheet of ``spreadsheets.get`` (fields :data:`STATE_FIELDS`, ranges row 1 to 2) as :class:`Current`."""
    props = resource.get("properties", {})
    grid = props.get("gridProperties", {})
    data = (resource.get("data") or [{}])[0]
    rows = data.get("rowData") or []
    first = (rows[0].get("values") if rows else None) or []
    second = (rows[1].get("values") if len(rows) > 1 else None) or []
    return Current(
        sheet_id=int(props.get("sheetId", 0)),
        col_count=int(grid.get("columnCount", 0)),
        frozen=int(grid.get("frozenRowCount", 0)),
        header=[_plain(c.get("userEnteredValue")) for c in first],
        bold=[bool(c.get("userEnteredFormat", {}).get("textFormat", {}).get("bold")) for c in first],
        validation=[_rule(c.get("dataValidation")) for c in second],
        widths=[int(m.get("pixelSize", DEFAULT_WIDTH)) for m in data.get("columnMetadata") or []],
        protected=list(resource.get("protectedRanges") or []),
        conditional=list(resource.get("conditionalFormats") or []),
    )


def requests_for(sheet: Sheet, role_kind: str, now: Current) -> list[dict[str, Any]]:
    """The requests that give the worksheet its look; empty when it already has it.

    ``role_kind`` is the sheet's kind as shown in this spreadsheet (``derived`` for a view).
    """
    sid, n = now.sheet_id, len(sheet.columns)
    header = list(now.header[:n])  # columns a person added after the schema's are left alone
    while header and header[-1] in (None, ""):
        header.pop()
    if header and header != sheet.headers[: len(header)]:
        raise ConfigurationError(
            f"Judul kolom lembar {sheet.name} tidak sesuai skema sheets_schema/{sheet.name}.yaml (ada: "
            f"{', '.join(map(str, header))}). Perbaiki baris judul atau pindahkan datanya ke lembar baru, lalu "
            "jalankan `python -m functions init` lagi."
        )
    out: list[dict[str, Any]] = []
    if now.col_count < n:
        out.append({"appendDimension": {"sheetId": sid, "dimension": "COLUMNS", "length": n - now.col_count}})
    if header != sheet.headers or not all(now.bold[:n]) or len(now.bold) < n:
        bold = {"textFormat": {"bold": True}}
        cells = [{"userEnteredValue": {"stringValue": h}, "userEnteredFormat": bold} for h in sheet.headers]
        out.append(
            {
                "updateCells": {
                    "start": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0},
                    "rows": [{"values": cells}],
                    "fields": "userEnteredValue,userEnteredFormat.textFormat.bold",
                }
            }
        )
    if now.frozen != 1:
        out.append(
            {
                "updateSheetProperties": {
                    "properties": {"sheetId": sid, "gridProperties": {"frozenRowCount": 1}},
                    "fields": "gridProperties.frozenRowCount",
                }
            }
        )
    out += _widths(sheet, now)
    if role_kind != "derived":
        out += _validation(sheet, now)
    out += _protection(sheet, role_kind, now)
    out += _colours(sheet, now)
    return out


def _widths(sheet: Sheet, now: Current) -> list[dict[str, Any]]:
    out = []
    for c, col in enumerate(sheet.columns):
        width = WIDTHS.get(col.type, DEFAULT_WIDTH)
        if (now.widths[c] if c < len(now.widths) else DEFAULT_WIDTH) != width:
            out.append(
                {
                    "updateDimensionProperties": {
                        "range": {"sheetId": now.sheet_id, "dimension": "COLUMNS", "startIndex": c, "endIndex": c + 1},
                        "properties": {"pixelSize": width},
                        "fields": "pixelSize",
                    }
                }
            )
    return out


def dropdown(sheet: Sheet, key: str) -> dict[str, Any] | None:
    """The validation rule of a column: its allowed values (Ya/Tidak for a boolean), or None."""
    col = sheet.column(key)
    values = list(col.allowed) if col.type == "enum" else ["Ya", "Tidak"] if col.type == "boolean" else None
    if not values:
        return None
    condition = {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": v} for v in values]}
    return {"condition": condition, "strict": True, "showCustomUi": True}


def _validation(sheet: Sheet, now: Current) -> list[dict[str, Any]]:
    out = []
    for c, col in enumerate(sheet.columns):
        rule = dropdown(sheet, col.key)
        if rule is None or (c < len(now.validation) and now.validation[c] == _rule(rule)):
            continue
        grid = {"sheetId": now.sheet_id, "startRowIndex": 1, "startColumnIndex": c, "endColumnIndex": c + 1}
        out.append({"setDataValidation": {"range": grid, "rule": rule}})
    return out


def wanted_protection(sheet: Sheet, role_kind: str, sheet_id: int) -> dict[str, Any]:
    editable = [c for c, col in enumerate(sheet.columns) if col.editable and role_kind != "derived"]
    what = {
        "derived": "dibuat ulang oleh Pantau Kinerja setiap periode; jangan diubah",
        "intake": "kiriman formulir; hanya kolom yang boleh diubah orang yang terbuka",
    }.get(role_kind, "data induk; ubah lewat impor bila memungkinkan")
    protected: dict[str, Any] = {"range": {"sheetId": sheet_id}, "description": f"{TAG}: {sheet.name} {what}"}
    if role_kind == "master":
        protected["warningOnly"] = True
    if editable:
        protected["unprotectedRanges"] = [
            {"sheetId": sheet_id, "startColumnIndex": c, "endColumnIndex": c + 1} for c in editable
        ]
    return protected


def _protection(sheet: Sheet, role_kind: str, now: Current) -> list[dict[str, Any]]:
    wanted = wanted_protection(sheet, role_kind, now.sheet_id)
    ours = [p for p in now.protected if str(p.get("description", "")).startswith(TAG)]
    if len(ours) == 1 and _protection_key(ours[0], now.sheet_id) == _protection_key(wanted, now.sheet_id):
        return []
    out: list[dict[str, Any]] = [{"deleteProtectedRange": {"protectedRangeId": p["protectedRangeId"]}} for p in ours]
    out.append({"addProtectedRange": {"protectedRange": wanted}})
    return out


def _protection_key(protected: dict[str, Any], sheet_id: int) -> tuple[Any, ...]:
    return (
        _range(protected.get("range"), sheet_id),
        bool(protected.get("warningOnly")),
        tuple(_range(r, sheet_id) for r in protected.get("unprotectedRanges") or []),
        protected.get("description"),
    )


def wanted_colours(sheet: Sheet, sheet_id: int) -> list[dict[str, Any]]:
    rules = []
    for c, col in enumerate(sheet.columns):
        if not col.key.startswith("predikat") or not col.allowed:
            continue
        grid = {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": c, "endColumnIndex": c + 1}
        for i, value in enumerate(col.allowed):
            background, white = _SCALE[round(i * (len(_SCALE) - 1) / max(1, len(col.allowed) - 1))]
            text = {"red": 1.0, "green": 1.0, "blue": 1.0} if white else {"red": 0.0, "green": 0.0, "blue": 0.0}
            condition = {"type": "TEXT_EQ", "values": [{"userEnteredValue": value}]}
            fmt = {"backgroundColor": background, "textFormat": {"foregroundColor": text}}
            rules.append({"ranges": [grid], "booleanRule": {"condition": condition, "format": fmt}})
    return rules


def _colours(sheet: Sheet, now: Current) -> list[dict[str, Any]]:
    wanted = wanted_colours(sheet, now.sheet_id)

    def key(rule: dict[str, Any]) -> tuple[Any, ...]:
        boolean = rule.get("booleanRule", {})
        ranges = tuple(_range(r, now.sheet_id) for r in rule.get("ranges", []))
        return ranges, repr(boolean.get("condition")), _rgb(boolean.get("format", {}).get("backgroundColor"))

    if [key(r) for r in now.conditional] == [key(r) for r in wanted]:
        return []
    out: list[dict[str, Any]] = [
        {"deleteConditionalFormatRule": {"sheetId": now.sheet_id, "index": i}}
        for i in reversed(range(len(now.conditional)))
    ]
    out += [{"addConditionalFormatRule": {"rule": rule, "index": i}} for i, rule in enumerate(wanted)]
    return out


def _range(grid: Any, sheet_id: int) -> tuple[Any, ...]:
    """A GridRange compared the way Google returns it: zero starts and a zero sheet id may be left out."""
    grid = dict(grid or {})
    grid.setdefault("sheetId", sheet_id)
    grid.setdefault("startRowIndex", 0)
    grid.setdefault("startColumnIndex", 0)
    keys = ("sheetId", "startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    return tuple(int(grid[k]) if grid.get(k) is not None else None for k in keys)


def _rgb(colour: Any) -> tuple[int, ...]:
    """A colour as Google keeps it: 8 bits a channel, a zero channel left out."""
    return tuple(round(float((colour or {}).get(channel, 0)) * 255) for channel in ("red", "green", "blue"))


def _plain(value: Any) -> Any:
    if not value:
        return None
    for kind in ("stringValue", "numberValue", "boolValue", "formulaValue"):
        if kind in value:
            return value[kind]
    return None


def _rule(rule: Any) -> Any:
    if not rule:
        return None
    condition = rule.get("condition", {})
    values = tuple(v.get("userEnteredValue") for v in condition.get("values", []))
    return condition.get("type"), values, bool(rule.get("strict"))

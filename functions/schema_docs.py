"""Documentation of every sheet, made from the schema: ``docs/sheets.md`` and the viewer's column tables.

``column_docs(sheet)`` is the one description of a sheet's columns in words; the sheet
viewer renders it as HTML and ``markdown()`` as Markdown. Regenerate the file with
``python -m functions.schema_docs``; a test fails when it is out of date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from functions import schema
from functions.schema import Column, Sheet

DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "sheets.md"

KIND_TITLES = {"master": "Data induk", "intake": "Masukan", "derived": "Turunan"}

TYPE_LABELS = {
    "string": "teks",
    "text": "teks panjang",
    "integer": "bilangan bulat",
    "number": "angka",
    "date": "tanggal (TTTT-BB-HH)",
    "datetime": "tanggal dan waktu (ISO 8601)",
    "boolean": "Ya/Tidak",
    "enum": "pilihan",
    "nip": "NIP (18 digit)",
    "url": "tautan (http/https)",
}

DOC_HEADERS = (
    "Judul kolom",
    "Kode kolom",
    "Jenis",
    "Wajib",
    "Nilai yang diizinkan",
    "Dapat diubah orang",
    "Keterangan",
)


@dataclass(frozen=True)
class ColumnDoc:
    """One column of a sheet, in words, in the order of ``DOC_HEADERS``."""

    header: str
    key: str
    type: str
    required: str
    allowed: str
    editable: str
    description: str

    def cells(self) -> tuple[str, ...]:
        return (self.header, self.key, self.type, self.required, self.allowed, self.editable, self.description)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def type_label(col: Column) -> str:
    """The column's type with its limits, e.g. 'teks, maks. 80 karakter' or 'angka, 0–100'."""
    label = TYPE_LABELS.get(col.type, col.type)
    limits = []
    if col.max_length is not None:
        limits.append(f"maks. {col.max_length} karakter")
    if col.min is not None and col.max is not None:
        limits.append(f"{_number(col.min)}–{_number(col.max)}")
    elif col.min is not None:
        limits.append(f"paling kecil {_number(col.min)}")
    elif col.max is not None:
        limits.append(f"paling besar {_number(col.max)}")
    return ", ".join([label, *limits])


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def column_docs(sheet: Sheet) -> list[ColumnDoc]:
    """The documentation of each column of a sheet, in schema order."""
    docs = []
    for col in sheet.columns:
        values = col.allowed or (("Ya", "Tidak") if col.type == "boolean" else ())
        parts = [", ".join(values)] if values else []
        if col.default is not None:
            parts.append(f"bawaan: {col.default}")
        allowed = "; ".join(parts) or "—"
        editable = "Ya" if col.editable else ("Tidak (diisi server)" if col.server else "Tidak")
        docs.append(
            ColumnDoc(
                header=col.header,
                key=col.key,
                type=type_label(col),
                required="Ya" if col.required else "Tidak",
                allowed=allowed,
                editable=editable,
                description=_one_line(col.description),
            )
        )
    return docs


def sheet_facts(sheet: Sheet) -> list[tuple[str, str]]:
    """Labelled facts about a sheet: its kind, key and the columns the viewer filters by."""
    facts = [
        ("Nama lembar", sheet.name),
        ("Jenis lembar", KIND_TITLES.get(sheet.kind, sheet.kind)),
        ("Kunci baris", f"{sheet.column(sheet.key).header} ({sheet.key})"),
    ]
    for label, key in (
        ("Kunci kiriman", sheet.batch_key),
        ("Kolom tanggal", sheet.date_column),
        ("Kolom unit", sheet.unit_column),
        ("Kolom periode", sheet.period_column),
    ):
        if key:
            facts.append((label, f"{sheet.column(key).header} ({key})"))
    return facts


def _md_cell(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def sheet_markdown(sheet: Sheet) -> str:
    lines = [f"### {sheet.title} (`{sheet.name}`)", "", _one_line(sheet.description), ""]
    lines += [f"- {label}: {value}" for label, value in sheet_facts(sheet)]
    lines += ["", "| " + " | ".join(DOC_HEADERS) + " |", "|" + "---|" * len(DOC_HEADERS)]
    for doc in column_docs(sheet):
        cells = list(doc.cells())
        cells[1] = f"`{cells[1]}`"
        lines.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def markdown() -> str:
    """Documentation of every sheet of the schema, grouped by kind."""
    sheets = schema.load_all()
    parts = [
        "# Lembar Pantau Kinerja",
        "",
        "Dokumen ini dibuat dari `sheets_schema/*.yaml` dengan `python -m functions.schema_docs`; "
        "jangan disunting langsung.",
    ]
    for kind, title in KIND_TITLES.items():
        group = [s for s in sheets.values() if s.kind == kind]
        if not group:
            continue
        parts += ["", f"## {title}"]
        for sheet in group:
            parts += ["", sheet_markdown(sheet)]
    return "\n".join(parts) + "\n"


def main() -> None:
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(markdown(), encoding="utf-8")
    print(f"Ditulis: {DOCS_PATH}")


if __name__ == "__main__":
    main()

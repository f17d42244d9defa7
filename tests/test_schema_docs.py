"""docs/sheets.md is generated from the schema and must not drift from it."""

from __future__ import annotations

from functions import schema, schema_docs


def test_docs_file_is_up_to_date() -> None:
    assert schema_docs.DOCS_PATH.read_text(encoding="utf-8") == schema_docs.markdown(), (
        "docs/sheets.md is out of date: run `python -m functions.schema_docs`."
    )


def test_docs_name_every_sheet_and_column_header() -> None:
    text = schema_docs.markdown()
    for sheet in schema.load_all().values():
        assert f"### {sheet.title} (`{sheet.name}`)" in text
        for col in sheet.columns:
            assert f"| {col.header} | `{col.key}` |" in text


def test_column_docs_describe_enums_defaults_and_editability() -> None:
    docs = {d.key: d for d in schema_docs.column_docs(schema.sheet("LaporanHarian"))}
    assert docs["verifikasi"].allowed == "Menunggu, Disetujui, Dikembalikan; bawaan: Menunggu"
    assert docs["verifikasi"].editable == "Ya"
    assert docs["diterima_pada"].editable == "Tidak (diisi server)"
    assert docs["kuantitas"].type == "angka, 0,01–10000"
    assert docs["kegiatan"].required == "Ya" and docs["kendala"].required == "Tidak"


def test_markdown_cells_escape_pipes() -> None:
    assert schema_docs._md_cell("a | b\n c") == "a \\| b c"

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from functions import schema
from functions.errors import ConfigurationError

FOUNDATION_SHEETS = {"Pegawai", "Unit", "Target", "Konfigurasi", "LaporanHarian"}


def test_every_foundation_sheet_is_declared() -> None:
    assert set(schema.load_all()) >= FOUNDATION_SHEETS


def test_headers_are_indonesian_and_unique_per_sheet() -> None:
    for sheet in schema.load_all().values():
        assert len(set(sheet.headers)) == len(sheet.headers)
        assert all(h and h[0].isupper() for h in sheet.headers), sheet.name


def test_only_verification_columns_of_reports_are_editable() -> None:
    sheet = schema.sheet("LaporanHarian")
    editable = [c.key for c in sheet.columns if c.editable]
    assert editable == ["verifikasi", "catatan_verifikasi", "diverifikasi_oleh", "diverifikasi_pada"]


@pytest.mark.parametrize(
    "sheet, key, raw, expected",
    [
        ("Pegawai", "nip", " 199003032015031003 ", "199003032015031003"),
        ("Pegawai", "nip", "1990 0303 2015 03 1 003", "199003032015031003"),
        ("Pegawai", "aktif", "tidak", False),
        ("Pegawai", "aktif", "Ya", True),
        ("Target", "bobot", "12,5", 12.5),
        ("Target", "tahun", "2026", 2026),
        ("LaporanHarian", "tanggal", "2026-11-30", date(2026, 11, 30)),
        ("LaporanHarian", "kuantitas", "", None),
    ],
)
def test_columns_parse_typed_text(sheet: str, key: str, raw: str, expected: object) -> None:
    assert schema.sheet(sheet).column(key).parse(raw) == expected


@pytest.mark.parametrize(
    "sheet, key, raw, fragment",
    [
        ("Pegawai", "nip", "12345", "18 digit"),
        ("Pegawai", "aktif", "mungkin", "Ya atau Tidak"),
        ("Target", "tahun", "2026.5", "bilangan bulat"),
        ("Target", "bobot", "101", "lebih dari 100"),
        ("Unit", "jenis", "Kantor", "pilih salah satu"),
        ("Unit", "nama", "baris\nbaru", "baris baru"),
        ("LaporanHarian", "bukti_dukung", "www.contoh.id", "http"),
    ],
)
def test_columns_refuse_bad_values_in_indonesian(sheet: str, key: str, raw: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        schema.sheet(sheet).column(key).parse(raw)


def test_validate_reports_required_and_unknown_columns() -> None:
    _clean, problems = schema.sheet("Unit").validate({"kode": "A", "warna": "biru"})
    assert problems == {
        "warna": "kolom 'warna' tidak dikenal di lembar Unit",
        "nama": "wajib diisi",
        "jenis": "wajib diisi",
    }


def test_a_malformed_schema_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "Rusak.yaml").write_text(
        "sheet: Rusak\ntitle: R\nkind: master\ndescription: d\nkey: id\ncolumns:\n"
        "  - {key: id, header: ID, type: string, description: d}\n"
        "  - {key: Status, header: ID, type: enum, description: d}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as err:
        schema.load_all(tmp_path)
    text = str(err.value)
    assert "headers must be unique" in text and "lower_snake_case" in text and "enum" in text

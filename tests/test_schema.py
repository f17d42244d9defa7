from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


# -- what a person types: dates exactly TTTT-BB-HH, numbers in plain ASCII digits --------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "2026-12-05XYZ",  # was stored as 2026-12-05 (the first ten characters)
        "20261205",  # the ISO basic format, which date.fromisoformat also takes
        "2026-12-05T08:00",
        "2026-12-5",
        "05-12-2026",
        "٢٠٢٦-١٢-٠٥",  # Arabic-Indic digits
        "２０２６-１２-０５",  # full-width digits
        "2026-12-05\n1",
        "2026-02-30",
        "2026-W49-1",
    ],
)
def test_a_date_is_only_taken_as_exactly_tttt_bb_hh(raw: str) -> None:
    with pytest.raises(ValueError, match="TTTT-BB-HH"):
        schema.sheet("LaporanHarian").column("tanggal").parse(raw)


@pytest.mark.parametrize(
    "key, raw",
    [
        ("kuantitas", "1_0"),  # float() takes underscores: was stored as 10
        ("kuantitas", "٣"),  # int() and float() take Arabic-Indic digits: was stored as 3
        ("kuantitas", "３"),
        ("kuantitas", "1e3"),
        ("kuantitas", "1 000"),
        ("kuantitas", "1.000,5"),
        ("kuantitas", "2,,5"),
        ("kuantitas", ",5"),
        ("kuantitas", "5,"),
        ("kuantitas", "+5"),
        ("kuantitas", "0x10"),
        ("kuantitas", "Infinity"),
        ("kuantitas", "nan"),
        ("durasi_menit", "6_0"),
        ("durasi_menit", "٦٠"),
        ("durasi_menit", "6 0"),
    ],
)
def test_a_typed_number_is_only_ascii_digits_with_one_decimal_comma(key: str, raw: str) -> None:
    with pytest.raises(ValueError, match="harus berupa angka"):
        schema.sheet("LaporanHarian").column(key).parse(raw)


@pytest.mark.parametrize(
    "key, raw, expected",
    [("kuantitas", "2,5", 2.5), ("kuantitas", "2.5", 2.5), ("kuantitas", " 3 ", 3.0), ("durasi_menit", "45", 45)],
)
def test_a_plain_number_is_taken(key: str, raw: str, expected: float) -> None:
    assert schema.sheet("LaporanHarian").column(key).parse(raw) == expected


def test_a_negative_number_is_refused_by_the_range_where_it_makes_no_sense() -> None:
    with pytest.raises(ValueError, match="tidak boleh kurang dari"):
        schema.sheet("LaporanHarian").column("kuantitas").parse("-1")
    assert schema.sheet("Skor").column("perubahan").parse("-2,5") == -2.5


@pytest.mark.parametrize("raw", ["١٩٩٠٠٣٠٣٢٠١٥٠٣١٠٠٣", "19900303201503100３"])
def test_a_nip_is_ascii_digits_only(raw: str) -> None:
    with pytest.raises(ValueError, match="18 digit"):
        schema.sheet("Pegawai").column("nip").parse(raw)


@given(st.text(max_size=12))
def test_any_typed_number_is_taken_only_when_it_is_plain(raw: str) -> None:
    plain = re.fullmatch(r"-?[0-9]+(?:[.,][0-9]+)?", raw.strip()) is not None
    column = schema.sheet("Skor").column("perubahan")  # signed, -100..100
    try:
        value = column.parse(raw)
    except ValueError:
        assert not plain or abs(float(raw.strip().replace(",", "."))) > 100
        return
    assert value is None or plain
    if value is not None:
        assert value == float(raw.strip().replace(",", "."))


@given(st.text(max_size=14))
def test_any_typed_date_is_taken_only_when_it_is_exactly_tttt_bb_hh(raw: str) -> None:
    try:
        value = schema.sheet("LaporanHarian").column("tanggal").parse(raw)
    except ValueError:
        return
    assert value is None or value.isoformat() == raw.strip()

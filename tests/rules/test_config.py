"""Konfigurasi values (functions/rules/config.py): defaults for empty cells, strict reading, loud bad values."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from functions.rules import config
from functions.store.sqlite import SQLiteStore


def put(store: SQLiteStore, key: str, value: str | None) -> None:
    store.upsert("Konfigurasi", [{"kunci": key, "nilai": value}])


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_cell_takes_the_default(store: SQLiteStore, value: str | None) -> None:
    put(store, "laporan_batas_hari", value)
    assert config.get(store, "laporan_batas_hari") == 7
    assert config.all_values(store)["laporan_batas_hari"] == 7


@pytest.mark.parametrize(
    "key, typed, value",
    [
        ("laporan_batas_hari", "3", 3),
        ("bobot_hasil_kerja", "47,5", 47.5),
        ("bobot_hasil_kerja", "47.5", 47.5),
        ("tanggal_mulai_program", "2026-07-15", date(2026, 7, 15)),
        ("tanggal_mulai_program", "", None),
        ("ikm_bobot", " 0,2; 0,1 ", "0,2; 0,1"),
    ],
)
def test_good_values_are_read(store: SQLiteStore, key: str, typed: str, value: object) -> None:
    put(store, key, typed)
    assert config.get(store, key) == value
    assert config.problems(store) == {}


@pytest.mark.parametrize(
    "key, typed, reason",
    [
        ("laporan_batas_hari", "tiga", "digit 0-9"),
        ("laporan_batas_hari", "1_0", "digit 0-9"),
        ("laporan_batas_hari", "\u0663", "digit 0-9"),  # an Arabic-Indic three
        ("laporan_batas_hari", "2.5", "bilangan bulat"),
        ("laporan_batas_hari", "999", "di luar batas 0 sampai 366"),
        ("tanggal_mulai_program", "15-07-2026", "TTTT-BB-HH"),
        ("tanggal_mulai_program", "20260715", "TTTT-BB-HH"),
        ("tanggal_mulai_program", "2026-02-30", "bukan tanggal yang ada"),
        ("ringkasan_pegawai", "Halaman", "salah satu dari email, halaman"),  # strict: exactly as written
        ("ringkasan_pegawai", "halaman saja", "salah satu dari email, halaman"),
    ],
)
def test_a_bad_value_is_logged_loudly_and_listed_never_silently_replaced(
    store: SQLiteStore, caplog: pytest.LogCaptureFixture, key: str, typed: str, reason: str
) -> None:
    put(store, key, typed)
    with caplog.at_level(logging.ERROR, logger="functions.rules.config"):
        value = config.get(store, key)
    assert value == config.check(key, config.DEFAULTS[key].default)  # the default keeps the programme running ...
    assert any(key in r.getMessage() and reason in r.getMessage() for r in caplog.records)  # ... said out loud
    assert reason in config.problems(store)[key]


def test_every_default_passes_its_own_check() -> None:
    for key, option in config.DEFAULTS.items():
        config.check(key, option.default)

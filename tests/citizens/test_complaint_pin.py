"""The reporter's PIN (functions/citizens/complaint_pin.py): derived from the form's seed, shown as XXXX-XXXX, only
its scrypt hash stored, and the first PIN of a complaint the only one that ever matches."""

from __future__ import annotations

import pytest

from functions.citizens import complaint_pin
from functions.citizens.complaints import CODE_ALPHABET
from functions.store.sqlite import SQLiteStore
from tests.conftest import SECRET

SEED = "benihUjiYangCukupPanjang01"


def test_the_same_form_gives_the_same_pin_another_seed_or_key_another() -> None:
    pin = complaint_pin.derive(SECRET, SEED, "aduanUji0001")
    assert len(pin) == 8 and set(pin) <= set(CODE_ALPHABET)
    assert complaint_pin.derive(SECRET, SEED, "aduanUji0001") == pin
    assert complaint_pin.derive(SECRET, SEED + "x", "aduanUji0001") != pin
    assert complaint_pin.derive(SECRET, SEED, "aduanUji0002") != pin
    assert complaint_pin.derive(SECRET + "lain", SEED, "aduanUji0001") != pin


@pytest.mark.parametrize("seed", ["", "pendek", "a" * 65, "benih dengan spasi 1234567"])
def test_a_form_without_a_valid_seed_gets_a_random_pin(seed: str) -> None:
    pins = {complaint_pin.derive(SECRET, seed, "aduanUji0001") for _ in range(5)}
    assert len(pins) == 5


@pytest.mark.parametrize(
    "typed, expected",
    [("K7Q2-MX4P", "K7Q2MX4P"), (" k7q2 mx4p ", "K7Q2MX4P"), ("k7q2mx4p", "K7Q2MX4P"), ("K7Q2-MX4", None),
     ("K7Q2-MX4O", None), ("K7Q2-MX41", None), ("", None), ("K7Q2-MX4P-A", None)],
)  # fmt: skip
def test_a_typed_pin_is_read_in_any_case_with_or_without_dash(typed: str, expected: str | None) -> None:
    assert complaint_pin.normalize(typed) == expected


def test_only_a_hash_is_stored_and_the_first_pin_of_a_complaint_stays(store: SQLiteStore) -> None:
    pin = complaint_pin.derive(SECRET, SEED, "aduanUji0001")
    assert complaint_pin.shown(pin) == f"{pin[:4]}-{pin[4:]}"
    assert complaint_pin.issue(store, "aduanUji0001", pin) is True
    assert complaint_pin.issue(store, "aduanUji0001", pin) is True  # a retry of the same form
    (row,) = store.records("AduanPin")
    assert row["id"] == "aduanUji0001" and row["sidik"].startswith("scrypt$16384$8$1$")
    assert pin not in row["sidik"] and complaint_pin.shown(pin) not in row["sidik"]
    other = complaint_pin.derive(SECRET, "benihOrangLainYangMenebak", "aduanUji0001")
    assert complaint_pin.issue(store, "aduanUji0001", other) is False  # a replay without the form's seed
    assert store.count("AduanPin") == 1
    assert complaint_pin.matches(store, "aduanUji0001", complaint_pin.shown(pin).lower())
    assert not complaint_pin.matches(store, "aduanUji0001", other)
    assert not complaint_pin.matches(store, "aduanUji0002", pin)  # no PIN for that complaint
    assert not complaint_pin.matches(store, "aduanUji0001", "bukan pin")


def test_a_hash_made_with_other_costs_still_matches(store: SQLiteStore) -> None:
    store.append("AduanPin", [{"id": "aduanLama0001", "sidik": complaint_pin._hash("aduanLama0001", "ABCDEFGH", 1024)}])
    assert complaint_pin.matches(store, "aduanLama0001", "ABCD-EFGH")
    assert not complaint_pin.matches(store, "aduanLama0001", "ABCD-EFGJ")

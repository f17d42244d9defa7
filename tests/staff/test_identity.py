from __future__ import annotations

from typing import Any

import pytest

from functions.errors import InvalidLink
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from tests.conftest import SECRET, STAFF_A


def test_token_round_trips_nip_and_version() -> None:
    token = identity.make_token(SECRET, {"nip": STAFF_A, "versi_tautan": 3})
    assert identity.read_token(SECRET, token) == (STAFF_A, 3)
    assert STAFF_A not in token or "." in token  # signed, not a bare NIP


@pytest.mark.parametrize("token", [None, "", "x" * 301, "abc.def", "eyJuaXAiOiIxIn0.AAAA"])
def test_unreadable_tokens_are_invalid(token: str | None) -> None:
    with pytest.raises(InvalidLink):
        identity.read_token(SECRET, token)


def test_token_signed_with_another_key_is_invalid() -> None:
    token = identity.make_token("lain" * 10, {"nip": STAFF_A, "versi_tautan": 1})
    with pytest.raises(InvalidLink):
        identity.read_token(SECRET, token)


def test_raising_the_version_revokes_old_links(store: SQLiteStore, city: dict[str, Any]) -> None:
    person = store.records("Pegawai", where={"nip": STAFF_A})[0]
    old = identity.make_token(SECRET, person)
    assert identity.employee_for_token(store, SECRET, old)["nip"] == STAFF_A
    store.upsert("Pegawai", [{**person, "versi_tautan": 2}])
    with pytest.raises(InvalidLink, match="dicabut"):
        identity.employee_for_token(store, SECRET, old)
    new = identity.make_token(SECRET, store.records("Pegawai", where={"nip": STAFF_A})[0])
    assert identity.employee_for_token(store, SECRET, new)["versi_tautan"] == 2


def test_links_point_at_the_functions() -> None:
    assert identity.report_url("https://x.go.id", "a.b") == "https://x.go.id/submit_report?t=a.b"
    assert identity.review_url("https://x.go.id", "a.b") == "https://x.go.id/review_reports?t=a.b"

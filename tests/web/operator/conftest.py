"""Fixtures of the operator's pages: the demo city, a client of the local app, and signing in as an operator."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient

from functions.demo.seed import operators_of, seed_demo
from functions.runtime import Runtime
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app

DEMO_DAY = date(2026, 12, 4)


@pytest.fixture
def city(runtime: Runtime) -> SQLiteStore:
    """The demo city seeded on DEMO_DAY in the test's own store."""
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    seed_demo(store, DEMO_DAY)
    return store


@pytest.fixture
def client(runtime: Runtime, city: SQLiteStore) -> FlaskClient:
    return create_app(runtime).test_client()


def sign_in(client: FlaskClient, runtime: Runtime, role: str = "Operator BKPP") -> dict[str, Any]:
    """Open the console with the demo operator's personal link: the session cookie stays in the client."""
    person = next(p for p in operators_of(runtime.store) if p["peran"] == role)
    answer = client.get("/operator_console?t=" + identity.make_token(runtime.settings.secret_key, person))
    assert answer.status_code == 303 and answer.headers["Location"] == "/operator_console"  # the token leaves the URL
    assert "HttpOnly" in answer.headers["Set-Cookie"] and "SameSite=Strict" in answer.headers["Set-Cookie"]
    return person

"""CSRF double-submit cookie: the field token is tied to its cookie; the cookie's attributes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote

import pytest
from flask import Request, Response
from werkzeug.test import EnvironBuilder

from functions.errors import Forbidden
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web import csrf
from functions.web.app import create_app
from tests.conftest import SECRET, STAFF_A, token_for


def request(cookie: str | None = None) -> Request:
    headers = [("Cookie", f"{csrf.COOKIE}={cookie}")] if cookie is not None else []
    return Request(EnvironBuilder(path="/", headers=headers).get_environ())


def test_a_visitor_without_cookie_gets_a_new_random_one() -> None:
    first, second = csrf.issue(request(), SECRET), csrf.issue(request(), SECRET)
    assert first.new and second.new
    assert first.cookie != second.cookie and first.token != second.token
    assert 16 <= len(first.cookie) <= 64


def test_a_returning_visitor_keeps_their_cookie_and_gets_the_same_token() -> None:
    first = csrf.issue(request(), SECRET)
    again = csrf.issue(request(first.cookie), SECRET)
    assert not again.new
    assert (again.cookie, again.token) == (first.cookie, first.token)


@pytest.mark.parametrize("cookie", ["", "pendek", "x" * 65, "a" * 20 + "!", "a" * 20 + ".", "a" * 20 + "%2F"])
def test_a_malformed_cookie_is_replaced(cookie: str) -> None:
    issued = csrf.issue(request(cookie), SECRET)
    assert issued.new and issued.cookie != cookie


def test_the_token_of_its_own_cookie_passes() -> None:
    issued = csrf.issue(request(), SECRET)
    csrf.check(request(issued.cookie), {csrf.FIELD: issued.token}, SECRET)


@pytest.mark.parametrize("case", ["no cookie", "no field", "empty field", "other cookie", "other secret", "raw cookie"])
def test_a_token_not_tied_to_the_cookie_is_refused(case: str) -> None:
    mine, theirs = csrf.issue(request(), SECRET), csrf.issue(request(), SECRET)
    cookie: str | None = mine.cookie
    form = {csrf.FIELD: mine.token}
    if case == "no cookie":
        cookie = None
    elif case == "no field":
        form = {}
    elif case == "empty field":
        form = {csrf.FIELD: ""}
    elif case == "other cookie":
        form = {csrf.FIELD: theirs.token}
    elif case == "other secret":
        form = {csrf.FIELD: csrf.issue(request(mine.cookie), "k" * 40).token}
    elif case == "raw cookie":
        form = {csrf.FIELD: mine.cookie}
    with pytest.raises(Forbidden) as err:
        csrf.check(request(cookie), form, SECRET)
    assert err.value.status == 403
    assert "Muat ulang halaman" in err.value.message


def set_cookie(secure: bool, new: bool = True) -> list[str]:
    issued = csrf.issue(request(), SECRET)
    response = csrf.attach(Response("ok"), replace(issued, new=new), secure=secure)
    return response.headers.getlist("Set-Cookie")


def test_the_cookie_is_httponly_samesite_lax_for_the_whole_site() -> None:
    (header,) = set_cookie(secure=False)
    attributes = [part.strip() for part in header.split(";")]
    assert attributes[0].startswith(f"{csrf.COOKIE}=")
    assert "HttpOnly" in attributes and "SameSite=Lax" in attributes and "Path=/" in attributes
    assert "Secure" not in attributes


def test_the_cookie_is_secure_when_asked() -> None:
    (header,) = set_cookie(secure=True)
    assert "Secure" in [part.strip() for part in header.split(";")]


def test_a_known_cookie_is_not_set_again() -> None:
    assert set_cookie(secure=True, new=False) == []


@pytest.mark.parametrize(
    "base_url, secure", [("http://127.0.0.1:8080", False), ("https://kinerja.example.go.id", True)]
)
def test_form_pages_set_a_secure_cookie_when_the_base_url_is_https(
    settings: Settings, store: SQLiteStore, city: dict[str, Any], base_url: str, secure: bool
) -> None:
    runtime = Runtime(settings=replace(settings, base_url=base_url), store=store)
    client = create_app(runtime).test_client()
    page = client.get(f"/submit_report?t={quote(token_for(store, STAFF_A))}")
    assert page.status_code == 200
    (header,) = page.headers.getlist("Set-Cookie")
    attributes = [part.strip() for part in header.split(";")]
    assert "HttpOnly" in attributes and "SameSite=Lax" in attributes
    assert ("Secure" in attributes) is secure
    cookie = attributes[0].split("=", 1)[1]
    assert f'name="csrf" value="{csrf.issue(request(cookie), SECRET).token}"' in page.text

"""Headers of every response: a content policy without 'unsafe-inline', no framing anywhere, the Host allow-list,
HEAD answered as GET and an Allow header listing what each page answers."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from functions.rendering import FORMS_DIR
from functions.runtime import Runtime
from functions.web import headers
from functions.web.app import create_app
from tests.conftest import STAFF_A, SUPERVISOR, token_for
from tests.support.browser import live_server, phone_page

TEMPLATES = FORMS_DIR / "templates"
# Emails carry their layout in style attributes (mail clients drop <style>); the QR posters are files printed from
# disk, never served. Every other template is a page under the policy.
NOT_PAGES = {"poster.html"}


def page_templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.glob("*.html") if p.name not in NOT_PAGES)


@pytest.mark.parametrize("template", page_templates(), ids=lambda p: p.name)
def test_no_page_template_has_inline_script_or_style(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    # A script only as a file of the app: <script src="..." defer></script>, nothing between the tags.
    text = re.sub(r'<script src="[^"]+" defer></script>', "", text)
    assert not re.search(r"<script", text, re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", text, re.IGNORECASE)  # onclick=, onsubmit=, ...
    assert not re.search(r"\sstyle\s*=", text, re.IGNORECASE)
    assert "<style" not in text or template.name == "base.html"


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


def pages(runtime: Runtime) -> list[str]:
    staff, supervisor = quote(token_for(runtime.store, STAFF_A)), quote(token_for(runtime.store, SUPERVISOR))
    return [
        "/",
        f"/submit_report?t={staff}",
        f"/review_reports?t={supervisor}",
        f"/rate_behaviour?t={supervisor}",
        f"/team_scores?t={supervisor}",
        f"/handle_complaints?t={staff}",
        "/submit_complaint",
        "/complaint_status",
        "/submit_survey?unit=KEL-UJI",
    ]


def test_pages_allow_only_their_own_style_block_and_no_inline_anything(client: FlaskClient, runtime: Runtime) -> None:
    for url in pages(runtime):
        answer = client.get(url)
        assert answer.status_code == 200, url
        policy = answer.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and answer.headers["X-Frame-Options"] == "DENY"
        (style,) = re.findall(r"<style>(.*?)</style>", answer.text, re.S)
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"style-src 'sha256-{digest}'" in policy, url  # the block the page holds is the one allowed


def test_every_response_refuses_to_be_framed(client: FlaskClient, runtime: Runtime) -> None:
    supervisor = quote(token_for(runtime.store, SUPERVISOR))
    answers = {
        "json": client.get("/healthz"),
        "not found": client.get("/tidak-ada"),
        "error page": client.get("/submit_report?t=palsu"),
        "redirect": client.post(f"/rate_behaviour?t={supervisor}", data={}),  # 403 CSRF, still guarded
        "scheduled json": client.get("/compute_scores"),
        "method": client.put("/submit_complaint"),
    }
    for name, answer in answers.items():
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"], name
        assert answer.headers["X-Frame-Options"] == "DENY", name
        assert answer.headers["X-Content-Type-Options"] == "nosniff", name


def test_a_redirect_after_a_decision_refuses_to_be_framed(client: FlaskClient, runtime: Runtime) -> None:
    from tests.support.pages import activity_fields, post_form

    staff, supervisor = quote(token_for(runtime.store, STAFF_A)), quote(token_for(runtime.store, SUPERVISOR))
    day = runtime.today()
    report = {"id_kiriman": "dibingkai0000001", **activity_fields(0, day, f"{STAFF_A}-{day.year}-1")}
    assert post_form(client, f"/submit_report?t={staff}", report).status_code == 200
    decision = {"status-dibingkai0000001-1": "Disetujui"}
    answer = post_form(client, f"/review_reports?t={supervisor}", decision)
    assert answer.status_code == 303
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


def test_protect_keeps_a_policy_and_adds_what_it_lacks() -> None:
    from flask import Response

    own = headers.protect(Response(headers={"Content-Security-Policy": "default-src 'none';"}))
    assert own.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    kept = headers.protect(Response(headers={"Content-Security-Policy": "frame-ancestors 'self'"}))
    assert kept.headers["Content-Security-Policy"] == "frame-ancestors 'self'"


# -- the Host allow-list -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1:8080", "127.0.0.1", "localhost:8080", "localhost"])
def test_the_local_server_answers_its_own_hosts(client: FlaskClient, host: str) -> None:
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["penyerang.example", "127.0.0.1.nip.io:8080", "kinerja.semarangkota.go.id", "a b"])
def test_another_host_is_400_with_an_indonesian_message(client: FlaskClient, runtime: Runtime, host: str) -> None:
    answer = client.get("/submit_complaint", headers={"Host": host})
    assert answer.status_code == 400
    assert "Alamat yang dibuka tidak dikenal server ini (header Host)" in answer.text
    assert runtime.settings.base_url in answer.text


def test_the_hosts_come_from_the_base_url(runtime: Runtime) -> None:
    public = replace(runtime.settings, base_url="https://kinerja.semarangkota.go.id")
    assert headers.trusted_hosts(public) == ["127.0.0.1", "kinerja.semarangkota.go.id", "localhost"]
    assert headers.trusted_hosts(replace(public, environment="production")) == ["kinerja.semarangkota.go.id"]
    app = create_app(replace(runtime, settings=public))
    answer = app.test_client().get("/healthz", headers={"Host": "kinerja.semarangkota.go.id"})
    assert answer.status_code == 200


# -- methods -------------------------------------------------------------------------------------------------------


def test_head_is_answered_like_get_without_a_body(client: FlaskClient, runtime: Runtime) -> None:
    for url in pages(runtime):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.data == b"" and head.headers["Content-Type"] == got.headers["Content-Type"]


@pytest.mark.parametrize(
    "path, allowed",
    [
        ("/submit_report", "GET, HEAD, POST"),
        ("/review_reports", "GET, HEAD, POST"),
        ("/rate_behaviour", "GET, HEAD, POST"),
        ("/handle_complaints", "GET, HEAD, POST"),
        ("/submit_complaint", "GET, HEAD, POST"),
        ("/submit_survey", "GET, HEAD, POST"),
        ("/complaint_status", "GET, HEAD, POST"),  # POST: the reporter's side, with the PIN
        ("/team_scores", "GET, HEAD"),
        ("/home", "GET, HEAD"),
        ("/transparansi", "GET, HEAD"),
        ("/suara_warga", "GET, HEAD, POST"),
    ],
)
@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"])
def test_other_methods_are_405_listing_only_what_the_page_answers(
    client: FlaskClient, runtime: Runtime, path: str, allowed: str, method: str
) -> None:
    if allowed == "GET, HEAD":
        answer = client.open(f"{path}?t={quote(token_for(runtime.store, SUPERVISOR))}", method="POST")
        assert answer.status_code == 405 and answer.headers["Allow"] == allowed
    answer = client.open(path, method=method)
    assert answer.status_code == 405
    assert answer.headers["Allow"] == allowed
    assert "Metode permintaan tidak didukung" in answer.text


# -- in a browser: the pages render under their policy -------------------------------------------------------------


@pytest.mark.browser
def test_the_pages_show_styled_under_the_policy_without_a_violation(runtime: Runtime, city: dict[str, Any]) -> None:
    app = create_app(replace(runtime, settings=replace(runtime.settings, rate_limit=100_000)))
    with live_server(app) as base, phone_page() as page:
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))  # type: ignore[attr-defined]
        for url in pages(runtime):
            page.goto(base + url)  # type: ignore[attr-defined]
            colour = page.evaluate(  # type: ignore[attr-defined]
                "getComputedStyle(document.querySelector('header.bar')).backgroundColor"
            )
            assert colour == "rgb(11, 79, 138)", url  # style.css applied: --biru
        assert not [m for m in messages if "Content Security Policy" in m], messages

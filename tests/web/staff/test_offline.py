"""The offline app's files as the report function serves them: types, caching, policies, the manifest and its
icons; the report page links them and registers the worker only there."""

from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import quote, urljoin

import pytest
from flask.testing import FlaskClient

from functions.runtime import Runtime
from functions.web.app import create_app
from tests.conftest import STAFF_A, SUPERVISOR, token_for


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


@pytest.mark.parametrize(
    ("name", "content_type", "cache_control"),
    [
        ("sw.js", "text/javascript; charset=utf-8", "no-cache"),
        ("antrean.js", "text/javascript; charset=utf-8", "no-cache"),
        ("laporan.js", "text/javascript; charset=utf-8", "no-cache"),
        ("manifest.webmanifest", "application/manifest+json; charset=utf-8", "no-cache"),
        ("ikon-192.png", "image/png", "public, max-age=604800"),
        ("ikon-512.png", "image/png", "public, max-age=604800"),
    ],
)
def test_each_file_answers_with_its_type_caching_and_protection(
    client: FlaskClient, name: str, content_type: str, cache_control: str
) -> None:
    answer = client.get(f"/submit_report?aset={name}")  # no personal link needed
    assert answer.status_code == 200 and answer.data
    assert answer.headers["Content-Type"] == content_type
    assert answer.headers["Cache-Control"] == cache_control
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    again = client.get(f"/submit_report?aset={name}", headers={"If-None-Match": answer.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")


def test_scripts_carry_a_policy_without_inline_code_or_eval(client: FlaskClient) -> None:
    for name in ("sw.js", "antrean.js", "laporan.js"):
        policy = client.get(f"/submit_report?aset={name}").headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe" not in policy


def test_head_of_the_worker_is_its_get_without_a_body(client: FlaskClient) -> None:
    answer = client.head("/submit_report?aset=sw.js")
    assert (answer.status_code, answer.headers["Content-Type"], answer.data) == (
        200,
        "text/javascript; charset=utf-8",
        b"",
    )


@pytest.mark.parametrize("name", ["../settings.py", "templates/base.html", "sw", "", "SW.JS"])
def test_an_unknown_file_is_404_in_words(client: FlaskClient, name: str) -> None:
    answer = client.get(f"/submit_report?aset={quote(name)}")
    assert answer.status_code == 404
    assert "Berkas yang diminta tidak ada." in answer.get_data(as_text=True)


def test_a_post_naming_a_file_still_needs_the_personal_link(client: FlaskClient) -> None:
    assert client.post("/submit_report?aset=sw.js", data={"kegiatan-0": "x"}).status_code == 403


def test_the_manifest_starts_the_installed_app_at_the_personal_link(runtime: Runtime, client: FlaskClient) -> None:
    from PIL import Image

    token = token_for(runtime.store, STAFF_A)
    page_url = f"http://localhost/submit_report?t={quote(token)}"
    manifest_url = f"http://localhost/submit_report?aset=manifest.webmanifest&t={quote(token)}"
    manifest = json.loads(client.get(manifest_url).data)
    assert (manifest["lang"], manifest["display"], manifest["short_name"]) == ("id", "standalone", "Laporan Harian")
    assert urljoin(manifest_url, manifest["start_url"]) == page_url
    assert page_url.startswith(urljoin(manifest_url, manifest["scope"]))
    assert {icon["purpose"] for icon in manifest["icons"]} == {"any", "maskable"}
    for icon in manifest["icons"]:
        answer = client.get(urljoin(manifest_url, icon["src"]))
        assert answer.headers["Content-Type"] == icon["type"] == "image/png"
        width, height = Image.open(io.BytesIO(answer.data)).size
        assert icon["sizes"] == f"{width}x{height}" and width in (192, 512)
    assert "start_url" not in json.loads(client.get("/submit_report?aset=manifest.webmanifest").data)


def test_only_the_report_page_links_the_offline_app(runtime: Runtime, client: FlaskClient) -> None:
    token = quote(token_for(runtime.store, STAFF_A))
    page = client.get(f"/submit_report?t={token}").get_data(as_text=True)
    assert f'<link rel="manifest" href="submit_report?aset=manifest.webmanifest&amp;t={token}">' in page
    assert '<script src="submit_report?aset=laporan.js" defer></script>' in page
    assert (
        'id="antrean" role="status" aria-live="polite" data-sw="submit_report?aset=sw.js" data-sw-scope="submit_report"'
        in page
    )
    review = client.get(f"/review_reports?t={quote(token_for(runtime.store, SUPERVISOR))}").get_data(as_text=True)
    landing = client.get("/").get_data(as_text=True)
    for other in (review, landing):
        assert "manifest" not in other and "<script" not in other


def test_a_refused_link_shows_the_error_with_what_the_phone_kept(runtime: Runtime, client: FlaskClient) -> None:
    store = runtime.store
    token = quote(token_for(store, STAFF_A))
    store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAFF_A})[0], "versi_tautan": 2}])
    page = client.get(f"/submit_report?t={token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and page.headers["Cache-Control"] == "no-store"
    assert '<p id="pesan-galat">Tautan pribadi ini sudah dicabut.' in text
    assert '<script src="submit_report?aset=laporan.js" defer></script>' in text and 'id="antrean-ditolak"' in text
    assert "manifest" not in text and "form-laporan" not in text  # nothing to install, nothing to send
    posted = client.post(f"/submit_report?t={token}", data={"kegiatan-0": "x"})
    assert posted.status_code == 403 and "<script" not in posted.get_data(as_text=True)

"""In a real browser on a phone: the transparency page of the demo city, and a counter tablet in kiosk mode."""

from __future__ import annotations

from typing import Any

import pytest

from functions.citizens import kiosk
from functions.citizens.ikm import UNSUR
from functions.demo.seed import seed_demo
from functions.runtime import Runtime
from functions.web.app import create_app
from tests.support.browser import live_server, phone_page, screenshot
from tests.support.towns import DOCTOR, SERVICE

pytestmark = pytest.mark.browser


def test_the_transparency_page_reads_on_a_phone_without_sideways_scrolling(runtime: Runtime) -> None:
    seed_demo(runtime.store, runtime.today())
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/")
        page.click("#formulir-warga >> text=Transparansi layanan publik")
        page.wait_for_selector("#kota")
        assert "IKM" in page.inner_text("#kota") and "responden" in page.inner_text("#kota")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "transparansi-kota")
        page.locator("#daftar-unit a").first.click()
        page.wait_for_selector("#unit")
        assert "Per layanan" in page.inner_text("#unit") and page.locator("#unit meter").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "transparansi-unit")
        page.set_viewport_size({"width": 320, "height": 640})
        for address in (page.url, f"{base}/transparansi"):
            page.goto(address)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, address


def test_a_counter_tablet_returns_to_an_empty_form_after_the_thanks(runtime: Runtime, services: dict[str, Any]) -> None:
    service = runtime.store.records("Layanan", where={"id": SERVICE})[0]
    booth = kiosk.issue(runtime.store, service, "Tablet loket 1", DOCTOR, runtime.now(), "kiosBrowser0001")
    url = kiosk.survey_path(runtime.settings.secret_key, booth)
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/{url}")
        assert page.is_visible("#mode-kios")
        for u in UNSUR:
            page.locator(f"#{u.key} label").nth(2).click()
        page.fill("#saran", "Petugas ramah.")
        page.click("#kirim")
        page.wait_for_selector("#terima-kasih")
        # No tap needed: the page opens an empty form for the next citizen by itself.
        page.wait_for_selector("#form-survei", timeout=20_000)
        assert not page.is_checked("#u1 input[value='3']") and page.input_value("#saran") == ""
        assert page.is_visible("#mode-kios")
    (row,) = runtime.store.records("Survei")
    assert row["saran"] == "Petugas ramah." and row["u1"] == 3

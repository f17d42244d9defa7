"""'Salin ke e-Kinerja' in a real browser on a phone: one tap copies an activity, another the whole day, and the
clipboard then holds exactly the texts written by hand in ``test_ekinerja_page`` (Budi's 3 December 2026, the clock
at 20:39 WIB); without the Clipboard API the text is selected and copied; the page passes axe-core and does not
scroll sideways at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from functions.runtime import Runtime
from functions.staff import identity
from functions.web.app import create_app
from tests.conftest import STAFF_A
from tests.support.browser import live_server, phone_page, screenshot
from tests.web.staff.test_ekinerja_page import FIRST, SECOND, WHOLE_DAY, Clocked, seed_day

pytestmark = pytest.mark.browser


def open_day(page: Any, base: str, runtime: Runtime) -> None:
    token = identity.make_token(
        runtime.settings.secret_key, runtime.store.records("Pegawai", where={"nip": STAFF_A})[0]
    )
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(f"{identity.report_url(base, token)}&salin_ekinerja=2026-12-03")


def clipboard(page: Any) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


def test_one_tap_copies_an_activity_and_the_whole_day_as_written_by_hand(
    runtime: Runtime, city: dict[str, Any]
) -> None:
    seed_day(runtime.store)  # type: ignore[arg-type]
    clocked = Clocked(settings=runtime.settings, store=runtime.store)
    with live_server(create_app(clocked)) as base, phone_page() as page:
        open_day(page, base, clocked)
        assert page.inner_text("h1") == "Salin ke e-Kinerja"
        assert "3 jam 20 menit lagi" in page.inner_text("#batas-ekinerja")
        page.get_by_role("button", name="Salin kegiatan 2: Melayani warga di loket kelurahan").tap()
        expect(page.locator("#status-salin")).to_contain_text("Kegiatan 2 tersalin")
        expect(page.locator('button[data-salin="salin-2"]')).to_have_text("Tersalin \u2713")
        assert clipboard(page) == SECOND
        page.get_by_role("button", name="Salin kegiatan 1: Menerbitkan surat pengantar").tap()
        expect(page.locator("#status-salin")).to_contain_text("Kegiatan 1 tersalin")
        assert clipboard(page) == FIRST
        page.get_by_role("button", name="Salin semua kegiatan Kamis, 3 Desember 2026").tap()
        expect(page.locator("#status-salin")).to_contain_text("Semua kegiatan")
        assert clipboard(page) == WHOLE_DAY
        screenshot(page, "salin-ekinerja-390")

        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()

        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_without_the_clipboard_api_the_text_is_selected_and_copied(runtime: Runtime, city: dict[str, Any]) -> None:
    seed_day(runtime.store)  # type: ignore[arg-type]
    clocked = Clocked(settings=runtime.settings, store=runtime.store)
    with live_server(create_app(clocked)) as base, phone_page() as page:
        page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
        open_day(page, base, clocked)
        page.get_by_role("button", name="Salin semua kegiatan Kamis, 3 Desember 2026").tap()
        expect(page.locator("#status-salin")).not_to_be_empty()
        selected = page.evaluate(
            "(() => { const a = document.getElementById('salin-hari');"
            " return a.value.substring(a.selectionStart, a.selectionEnd); })()"
        )
        assert selected == WHOLE_DAY

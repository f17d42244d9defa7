"""The acceptance of Suara Warga in a real browser: a citizen posts a suggestion on a phone (390 px), the unit's
operator publishes it with the personal data edited out and declines another on a desktop, then answers the first;
the suggestion is supported from two devices and only once from one; the declined one is never public, and no public
page shows anything of the poster."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from functions.runtime import Runtime
from functions.settings import Settings
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import employee
from tests.support.browser import live_server, phone_page, screenshot
from tests.support.towns import SERVICE, UNIT

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "id-ID", "is_mobile": True, "has_touch": True}
OPERATOR = "199504042020121006"
TEXT = "Saya Sri Rahayu, HP 0813 2222 3333. Antrean pemeriksaan umum terlalu lama, mohon nomor antrean lewat WhatsApp."
EDITED = "Antrean pemeriksaan umum terlalu lama, mohon nomor antrean lewat WhatsApp."
ABUSE = "Petugas loket bodoh semua, beli obat murah di toko kami 0899 1111 2222."
REASON = "Kata kasar dan promosi."
ANSWER = "Mulai Senin nomor antrean dapat diambil lewat WhatsApp 08.00-10.00."
NEVER_PUBLIC = ("Sri Rahayu", "0813 2222 3333", ABUSE, "0899 1111 2222", REASON, OPERATOR, "Operator Puskesmas")


def scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def accessible(page: Any) -> None:
    """The page passes axe-core's checks."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def check_public(page: Any) -> None:
    """A public page at 390 px: nothing of the poster, the declined post or the operator, no sideways scroll, and
    accessible."""
    accessible(page)
    content = page.content()
    for secret in NEVER_PUBLIC:
        assert secret not in content, secret
    for cookie in page.context.cookies():
        assert cookie["value"] not in content
    assert scroll_width(page) <= 390


def supporters(page: Any) -> str:
    return str(page.inner_text("#daftar-suara .dukungan")).strip()


@pytest.mark.usefixtures("services")
def test_forum_post_publish_answer_support_twice_from_two_devices_and_once_from_one(
    settings: Settings, store: SQLiteStore
) -> None:
    runtime = Runtime(settings=replace(settings, rate_limit=1000), store=store)
    operator = employee(OPERATOR, "Operator Puskesmas", UNIT, None, peran="Operator OPD")
    store.upsert("Pegawai", [operator])
    console = identity.console_url("", identity.make_token(settings.secret_key, operator))
    with live_server(create_app(runtime)) as base, phone_page() as browser_page:
        page: Any = browser_page
        browser = page.context.browser

        # A citizen finds the service in the forum's index and posts two texts on a phone.
        page.goto(f"{base}/suara_warga")
        page.click(f"a[href='suara_warga?layanan={SERVICE}']")
        page.wait_for_selector("#form-suara")
        check_public(page)
        page.check("input[name=jenis][value=Saran]")
        page.fill("#teks", TEXT)
        screenshot(page, "suara-isi")
        page.click("#kirim")
        page.wait_for_selector("#suara-diterima")
        assert TEXT not in page.content()  # the thanks page shows no text of the post
        screenshot(page, "suara-diterima")
        page.click("#kembali")
        page.fill("#teks", ABUSE)
        page.click("#kirim")
        page.wait_for_selector("#suara-diterima")
        page.click("#kembali")
        page.wait_for_selector("#belum-ada")  # nothing public before the operator's check
        check_public(page)

        # The unit's operator, on a desktop: edits the personal data out and publishes, declines the other.
        desk = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID").new_page()
        desk.goto(f"{base}{console}")
        desk.click("nav >> text=Suara Warga")
        cards = desk.locator("#suara-menunggu > li")
        assert cards.count() == 2
        first = cards.filter(has_text="Sri Rahayu")
        accessible(desk)
        first.locator("textarea[name=teks]").fill(EDITED)
        screenshot(desk, "suara-konsol-periksa")
        first.locator("button", has_text="Terbitkan").click()
        desk.wait_for_selector("#pesan")
        assert "Saran diterbitkan." in desk.inner_text("#pesan")
        other = desk.locator("#suara-menunggu > li").filter(has_text="bodoh")
        other.locator("input[name=alasan]").fill(REASON)
        other.locator("button", has_text="Tolak").click()
        desk.wait_for_selector("#pesan")
        assert "ditolak" in desk.inner_text("#pesan")
        assert desk.locator("#suara-menunggu").count() == 0

        # The unit answers in public.
        published = desk.locator("#suara-terbit > li").filter(has_text=EDITED)
        published.locator("form.form-dijawab textarea").fill(ANSWER)
        published.locator("form.form-dijawab button").click()
        desk.wait_for_selector("#pesan")
        assert "dijawab" in desk.inner_text("#pesan")
        accessible(desk)
        screenshot(desk, "suara-konsol-dijawab")

        # The citizen sees the answer and supports it; a second press on the same phone counts nothing.
        page.reload()
        page.wait_for_selector("#daftar-suara")
        assert page.inner_text("#daftar-suara .status") == "Dijawab"
        assert EDITED in page.inner_text("#daftar-suara") and ANSWER in page.inner_text("#daftar-suara")
        assert "Dijawab dalam 0 hari kerja." in page.inner_text("#daftar-suara")
        assert supporters(page) == "0 warga mendukung"
        check_public(page)
        page.click("#daftar-suara button")
        page.wait_for_selector("#pesan")
        assert "dukungan Anda tercatat" in page.inner_text("#pesan") and supporters(page) == "1 warga mendukung"
        check_public(page)
        page.click("#daftar-suara button")
        page.wait_for_selector("#pesan")
        assert "sudah mendukung" in page.inner_text("#pesan") and supporters(page) == "1 warga mendukung"
        screenshot(page, "suara-didukung")

        # Another phone supports it too.
        second = browser.new_context(**PHONE).new_page()
        second.goto(f"{base}/suara_warga?layanan={SERVICE}")
        second.click("#daftar-suara button")
        second.wait_for_selector("#pesan")
        assert supporters(second) == "2 warga mendukung"
        check_public(second)
        second.goto(f"{base}/suara_warga")
        assert "1 saran terbit, 1 dijawab" in second.inner_text("main")
        check_public(second)
        for url in (f"{base}/suara_warga", f"{base}/suara_warga?layanan={SERVICE}"):  # a small phone: 320 px
            second.set_viewport_size({"width": 320, "height": 640})
            second.goto(url)
            assert scroll_width(second) <= 320, url
        second.context.close()
        desk.context.close()
    assert store.count("DukunganSuara") == 2
    assert [e["jenis"] for e in store.records("SuaraWargaPeristiwa")] == ["Diterbitkan", "Ditolak", "Dijawab"]

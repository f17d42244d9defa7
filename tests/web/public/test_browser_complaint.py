"""End to end in a real browser: a citizen files a complaint on a phone, the unit answers, the citizen sees it."""

from __future__ import annotations

from typing import Any

import pytest

from functions.citizens import complaints
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import token_for
from tests.support.browser import live_server, phone_page, screenshot
from tests.support.towns import DUKCAPIL, STAFF_A

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
TEXT = "Lampu penerangan jalan di depan Kantor Kelurahan Pleburan mati sejak seminggu, jalan gelap pada malam hari."
ANSWER = "Petugas sudah mengganti lampu pada 30 November; terima kasih atas laporan Anda."


def scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def lines_of(page: Any, selector: str) -> int:
    """How many lines the text of an element takes on screen."""
    script = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    return int(page.eval_on_selector(selector, script))


@pytest.mark.usefixtures("town")
def test_citizen_files_on_a_phone_the_unit_answers_and_the_citizen_sees_the_answer(
    runtime: Runtime, store: SQLiteStore
) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as browser_page:
        page: Any = browser_page
        # The citizen opens the link of the unit's poster and fills the form.
        page.goto(f"{base}/submit_complaint?unit={DUKCAPIL}")
        assert page.input_value("#unit") == DUKCAPIL
        assert page.is_checked("input[name=privasi][value=Biasa]")
        assert scroll_width(page) <= PHONE_WIDTH
        page.select_option("#kategori", "Infrastruktur")
        page.fill("#uraian", TEXT)
        page.fill("#telepon", "0812 3456 7890")
        screenshot(page, "aduan-isi")
        page.click("#kirim")
        page.wait_for_selector("#kode-pelacakan")
        code = page.inner_text("#kode-pelacakan").strip()
        assert complaints.CODE_RE.match(code)
        assert lines_of(page, "#kode-pelacakan") == 1  # the code is not broken mid-group
        assert scroll_width(page) <= PHONE_WIDTH
        screenshot(page, "aduan-kode")

        # The status page, from the button under the code.
        page.click("#lihat-status")
        page.wait_for_selector("#status")
        assert page.inner_text("#status") == "Diterima"
        assert code in page.inner_text("header")
        assert TEXT in page.inner_text("#uraian")
        assert scroll_width(page) <= PHONE_WIDTH
        screenshot(page, "aduan-status-diterima")

        # Staff of the unit open their personal link in another tab and answer.
        (row,) = store.records("Aduan")
        staff = page.context.new_page()
        staff.goto(f"{base}/handle_complaints?t={token_for(store, STAFF_A)}")
        card = f"#aduan-{row['id']}"
        assert code in staff.inner_text(card)
        assert "0812 3456 7890" in staff.inner_text(card)  # the handling unit sees the contact
        staff.select_option(f"{card} select[name=jenis]", "Ditindaklanjuti")
        staff.fill(f"{card} textarea[name=catatan]", ANSWER)
        assert scroll_width(staff) <= PHONE_WIDTH
        screenshot(staff, "aduan-penanganan")
        staff.click(f"{card} button[type=submit]")
        staff.wait_for_selector("#tersimpan")
        assert "Ditindaklanjuti" in staff.inner_text("#tersimpan")
        screenshot(staff, "aduan-penanganan-tersimpan")
        staff.close()

        # The citizen reloads the status page.
        page.reload()
        page.wait_for_selector("#status")
        assert page.inner_text("#status") == "Ditindaklanjuti"
        assert ANSWER in page.inner_text("#perkembangan")
        assert "0812 3456 7890" not in page.content()
        screenshot(page, "aduan-status-ditindaklanjuti")
    assert [e["jenis"] for e in store.records("AduanPeristiwa")] == ["Diterima", "Ditindaklanjuti"]
    assert store.records("AduanPeristiwa")[1]["oleh_nip"] == STAFF_A

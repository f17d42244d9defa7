"""End to end in a real browser: a supervisor approves a filtered list in bulk from a phone; staff and supervisor
pages hold a long unbroken word without sideways scrolling at 320 px."""

from __future__ import annotations

from typing import Any

import pytest

from functions.runtime import Runtime
from functions.web.app import create_app
from tests.conftest import STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.browser import live_server, phone_page, screenshot
from tests.web.staff.test_review_page import report

pytestmark = pytest.mark.browser


def status(runtime: Runtime, activity_id: str) -> str:
    return str(runtime.store.records("LaporanHarian", where={"id": activity_id})[0]["verifikasi"])


def test_bulk_approval_of_a_filtered_list_on_a_phone(runtime: Runtime, city: dict[str, Any]) -> None:
    today = runtime.today()
    budi = [report(runtime, STAFF_A, f"kirimanA000{n}", today, f"Surat pengantar {n}") for n in range(3)]
    dewi = [report(runtime, STAFF_B, f"kirimanB000{n}", today, f"Arsip surat {n}") for n in range(2)]
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/review_reports?t={token_for(runtime.store, SUPERVISOR)}")
        assert "Setujui semua yang ditampilkan (5)" in page.inner_text("#setujui-semua")
        page.select_option("#nip", STAFF_B)
        page.click("form.filters button")
        page.wait_for_selector("#setujui-semua")
        assert "Setujui semua yang ditampilkan (2)" in page.inner_text("#setujui-semua")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("#setujui-semua")
        page.wait_for_selector("#konfirmasi-setujui")
        listed = page.inner_text("#akan-disetujui")
        assert "Arsip surat 0" in listed and "Arsip surat 1" in listed and "Surat pengantar" not in listed
        screenshot(page, "setujui-semua-konfirmasi")
        assert {status(runtime, i) for i in budi + dewi} == {"Menunggu"}  # nothing yet
        page.click("#ya-setujui")
        page.wait_for_selector("#tersimpan")
        assert "2 keputusan" in page.inner_text("#tersimpan")
        screenshot(page, "setujui-semua-tersimpan")
    assert [status(runtime, i) for i in dewi] == ["Disetujui", "Disetujui"]
    assert [status(runtime, i) for i in budi] == ["Menunggu"] * 3


def test_a_long_unbroken_word_does_not_scroll_sideways_at_320_px(runtime: Runtime, city: dict[str, Any]) -> None:
    long_word = "Pengarsipan" + "x" * 80
    returned = report(runtime, STAFF_A, "kirimanPanjang1", runtime.today(), long_word)
    runtime.store.set_cells(
        "LaporanHarian", returned, {"verifikasi": "Dikembalikan", "catatan_verifikasi": "Catatan" + "y" * 80}
    )
    staff = f"/submit_report?t={token_for(runtime.store, STAFF_A)}"
    pages = [
        staff,
        f"{staff}&perbaiki={returned}",
        f"/review_reports?t={token_for(runtime.store, SUPERVISOR)}&status=Dikembalikan",
        f"/review_reports?t={token_for(runtime.store, SUPERVISOR)}&setujui=semua",
        f"/rate_behaviour?t={token_for(runtime.store, SUPERVISOR)}",
    ]
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.set_viewport_size({"width": 320, "height": 700})
        for path in pages:
            page.goto(base + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path

"""End to end in a real browser at 390 px: Enter sends the report; a returned activity is fixed, sent again,
verified, and scored once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.scoring import job
from functions.web.app import create_app
from tests.conftest import STAFF_A, SUPERVISOR, token_for
from tests.support.browser import live_server, phone_page, screenshot
from tests.support.clock import at

pytestmark = pytest.mark.browser

WEDNESDAY = datetime(2026, 12, 2, 15, 0, tzinfo=WIB)  # in 2026-W49: Monday 30 November to Sunday 6 December
AFTER_THE_WEEK = datetime(2026, 12, 7, 7, 0, tzinfo=WIB)


def test_enter_in_a_field_sends_the_report(runtime: Runtime, city: dict[str, Any]) -> None:
    clocked = at(runtime, WEDNESDAY)
    with live_server(create_app(clocked)) as base, phone_page() as page:
        page.goto(f"{base}/submit_report?t={token_for(runtime.store, STAFF_A)}")
        page.fill("#kegiatan-0", "Menerbitkan surat pengantar SKCK")
        page.select_option("#id_target-0", f"{STAFF_A}-2026-1")
        page.fill("#durasi_menit-0", "60")
        page.fill("#kuantitas-0", "4")
        page.press("#kuantitas-0", "Enter")  # what Android's Go key does too
        page.wait_for_selector("#konfirmasi")
        assert "sudah tercatat" in page.inner_text("#konfirmasi")
    rows = runtime.store.records("LaporanHarian")
    assert [(r["kegiatan"], r["kuantitas"]) for r in rows] == [("Menerbitkan surat pengantar SKCK", 4)]


def test_enter_in_a_field_with_a_mistake_shows_the_summary_naming_the_block(
    runtime: Runtime, city: dict[str, Any]
) -> None:
    clocked = at(runtime, WEDNESDAY)
    with live_server(create_app(clocked)) as base, phone_page() as page:
        page.goto(f"{base}/submit_report?t={token_for(runtime.store, STAFF_A)}")
        page.fill("#kegiatan-1", "Melayani warga di loket")
        page.select_option("#id_target-1", f"{STAFF_A}-2026-2")
        page.fill("#kuantitas-1", "banyak")
        page.fill("#durasi_menit-1", "30")
        page.press("#durasi_menit-1", "Enter")
        page.wait_for_selector("#ringkasan-galat")
        summary = page.inner_text("#ringkasan-galat")
        assert "Kegiatan 2: Kuantitas: harus berupa angka" in summary
        assert page.locator("fieldset").count() == 2  # not "+ Tambah kegiatan"
        page.click("#ringkasan-galat a[href='#kuantitas-1']")
        assert page.evaluate("document.activeElement.id") == "kuantitas-1"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert runtime.store.count("LaporanHarian") == 0


def test_return_fix_verify_and_the_score_counts_one(runtime: Runtime, city: dict[str, Any]) -> None:
    clocked = at(runtime, WEDNESDAY)
    staff = f"/submit_report?t={token_for(runtime.store, STAFF_A)}"
    boss = f"/review_reports?t={token_for(runtime.store, SUPERVISOR)}"
    with live_server(create_app(clocked)) as base, phone_page() as page:
        page.goto(base + staff)
        page.fill("#kegiatan-0", "Menerbitkan surat pengantar")
        page.select_option("#id_target-0", f"{STAFF_A}-2026-1")
        page.fill("#kuantitas-0", "4")
        page.fill("#durasi_menit-0", "90")
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
        first = runtime.store.records("LaporanHarian")[0]["id"]

        # The supervisor returns it with a note.
        page.goto(base + boss)
        page.check(f"[id='baris-{first}'] input[value=Dikembalikan]")
        page.fill(f"[id='catatan-{first}']", "Jumlah surat tidak sesuai buku agenda: 6.")
        page.click("#simpan")
        page.wait_for_selector("#tersimpan")

        # The staff member fixes it from the list of returned activities.
        page.goto(base + staff)
        assert "Perlu diperbaiki (1)" in page.inner_text("#perlu-diperbaiki")
        page.click("#perlu-diperbaiki a.button")
        assert "Jumlah surat tidak sesuai buku agenda: 6." in page.inner_text("#yang-diperbaiki")
        assert page.input_value("#kegiatan-0") == "Menerbitkan surat pengantar"
        assert page.input_value("#kuantitas-0") == "4"
        page.fill("#kuantitas-0", "6")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "perbaikan-isi")
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
        assert "perbaikan Anda sudah tercatat" in page.inner_text("#konfirmasi")
        correction = next(r for r in runtime.store.records("LaporanHarian") if r["menggantikan"] == first)

        # The supervisor sees it waiting again, marked as a correction, and approves it.
        page.goto(base + boss)
        card = page.locator(f"[id='baris-{correction['id']}']")
        assert "Perbaikan" in card.inner_text() and "Jumlah surat tidak sesuai buku agenda: 6." in card.inner_text()
        box = card.locator("input[value=Disetujui]").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390  # the decision is on screen
        screenshot(page, "perbaikan-verifikasi")
        card.locator("input[value=Disetujui]").check()
        page.click("#simpan")
        page.wait_for_selector("#tersimpan")
    rows = {r["id"]: r for r in runtime.store.records("LaporanHarian")}
    assert (rows[first]["verifikasi"], rows[correction["id"]]["verifikasi"]) == ("Dikembalikan", "Disetujui")
    job.run(runtime.store, AFTER_THE_WEEK, "2026-W49")
    skor = runtime.store.records("Skor", where={"id": f"2026-W49:{STAFF_A}"})[0]
    # 2026-W49 has five working days (30 November - 4 December); 2026 has 240: the target is 1200 x 5 / 240 = 25.
    # Only the correction's 6 counts (the returned 4 does not): 6 / 25 = 24 %.
    assert skor["rincian_hasil_kerja"].startswith("Jumlah surat pengantar yang diterbitkan: 6 / 25,0 surat (24%")

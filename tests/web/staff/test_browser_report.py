"""End to end in a real browser: a phone opens a personal link, reports, a supervisor verifies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from functions.runtime import Runtime
from functions.web.app import create_app
from tests.conftest import STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.browser import live_server, phone_page, screenshot

pytestmark = pytest.mark.browser


def test_staff_reports_two_activities_from_a_phone(runtime: Runtime, city: dict[str, Any]) -> None:
    year = runtime.today().year
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/submit_report?t={token_for(runtime.store, STAFF_A)}")
        assert "Budi Santoso" in page.inner_text("header")
        page.fill("#kegiatan-0", "Menerbitkan surat pengantar SKCK")
        page.select_option("#id_target-0", f"{STAFF_A}-{year}-1")
        page.fill("#kuantitas-0", "4")
        page.fill("#durasi_menit-0", "90")
        page.fill("#bukti_dukung-0", "https://drive.example.go.id/skck")
        yesterday = runtime.today() - timedelta(days=1)
        page.fill("#tanggal-1", yesterday.isoformat())
        page.fill("#kegiatan-1", "Melayani warga di loket")
        page.select_option("#id_target-1", f"{STAFF_A}-{year}-2")
        page.fill("#kuantitas-1", "12")
        page.fill("#durasi_menit-1", "120")
        page.fill("#kendala-1", "Antrean panjang, printer rusak")
        screenshot(page, "laporan-isi")
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
        assert "sudah tercatat" in page.inner_text("#konfirmasi")
        assert "Melayani warga di loket" in page.inner_text("#kegiatan-tercatat")
        screenshot(page, "laporan-terkirim")
        # A phone must not need sideways scrolling for the form.
        page.go_back()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
    rows = runtime.store.records("LaporanHarian")
    assert len(rows) == 2
    first, second = rows
    assert (first["kegiatan"], first["kuantitas"], first["durasi_menit"]) == ("Menerbitkan surat pengantar SKCK", 4, 90)
    assert first["bukti_dukung"] == "https://drive.example.go.id/skck" and first["tanggal"] == runtime.today()
    assert (second["tanggal"], second["satuan"], second["kendala"]) == (
        yesterday,
        "orang",
        "Antrean panjang, printer rusak",
    )
    assert all(r["nip"] == STAFF_A and r["verifikasi"] == "Menunggu" for r in rows)
    assert first["id_kiriman"] == second["id_kiriman"]


def test_field_errors_keep_the_input_in_the_browser(runtime: Runtime, city: dict[str, Any]) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/submit_report?t={token_for(runtime.store, STAFF_A)}")
        page.fill("#kegiatan-0", "Rapat koordinasi")
        page.fill("#kuantitas-0", "banyak")
        page.click("#kirim")
        page.wait_for_selector("#ringkasan-galat")
        assert "Kuantitas: harus berupa angka" in page.inner_text("#ringkasan-galat")
        assert page.input_value("#kegiatan-0") == "Rapat koordinasi"
        assert page.input_value("#kuantitas-0") == "banyak"
    assert runtime.store.count("LaporanHarian") == 0


def test_supervisor_verifies_and_returns_in_the_browser(runtime: Runtime, city: dict[str, Any]) -> None:
    from tests.web.staff.test_review_page import report

    monday = runtime.today() - timedelta(days=runtime.today().weekday())
    a = report(runtime, STAFF_A, "kirimanBrowserA", monday, "Surat pengantar KTP")
    b = report(runtime, STAFF_B, "kirimanBrowserB", monday, "Arsip surat masuk")
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/submit_report?t={token_for(runtime.store, SUPERVISOR)}")
        page.click("text=Verifikasi laporan tim")
        page.wait_for_selector("#laporan-tim")
        page.check(f"#baris-{a} input[value=Disetujui]")
        page.check(f"#baris-{b} input[value=Dikembalikan]")
        page.fill(f"[id='catatan-{b}']", "Mohon lengkapi nomor agenda.")
        page.click("#simpan")
        page.wait_for_selector("#tersimpan")
        assert "2 keputusan" in page.inner_text("#tersimpan")
        screenshot(page, "verifikasi")
    assert runtime.store.records("LaporanHarian", where={"id": a})[0]["verifikasi"] == "Disetujui"
    returned = runtime.store.records("LaporanHarian", where={"id": b})[0]
    assert (returned["verifikasi"], returned["catatan_verifikasi"]) == ("Dikembalikan", "Mohon lengkapi nomor agenda.")

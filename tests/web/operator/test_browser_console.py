"""The BKPP operator works through the console of the demo city on a desktop, in a real browser: imports a CSV
(preview, then Simpan), has a Konfigurasi value refused and another accepted, emails a unit's personal links and
prints that unit's slips."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from functions import schema
from functions.demo.seed import operators_of, seed_demo
from functions.runtime import Runtime
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.support.browser import ARTIFACTS, desktop_page, live_server, screenshot

pytestmark = pytest.mark.browser

DEMO_DAY = date(2026, 12, 4)
NEWCOMER = "200105052025011001"


def write_pegawai(path: Path, store: SQLiteStore) -> str:
    """A Pegawai CSV of BKPP: one person as stored, one with a new jabatan, one newcomer. Returns the changed NIP."""
    same, moved = sorted((p for p in store.records("Pegawai") if p["unit"] == "BKPP" and not p.get("peran")),
                         key=lambda p: p["nip"])[:2]  # fmt: skip
    keys = ["nip", "nama", "jabatan", "unit", "nip_atasan", "email"]
    rows = [same, {**moved, "jabatan": "Analis Kepegawaian Ahli Muda"},
            {**same, "nip": NEWCOMER, "nama": "Rina Kartika, S.Psi.", "email": "rina@semarangkota.go.id"}]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([schema.sheet("Pegawai").column(k).header for k in keys])
        writer.writerows([[row.get(k) or "" for k in keys] for row in rows])
    return moved["nip"]


def test_the_bkpp_operator_imports_configures_sends_links_and_prints_slips(runtime: Runtime, tmp_path: Path) -> None:
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    seed_demo(store, DEMO_DAY)
    operator = operators_of(store)[0]
    token = identity.make_token(runtime.settings.secret_key, operator)
    with live_server(create_app(runtime)) as base, desktop_page() as page:
        page.goto(f"{base}/operator_console?t={token}")
        assert page.url == f"{base}/operator_console"  # the token left the address
        assert "Daftar persiapan" in page.inner_text("main")
        screenshot(page, "konsol-persiapan")

        # Impor data: upload, preview, Simpan.
        changed = write_pegawai(tmp_path / "pegawai.csv", store)
        page.click("nav >> text=Impor data")
        page.set_input_files("#berkas", str(tmp_path / "pegawai.csv"))
        page.click("#lihat-pratinjau")
        counts = page.locator("#jumlah-pratinjau")
        assert " ".join(counts.inner_text().split()) == "1 baru, 1 diubah, 1 tetap, 0 ditolak."
        assert "Jabatan: " in page.inner_text("#diubah-Pegawai") and NEWCOMER in page.inner_text("#baru-Pegawai")
        assert not store.records("Pegawai", where={"nip": NEWCOMER})
        screenshot(page, "konsol-impor-pratinjau")
        page.click("#simpan-impor")
        assert "Pegawai 1 baru, 1 diubah, 1 tetap" in page.inner_text("#hasil-impor")
        assert store.records("Pegawai", where={"nip": changed})[0]["jabatan"] == "Analis Kepegawaian Ahli Muda"
        assert store.records("Pegawai", where={"nip": NEWCOMER})[0]["nama"] == "Rina Kartika, S.Psi."
        screenshot(page, "konsol-impor-tersimpan")

        # Konfigurasi: "tiga" is refused, with its message and the typed value kept; 5 is recorded.
        page.click("nav >> text=Konfigurasi")
        page.fill("#nilai-laporan_batas_hari", "tiga")
        page.click("button[aria-label='Simpan laporan_batas_hari']")
        assert "tulis angka dengan digit 0-9" in page.inner_text("#ringkasan-galat")
        assert page.input_value("#nilai-laporan_batas_hari") == "tiga"
        assert page.get_attribute("#nilai-laporan_batas_hari", "aria-invalid") == "true"
        screenshot(page, "konsol-konfigurasi-ditolak")
        page.fill("#nilai-laporan_batas_hari", "5")
        page.click("button[aria-label='Simpan laporan_batas_hari']")
        assert "laporan_batas_hari diubah dari 7 menjadi 5" in page.inner_text("#pesan")
        assert store.records("Konfigurasi", where={"kunci": "laporan_batas_hari"})[0]["nilai"] == "5"

        # Tautan pribadi: email every person of one unit; the outbox holds one message each.
        staff = [p for p in store.records("Pegawai") if p["unit"] == "KEL-MIROTO" and p.get("aktif") is not False]
        page.click("nav >> text=Tautan pribadi")
        page.select_option("#pilih-unit", "KEL-MIROTO")
        page.click("text=Tampilkan")
        page.click("#kirim-unit")
        assert f"{len(staff)} email tautan terkirim" in page.inner_text("#pesan")
        assert len(list(runtime.settings.outbox_dir.glob("*.eml"))) == len(staff)
        screenshot(page, "konsol-tautan-terkirim")

        # Slips of that unit, printed: one slip with a QR code per person, the page header left out.
        page.click("#cetak-slip")
        page.emulate_media(media="print")
        slips = page.locator(".slip")
        assert slips.count() == len(staff)
        assert all(person["nama"] in page.inner_text(".slips") for person in staff)
        assert page.locator(".slip svg").count() == len(staff)
        assert not page.locator("header.bar").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = page.pdf(path=str(ARTIFACTS / "konsol-slip.pdf"), format="A4", print_background=True)
        assert pdf.startswith(b"%PDF") and len(pdf) > 5_000
        screenshot(page, "konsol-slip-cetak")

"""The report form's photos in a real browser: the phone's script shrinks them before sending; without it the
originals go and the server scales them down itself."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from functions.runtime import Runtime
from functions.web.app import create_app
from tests.conftest import STAFF_A, token_for
from tests.support.browser import live_server, phone_page
from tests.support.photos import phone_jpeg

pytestmark = pytest.mark.browser


def fill_and_pick(page: Any, runtime: Runtime, base: str, files: list[str]) -> None:
    page.goto(f"{base}/submit_report?t={token_for(runtime.store, STAFF_A)}")
    page.fill("#kegiatan-0", "Kunjungan rumah warga lansia")
    page.select_option("#id_target-0", f"{STAFF_A}-{runtime.today().year}-1")
    page.fill("#kuantitas-0", "3")
    page.fill("#durasi_menit-0", "120")
    page.set_input_files("#foto-0", files)


def stored_sizes(runtime: Runtime) -> list[tuple[int, int]]:
    names = str(runtime.store.records("LaporanHarian")[0]["foto"]).split()
    return [Image.open(io.BytesIO((runtime.settings.photo_dir / n).read_bytes())).size for n in names]


def test_the_phone_shrinks_photos_before_sending(runtime: Runtime, city: dict[str, Any], tmp_path: Path) -> None:
    files = []
    for n in range(2):
        path = tmp_path / f"IMG_{n}.JPG"
        path.write_bytes(phone_jpeg(3200, 2400, seed=n, quality=95))
        files.append(str(path))
    with live_server(create_app(runtime)) as base, phone_page() as page:
        fill_and_pick(page, runtime, base, files)
        page.wait_for_function(
            "() => Array.from(document.getElementById('foto-0').files).every(f => f.name.endsWith('.jpg'))"
        )
        sizes = page.evaluate("() => Array.from(document.getElementById('foto-0').files, f => f.size)")
        assert len(sizes) == 2 and all(size < Path(files[0]).stat().st_size // 2 for size in sizes)
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
    assert stored_sizes(runtime) == [(1600, 1200), (1600, 1200)]


def test_without_the_script_the_originals_go(runtime: Runtime, city: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "IMG_0.jpg"
    path.write_bytes(phone_jpeg(3200, 2400))
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.route("**/submit_report?aset=perkecil-foto.js", lambda route: route.abort())
        fill_and_pick(page, runtime, base, [str(path)])
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
    assert stored_sizes(runtime) == [(2048, 1536)]  # the server's own limit of the longest side


def accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_refused_photo_and_the_thumbnails_pass_axe_at_320_px(
    runtime: Runtime, city: dict[str, Any], tmp_path: Path
) -> None:
    from tests.conftest import SUPERVISOR

    pdf = tmp_path / "foto.jpg"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    good = tmp_path / "baik.jpg"
    good.write_bytes(phone_jpeg())
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.route("**/submit_report?aset=perkecil-foto.js", lambda route: route.abort())  # the file goes as it is
        fill_and_pick(page, runtime, base, [str(pdf)])
        page.click("#kirim")
        page.wait_for_selector("#ringkasan-galat")
        assert "Kegiatan 1, foto 1: berkas bukan foto" in page.inner_text("#ringkasan-galat")
        assert page.input_value("#kegiatan-0") == "Kunjungan rumah warga lansia"
        accessible(page)
        page.set_viewport_size({"width": 320, "height": 700})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        page.set_input_files("#foto-0", [str(good)])
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
        page.goto(f"{base}/review_reports?t={token_for(runtime.store, SUPERVISOR)}")
        thumb = page.locator(".foto-bukti-daftar img").first
        assert thumb.get_attribute("alt", timeout=5000).startswith("Foto bukti 1 kegiatan Budi Santoso")
        page.wait_for_function(  # the thumbnail loads through the supervisor's link: 320 px wide
            "() => { const i = document.querySelector('.foto-bukti-daftar img'); "
            "return i && i.complete && i.naturalWidth === 320; }"
        )
        accessible(page)

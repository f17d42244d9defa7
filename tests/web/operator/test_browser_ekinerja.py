"""The BKPP operator imports Kelurahan Pekunden's 2027 SKP from e-Kinerja (tests/staff/samples) in a real browser on
a desktop: chooses the kind, sees the preview, saves it; the page passes axe-core's checks at each step."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from functions.demo.seed import operators_of, seed_demo
from functions.runtime import Runtime
from functions.staff import ekinerja, identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.support.browser import desktop_page, live_server, screenshot

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).parents[2] / "staff" / "samples" / "skp_ekinerja_2027.csv"


def accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_operator_previews_and_saves_an_skp_from_ekinerja(runtime: Runtime) -> None:
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    seed_demo(store, date(2026, 12, 4))
    token = identity.make_token(runtime.settings.secret_key, operators_of(store)[0])
    with live_server(create_app(runtime)) as base, desktop_page() as page:
        page.goto(f"{base}/operator_console?t={token}")
        page.click("nav >> text=Impor data")
        assert "SKP dari e-Kinerja BKN" in page.inner_text("main")
        accessible(page)

        page.set_input_files("#berkas", str(SAMPLE))
        page.select_option("#lembar", ekinerja.KIND)
        page.click("#lihat-pratinjau")
        assert " ".join(page.inner_text("#jumlah-pratinjau").split()) == "5 baru, 0 diubah, 0 tetap, 0 ditolak."
        assert "Terlayaninya surat pengantar warga" in page.inner_text("#baru-Target")
        assert page.input_value("#lembar") == ekinerja.KIND  # the choice is kept for the next upload
        accessible(page)
        screenshot(page, "konsol-impor-skp-ekinerja")

        page.click("#simpan-impor")
        assert "Target 5 baru, 0 diubah, 0 tetap" in page.inner_text("#hasil-impor")
        assert len([t for t in store.records("Target") if t["tahun"] == 2027]) == 5

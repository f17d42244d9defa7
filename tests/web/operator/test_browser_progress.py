"""The BKPP operator imports an e-Kinerja progress export in a real browser on a desktop: the section and its
preview pass axe-core, Simpan writes the rows, and the same file again has nothing to save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from functions.demo.seed import operators_of, seed_demo
from functions.runtime import Runtime
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.support.browser import desktop_page, live_server, screenshot
from tests.web.operator.conftest import DEMO_DAY
from tests.web.operator.test_progress_page import export, person, rows_of

pytestmark = pytest.mark.browser


def accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_operator_previews_and_saves_an_export(runtime: Runtime, tmp_path: Path) -> None:
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    seed_demo(store, DEMO_DAY)
    who, targets = person(store, "DINKES")
    path = tmp_path / "progres.csv"
    path.write_bytes(export(rows_of(who, targets, unknown=True)))
    token = identity.make_token(runtime.settings.secret_key, operators_of(store)[0])
    with live_server(create_app(runtime)) as base, desktop_page() as page:
        page.goto(f"{base}/operator_console?t={token}")
        page.click("nav >> text=Impor progres e-Kinerja")
        accessible(page)
        page.set_input_files("#berkas-progres", str(path))
        page.click("#lihat-pratinjau-progres")
        assert " ".join(page.inner_text("#jumlah-pratinjau-progres").split()) == "2 baru, 0 sudah ada, 1 ditolak."
        accessible(page)
        screenshot(page, "konsol-impor-progres")

        path.write_bytes(export(rows_of(who, targets)))
        page.set_input_files("#berkas-progres", str(path))
        page.click("#lihat-pratinjau-progres")
        page.click("#simpan-progres")
        assert "2 kegiatan baru dari e-Kinerja" in page.inner_text("#hasil-impor-progres")
        page.set_input_files("#berkas-progres", str(path))
        page.click("#lihat-pratinjau-progres")
        assert page.locator("#simpan-progres").count() == 0 and page.locator("#progres-tidak-berubah").count() == 1
    assert len([r for r in store.records("LaporanHarian") if r.get("sumber") == "Impor e-Kinerja"]) == 2

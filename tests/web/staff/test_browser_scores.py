"""A supervisor reads the team's scores on a phone, in a real browser."""

from __future__ import annotations

from datetime import date

import pytest

from functions.runtime import Runtime
from functions.scoring import job
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import STAFF_B, SUPERVISOR, token_for
from tests.scoring.test_job import AFTER_W10, GONE, build_town, fill_w09, fill_w10, report
from tests.support.browser import live_server, phone_page, screenshot

pytestmark = pytest.mark.browser


def test_supervisor_reads_team_scores_on_a_phone(runtime: Runtime) -> None:
    store = runtime.store
    assert isinstance(store, SQLiteStore)
    build_town(store)
    fill_w09(store)
    fill_w10(store)
    report(store, GONE, date(2026, 2, 24), 2, 1, tag="x")
    job.run(store, AFTER_W10, "2026-W09")
    job.run(store, AFTER_W10, "2026-W10")
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/team_scores?t={token_for(store, SUPERVISOR)}")
        table = page.locator("#skor-tim")
        assert table.is_visible()
        assert table.locator("tbody tr").count() == 5
        assert "tanpa data" in table.inner_text()
        charts = page.locator("img[src^='data:image/png;base64,']")
        assert charts.count() == 2
        for i in range(2):
            image = charts.nth(i)
            image.scroll_into_view_if_needed()
            assert image.evaluate("img => img.complete && img.naturalWidth > 0 && img.naturalHeight > 0")
            # The chart fits the phone's width.
            assert image.evaluate("img => img.getBoundingClientRect().width") <= 390
        assert "Tidak Melapor" in page.inner_text("#peringatan")
        screenshot(page, "skor-tim")
        page.click("text=Dewi Lestari, A.Md.")
        page.wait_for_selector("text=Angka di balik skor")
        assert f"nip={STAFF_B}" in page.url
        body = page.inner_text("main")
        assert "3 dari 3 hari kerja ada laporan (2 hari cuti tidak dihitung)" in body
        assert "Budi Santoso" not in body
        screenshot(page, "skor-tim-anggota")

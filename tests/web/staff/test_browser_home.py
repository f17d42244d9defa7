"""A supervisor of the demo city opens their home page (Beranda) on a phone: the counts match the sheets, the page
fits 390 px, and every page it leads to leads back."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from functions import periods
from functions.demo.seed import seed_demo
from functions.runtime import Runtime
from functions.scoring import job
from functions.staff import identity
from functions.web.app import create_app
from tests.support.browser import live_server, phone_page, screenshot

pytestmark = pytest.mark.browser


def number(text: str) -> int:
    match = re.search(r"[0-9]+", text)
    assert match, text
    return int(match.group(0))


def test_a_supervisor_home_on_a_phone_counts_what_the_sheets_hold(runtime: Runtime) -> None:
    store = runtime.store
    today = runtime.today()
    seed_demo(store, today)
    job.run_recent(store, runtime.now(), 2)
    people = store.records("Pegawai")
    waiting_by_supervisor: dict[str, int] = {}
    since = today - timedelta(days=27)  # the review page's waiting list: 28 days up to today
    for row in store.records("LaporanHarian", where={"verifikasi": "Menunggu"}, start=since, end=today):
        boss = next(p["nip_atasan"] for p in people if p["nip"] == row["nip"])
        if boss:
            waiting_by_supervisor[boss] = waiting_by_supervisor.get(boss, 0) + 1
    nip = max(waiting_by_supervisor, key=lambda n: waiting_by_supervisor[n])
    supervisor = next(p for p in people if p["nip"] == nip)
    team = [p for p in people if p.get("nip_atasan") == nip and p.get("aktif") is not False]
    week = periods.last_complete_week(today)
    scored = [r for r in store.records("Skor", where={"periode": week.label}) if r["nip"] in {m["nip"] for m in team}]
    mine_today = store.records("LaporanHarian", where={"nip": nip}, start=today, end=today)

    token = identity.make_token(runtime.settings.secret_key, supervisor)
    with live_server(create_app(runtime)) as base, phone_page() as page:
        page.goto(identity.home_url(base, token))
        assert page.inner_text("h1") == "Beranda"
        assert number(page.inner_text("#tim-menunggu .count")) == waiting_by_supervisor[nip]
        assert f"Tim saya ({len(team)} orang)" in page.inner_text("main")
        if scored:
            assert number(page.inner_text("#tim-skor .count")) == len(scored)
        today_card = page.inner_text("#laporan-hari-ini")
        if mine_today:
            assert number(page.inner_text("#laporan-hari-ini .count")) == len(mine_today)
        else:
            assert "Belum ada laporan hari ini." in today_card
        # Nothing scrolls sideways on the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "beranda-atasan")

        page.click("text=Verifikasi laporan tim")
        page.wait_for_url(re.compile(r"/review_reports\?"))
        page.click("text=← Beranda saya")
        page.wait_for_url(re.compile(r"/home\?"))
        page.click("text=Skor dan tren tim")
        page.wait_for_url(re.compile(r"/team_scores\?"))
        page.click("text=← Beranda saya")
        page.wait_for_url(re.compile(r"/home\?"))
        assert page.inner_text("h1") == "Beranda"

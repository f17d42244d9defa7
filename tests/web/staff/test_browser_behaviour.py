"""End to end in a real browser: a supervisor rates a team member's perilaku kerja from a phone, then edits it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from functions.rules import predikat
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.staff import behaviour
from tests.conftest import STAFF_A, SUPERVISOR, token_for
from tests.support.browser import live_server, phone_page, screenshot
from tests.support.clock import at
from tests.web.staff.test_behaviour_page import behaviour_app

pytestmark = pytest.mark.browser

RATING_DAY = datetime(2026, 12, 6, 10, 0, tzinfo=WIB)  # November 2026 is rated


def test_supervisor_rates_a_team_member_from_a_phone(runtime: Runtime, city: dict[str, Any]) -> None:
    above, meets, _ = predikat.RATINGS
    chosen = {
        n.key: (above if n.key in ("berorientasi_pelayanan", "kolaboratif") else meets) for n in predikat.BERAKHLAK
    }
    with live_server(behaviour_app(at(runtime, RATING_DAY))) as base, phone_page() as page:
        page.goto(f"{base}/rate_behaviour?t={token_for(runtime.store, SUPERVISOR)}")
        assert "Sri Wahyuni" in page.inner_text("header")
        assert page.inner_text("#bulan-penilaian") == "Penilaian bulan November 2026"
        assert "Budi Santoso" in page.inner_text(f"#anggota-{STAFF_A}")
        for key, value in chosen.items():
            page.check(f"input[name='{behaviour.field(key, STAFF_A)}'][value='{value}']")
        page.fill(f"[id='{behaviour.field('catatan', STAFF_A)}']", "Sigap membantu warga lansia di loket.")
        # A phone must not need sideways scrolling for the form.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "perilaku-isi")
        page.click("#simpan")
        page.wait_for_selector("#tersimpan")
        assert "1 penilaian perilaku" in page.inner_text("#tersimpan")
        assert predikat.rating_perilaku(chosen) in page.inner_text(f"#saat-ini-{STAFF_A}")
        screenshot(page, "perilaku-tersimpan")
    rows = runtime.store.records("PenilaianPerilaku")
    assert len(rows) == 1
    row = rows[0]
    assert (row["nip"], row["nip_penilai"], row["periode"]) == (STAFF_A, SUPERVISOR, "2026-11")
    assert {key: row[key] for key in chosen} == chosen
    assert row["catatan"] == "Sigap membantu warga lansia di loket."
    assert row["rating_perilaku"] == predikat.rating_perilaku(chosen)


def test_an_edit_of_one_value_keeps_the_other_six(runtime: Runtime, city: dict[str, Any]) -> None:
    above, meets, _ = predikat.RATINGS
    keys = [n.key for n in predikat.BERAKHLAK]
    with live_server(behaviour_app(at(runtime, RATING_DAY))) as base, phone_page() as page:
        page.goto(f"{base}/rate_behaviour?t={token_for(runtime.store, SUPERVISOR)}")
        for key in keys:
            page.check(f"input[name='{behaviour.field(key, STAFF_A)}'][value='{meets}']")
        page.click("#simpan")
        page.wait_for_selector("#tersimpan")
        page.click(f"#anggota-{STAFF_A} summary")  # "Ubah penilaian Budi Santoso"
        for key in keys:
            assert page.is_checked(f"input[name='{behaviour.field(key, STAFF_A)}'][value='{meets}']"), key
        page.check(f"input[name='{behaviour.field('adaptif', STAFF_A)}'][value='{above}']")
        screenshot(page, "perilaku-ubah")
        page.click("#simpan")
        page.wait_for_selector("#tersimpan")
        assert "1 penilaian perilaku" in page.inner_text("#tersimpan")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    current = behaviour.latest(runtime.store, "2026-11", [STAFF_A])[STAFF_A]
    assert [current[key] for key in keys] == [meets] * 5 + [above, meets]
    assert len(runtime.store.records("PenilaianPerilaku")) == 2

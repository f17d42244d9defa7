"""End to end in a real browser: a supervisor rates a team member's perilaku kerja from a phone."""

from __future__ import annotations

from typing import Any

import pytest

from functions.rules import predikat
from functions.runtime import Runtime
from functions.staff import behaviour
from tests.conftest import STAFF_A, SUPERVISOR, token_for
from tests.support.browser import live_server, phone_page, screenshot
from tests.web.staff.test_behaviour_page import behaviour_app

pytestmark = pytest.mark.browser


def test_supervisor_rates_a_team_member_from_a_phone(runtime: Runtime, city: dict[str, Any]) -> None:
    above, meets, _ = predikat.RATINGS
    chosen = {
        n.key: (above if n.key in ("berorientasi_pelayanan", "kolaboratif") else meets) for n in predikat.BERAKHLAK
    }
    with live_server(behaviour_app(runtime)) as base, phone_page() as page:
        page.goto(f"{base}/rate_behaviour?t={token_for(runtime.store, SUPERVISOR)}")
        assert "Sri Wahyuni" in page.inner_text("header")
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
    assert (row["nip"], row["nip_penilai"], row["periode"]) == (
        STAFF_A,
        SUPERVISOR,
        behaviour.open_months(runtime.today())[0].label,
    )
    assert {key: row[key] for key in chosen} == chosen
    assert row["catatan"] == "Sigap membantu warga lansia di loket."
    assert row["rating_perilaku"] == predikat.rating_perilaku(chosen)

"""Each kind of email, as a phone's mail app would show its HTML part: headless Chromium at 390 px.

The inline chart is swapped for a data URI (what a mail client does with ``cid:``). The page must
not scroll sideways, and its tables and chart must be visible. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any

import pytest

from functions.mail import compose
from functions.rules.workdays import WIB
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from tests.conftest import HEAD, STAFF_A, STAFF_B, SUPERVISOR
from tests.mail.test_compose import MAIL_FROM, NOW, WEEK, seed_week
from tests.support.browser import phone_page, screenshot

pytestmark = pytest.mark.browser

WIDTH = 390


def html_with_inline_images(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    html = str(part.get_content())
    for inline in message.walk():
        cid = inline.get("Content-ID")
        if cid and inline.get_content_maintype() == "image":
            data = base64.b64encode(inline.get_payload(decode=True)).decode()  # type: ignore[arg-type]
            html = html.replace(f"cid:{cid.strip('<>')}", f"data:{inline.get_content_type()};base64,{data}")
    assert "cid:" not in html
    return html


@pytest.fixture
def messages(store: SQLiteStore, settings: Settings, city: dict[str, Any]) -> dict[str, EmailMessage]:
    seed_week(store)
    mail_settings = replace(settings, mail_from=MAIL_FROM, base_url="https://kinerja.semarangkota.go.id")
    weekly = {(o.kind, o.nip): o.message for o in compose.weekly(store, mail_settings, WEEK.label, NOW)}
    reminder = compose.reminders(store, mail_settings, date(2026, 11, 30), datetime(2026, 11, 30, 16, tzinfo=WIB))
    return {
        "atasan": weekly[("atasan", SUPERVISOR)],
        "pegawai": weekly[("pegawai", STAFF_A)],
        "pegawai-tanpa-data": weekly[("pegawai", STAFF_B)],
        "kepala_unit": weekly[("kepala_unit", HEAD)],
        "pengingat": next(o.message for o in reminder if o.nip == STAFF_A),
    }


# What must be visible in each: the main table (or button) and, for the supervisor, the chart.
EXPECTED = {
    "atasan": ["#tabel-tim", "#tabel-menunggu", "#grafik-tim"],
    "pegawai": ["#skor-total", "#tabel-komponen"],
    "pegawai-tanpa-data": ["#skor-total", "#tabel-komponen"],
    "kepala_unit": ["#ikm-KEL-UJI", "#aduan-KEL-UJI", "#sebaran-KEL-UJI"],
    "pengingat": ["a[href*='submit_report']"],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_email_reads_on_a_phone_without_sideways_scrolling(messages: dict[str, EmailMessage], name: str) -> None:
    html = html_with_inline_images(messages[name])
    with phone_page() as page:
        page.set_content(html, wait_until="load")  # type: ignore[attr-defined]
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH  # type: ignore[attr-defined]
        for selector in EXPECTED[name]:
            assert page.locator(selector).first.is_visible(), selector  # type: ignore[attr-defined]
        assert page.locator("#judul").is_visible()  # type: ignore[attr-defined]
        if name == "atasan":
            size = page.evaluate(  # type: ignore[attr-defined]
                "(() => { const i = document.querySelector('#grafik-tim');"
                " return [i.naturalWidth, i.getBoundingClientRect().width]; })()"
            )
            assert size[0] > 0, "the chart did not load"
            assert 0 < size[1] <= WIDTH
            rows = page.locator("#tabel-tim tr").count()  # type: ignore[attr-defined]
            assert rows == 3  # a header and the two members
        screenshot(page, f"email-{name}")

"""Accessibility of every page, in a real browser: axe-core finds no violation, and no page scrolls sideways on a
320 px wide phone, also with a long unbroken word in what people typed.

The pages are those of ``tests/support/site.py``: one address of each kind of page crawled from the landing page and
from each role's pages on the demo city seeded, scored and mailed (charts, the outbox), plus the pages that only a
form's answer shows (a form with its errors, thank-you pages, confirmations, the console's import preview), the error
pages, and the team's scores and the outbox as they are freshly seeded, before any scoring. A page added
and linked from any role's pages is checked without a change here.

axe-core is the one bundled with ``axe-playwright-python`` (pinned in requirements-dev.txt). Every rule runs, of
every impact, except those in :data:`NOT_APPLICABLE`, each with its reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from functions.demo.seed import seed_demo
from functions.mail import jobs
from functions.runtime import Runtime
from functions.scoring import job
from functions.settings import Settings
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import SECRET
from tests.support.browser import ARGS, chromium_or_skip, live_server
from tests.support.site import crawl, link, one_of_each_kind, role_starts

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(900)]

PHONE = 320
# Names shared by controls that do different things (links to different addresses, fields or buttons of different
# forms), as "name (N x)": each control's name must say what it is about (which activity, person, service). The
# name is computed as browsers do for the common cases: aria-label, aria-labelledby, the label, the text.
SAME_NAMES = r"""() => {
  const text = (s) => (s || "").replace(/\s+/g, " ").trim();
  const name = (e) => {
    const by = e.getAttribute("aria-labelledby");
    if (e.getAttribute("aria-label")) return text(e.getAttribute("aria-label"));
    if (by) return text(by.split(" ").map((id) => document.getElementById(id)?.textContent).join(" "));
    if (e.labels && e.labels.length) return text([...e.labels].map((l) => l.textContent).join(" "));
    return text(e.textContent || e.value);
  };
  const forms = [...document.forms];
  const seen = new Map();
  const controls = "a[href], button, select, textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox])";
  for (const e of document.querySelectorAll(controls)) {
    if (e.closest("[aria-hidden=true]")) continue;
    const does = e.tagName === "A" ? e.getAttribute("href") : `${e.name} in form ${forms.indexOf(e.form)}`;
    if (!seen.has(name(e))) seen.set(name(e), new Set());
    seen.get(name(e)).add(does);
  }
  return [...seen].filter(([, does]) => does.size > 1).map(([key, does]) => `${key} (${does.size} x)`);
}"""
# The controls whose keyboard focus cannot be seen (no outline of 2 px or more, nor the browser's own ring, as in an
# email, nor a shadow), as "tag#id name". Each is focused as the Tab key would (focusVisible), after a Tab key press.
UNSEEN_FOCUS = """() => {
  const unseen = [];
  const controls = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])");
  for (const e of controls) {
    if (e.disabled || e.closest("[aria-hidden=true]") || !e.getClientRects().length) continue;
    e.focus({ focusVisible: true });
    if (document.activeElement !== e) continue;
    const s = getComputedStyle(e);
    const ring = s.outlineStyle === "auto" || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2);
    if (ring || s.boxShadow !== "none") continue;
    const name = (e.getAttribute("aria-label") || e.textContent || e.name || "").trim().slice(0, 40);
    unseen.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} ${name}`);
  }
  return unseen;
}"""
# One unbroken word, as a pasted link or a code can be: it must wrap, never widen the page.
LONG_WORD = "Pelayananadministrasikependudukanterpadu" * 4
# Rules left out on the HTML view of an email in the outbox, with the reason. Nothing else is left out anywhere.
EMAIL_RULES_LEFT_OUT = {
    "region": "an email is read inside a mail client's page, whose landmarks hold it; the message has none of its own",
    "landmark-one-main": "a main landmark in a message would be a second one inside the mail client's main",
}


@dataclass
class Checked:
    """What one page showed: its width at 320 px, axe-core's violations, whether the long word is on it, and the
    controls whose keyboard focus could not be seen."""

    width: int
    violations: list[dict[str, Any]] = field(default_factory=list)
    long_word: bool = False
    unseen_focus: list[str] = field(default_factory=list)
    same_names: list[str] = field(default_factory=list)


@dataclass
class Site:
    pages: dict[str, Checked]
    roles: Any


def _email_view(name: str) -> bool:
    """The outbox's HTML view of an email: the email as a mail client shows it, not a page of the site."""
    return name.startswith("/kotak-keluar/") and name.endswith("/html")


def _check(page: Any, axe: Any, name: str, pages: dict[str, Checked]) -> None:
    page.wait_for_load_state("load")
    width = int(page.evaluate("document.documentElement.scrollWidth"))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if _email_view(name):
        options["rules"] = {rule: {"enabled": False} for rule in EMAIL_RULES_LEFT_OUT}
    results = axe.run(page, options=options).response
    long_word = LONG_WORD in page.inner_text("body")
    page.keyboard.press("Tab")
    unseen = page.evaluate(UNSEEN_FOCUS)
    pages[name] = Checked(width, results["violations"], long_word, unseen, page.evaluate(SAME_NAMES))


def _forms(page: Any, axe: Any, base: str, runtime: Runtime, roles: Any, pages: dict[str, Checked]) -> None:
    """The pages that only a form's answer shows, filled as people do, with the long word where text is free."""
    store = runtime.store
    staff = roles.staff
    # A citizen files a complaint to the staff member's unit, reads the tracking code, then the status.
    page.goto(f"{base}/submit_complaint")
    page.click("#kirim")
    _check(page, axe, "pengaduan: galat", pages)
    page.select_option("#kategori", index=1)
    page.select_option("#unit", staff["unit"])
    page.fill("#uraian", f"Antrean panjang di loket, nomor antrean {LONG_WORD} tidak terbaca.")
    page.click("#kirim")
    page.wait_for_selector("#kode-pelacakan")
    _check(page, axe, "pengaduan: kode pelacakan", pages)
    page.click("#lihat-status")
    page.wait_for_selector("#status")
    _check(page, axe, "pengaduan: status", pages)
    page.goto(f"{base}/complaint_status?kode=ADU-0000-0000-0000")
    _check(page, axe, "pengaduan: kode tidak dikenal", pages)
    # A citizen answers a survey: first with nothing chosen, then in full.
    service = next(s for s in store.records("Layanan") if s.get("aktif") is not False)
    page.goto(f"{base}/submit_survey?layanan={quote(service['id'])}")
    page.fill("#saran", f"Terima kasih, {LONG_WORD}.")
    page.click("#kirim")
    _check(page, axe, "survei: galat", pages)
    for fieldset in page.locator("fieldset:has(.choices)").all():
        fieldset.locator("input[type=radio]").last.check()
    page.click("#kirim")
    _check(page, axe, "survei: terima kasih", pages)
    # The staff member reports an activity with the long word; first with a field wrong.
    token = identity.make_token(runtime.settings.secret_key, staff)
    page.goto(f"{base}/submit_report?t={token}")
    page.fill("#kegiatan-0", f"Memeriksa berkas {LONG_WORD}")
    page.select_option("#id_target-0", index=1)
    page.fill("#kuantitas-0", "banyak")
    page.fill("#durasi_menit-0", "60")
    page.fill("#kendala-0", LONG_WORD)
    page.click("#kirim")
    page.wait_for_selector("#ringkasan-galat")
    _check(page, axe, "laporan: galat", pages)
    page.fill("#kuantitas-0", "2")
    page.click("#kirim")
    page.wait_for_selector("#konfirmasi")
    _check(page, axe, "laporan: terkirim", pages)
    # Someone asks for their link again.
    page.goto(f"{base}/resend_link")
    page.fill("#nip", "12")
    page.click("#form-kirim-ulang button[type=submit]")
    _check(page, axe, "kirim ulang tautan: galat", pages)
    page.fill("#nip", staff["nip"])
    page.click("#form-kirim-ulang button[type=submit]")
    _check(page, axe, "kirim ulang tautan: terkirim", pages)
    # Error pages: an unknown address, a broken personal link, a bad period.
    for name, url in [
        ("galat: tidak ditemukan", "/tidak-ada"),
        ("galat: tautan rusak", "/submit_report?t=rusak"),
        ("galat: periode salah", "/ikm?periode=kemarin"),
    ]:
        page.goto(base + url)
        _check(page, axe, name, pages)


def _operator_forms(
    page: Any, axe: Any, base: str, store: SQLiteStore, folder: Path, pages: dict[str, Checked]
) -> None:
    """The console's answers to its forms: an import's preview and result, a Konfigurasi value refused."""
    from tests.web.operator.test_browser_console import write_pegawai

    write_pegawai(folder / "pegawai.csv", store)
    page.goto(f"{base}/operator_console?bagian=impor")
    page.set_input_files("#berkas", str(folder / "pegawai.csv"))
    page.click("#lihat-pratinjau")
    page.wait_for_selector("#jumlah-pratinjau")
    _check(page, axe, "konsol: pratinjau impor", pages)
    page.click("#simpan-impor")
    page.wait_for_selector("#hasil-impor")
    _check(page, axe, "konsol: impor tersimpan", pages)
    page.goto(f"{base}/operator_console?bagian=konfigurasi")
    page.fill("#nilai-laporan_batas_hari", "tiga")
    page.click("button[aria-label='Simpan laporan_batas_hari']")
    page.wait_for_selector("#ringkasan-galat")
    _check(page, axe, "konsol: konfigurasi ditolak", pages)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    executable = chromium_or_skip()
    settings = Settings(data_dir=Path(tmp_path_factory.mktemp("a11y")) / "var", secret_key=SECRET)
    store = SQLiteStore(settings.sqlite_path)
    runtime = Runtime(settings=settings, store=store)
    today = runtime.today()
    seed_demo(store, today)
    monday = today if today.weekday() == 0 else date.fromordinal(today.toordinal() - today.weekday() + 7)
    first_monday = datetime.combine(monday, time(7, 0), tzinfo=settings.tz)
    roles = role_starts(runtime)
    pages: dict[str, Checked] = {}
    axe = Axe()
    try:
        with live_server(create_app(runtime)) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, headless=True, args=ARGS)
            context = browser.new_context(viewport={"width": PHONE, "height": 640}, locale="id-ID")
            page = context.new_page()
            page.set_default_timeout(15_000)
            # Freshly seeded, before any scoring or mail: the pages that then say so.
            page.goto(base + roles.console_link)
            for url in (link(runtime, roles.supervisor, identity.scores_url), "/kotak-keluar/"):
                page.goto(base + url)
                _check(page, axe, f"segar: {url}", pages)
            job.run_recent(store, first_monday, 4)
            jobs.weekly(runtime, first_monday)
            jobs.reminders(runtime, first_monday.replace(hour=16))  # the reminder email too
            _forms(page, axe, base, runtime, roles, pages)
            # The pages of each role, crawled after the forms so that the long word is in what they show.
            client = create_app(runtime).test_client()
            extra = [
                identity.review_url("", identity.make_token(SECRET, supervisor))
                for supervisor in store.records("Pegawai", where={"nip": roles.staff["nip_atasan"]})
            ] + [
                f"/lembar/LaporanHarian?q={LONG_WORD}",
                f"/lembar/Aduan?q={LONG_WORD}",
                # Reached through a form, not a link: the links of one unit, and its printable slips.
                f"/operator_console?bagian=tautan&unit={roles.staff['unit']}",
                f"/operator_console?bagian=slip&unit={roles.staff['unit']}",
            ]
            # The BKPP operator's link first: the landing page's example links of other operators are then of a
            # kind already seen, so they do not change the crawl's console session.
            starts = [roles.console_link, *roles.starts]
            addresses = one_of_each_kind(crawl(client, starts, settings.base_url, once_per_kind=True)) + extra
            _operator_forms(page, axe, base, store, settings.data_dir, pages)
            for url in addresses:
                page.goto(base + url)
                _check(page, axe, url, pages)
            context.close()
            browser.close()
        yield Site(pages, roles)
    finally:
        store.close()


def _summary(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> " + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        for v in violations
    ]


def test_axe_core_finds_no_violation_on_any_page(site: Site) -> None:
    found = {name: _summary(checked.violations) for name, checked in site.pages.items() if checked.violations}
    assert found == {}, "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in found.items())
    assert len(site.pages) > 40  # the crawl went somewhere


def test_focus_is_visible_on_every_control(site: Site) -> None:
    unseen = {name: checked.unseen_focus for name, checked in site.pages.items() if checked.unseen_focus}
    assert unseen == {}, "\n".join(f"{name}: {', '.join(controls)}" for name, controls in unseen.items())


def test_each_control_name_says_what_it_is_about(site: Site) -> None:
    same = {name: checked.same_names for name, checked in site.pages.items() if checked.same_names}
    assert same == {}, "\n".join(f"{name}: {', '.join(names)}" for name, names in same.items())


def test_no_page_scrolls_sideways_on_a_320_px_phone(site: Site) -> None:
    wide = {
        name: checked.width
        for name, checked in site.pages.items()
        if checked.width > PHONE and not _email_view(name)  # emails: at 390 px in tests/mail/test_browser_mail.py
    }
    assert wide == {}, "\n".join(f"{width} px: {name}" for name, width in wide.items())
    # The long word is on the pages that show what was typed, so the widths above saw it.
    with_word = {name for name, checked in site.pages.items() if checked.long_word}
    for shown in ("pengaduan: status", "laporan: terkirim"):
        assert shown in with_word, shown
    for path in ("/submit_report?", "/review_reports?", "/handle_complaints?", "/lembar/LaporanHarian?"):
        assert any(name.startswith(path) for name in with_word), path

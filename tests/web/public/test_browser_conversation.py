"""End to end on a phone (390 px): a complaint, the unit's answer, the reporter's reply and rating, a request to
handle it again; a wrong PIN changes nothing; an anonymous complaint works through the PIN; a reopen after ten
working days is refused with a clear message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from functions.citizens import complaint_pin, complaints
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.citizens.test_complaints import complaint_form
from tests.conftest import token_for
from tests.support.browser import live_server, phone_page, screenshot
from tests.support.towns import DUKCAPIL, STAFF_A

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
TEXT = "Antrean perekaman KTP-el di loket 3 tidak bergerak selama dua jam, petugas tidak ada."
INFO = "Hari ini terjadi lagi pukul 09.00; nomor antrean saya A-117."
ANSWER = "Mulai besok loket 3 dijaga dua petugas; mohon maaf atas antrean kemarin."
REPLY = "Terima kasih, tetapi loket 2 juga sering kosong pada jam istirahat."
AGAIN = "Loket 2 masih kosong pada Senin siang; mohon ditangani lagi."


def scroll_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def kinds(store: SQLiteStore, id_aduan: str) -> list[str]:
    return [e["jenis"] for e in store.records("AduanPeristiwa", where={"id_aduan": id_aduan})]


def file_in_browser(page: Any, base: str, privasi: str) -> tuple[str, str]:
    page.goto(f"{base}/submit_complaint?unit={DUKCAPIL}")
    page.select_option("#kategori", "Kependudukan")
    page.fill("#uraian", TEXT)
    page.check(f"input[name=privasi][value={privasi}]")
    page.fill("#telepon", "0812 3456 7890")
    page.click("#kirim")
    page.wait_for_selector("#kode-pelacakan")
    assert scroll_width(page) <= PHONE_WIDTH
    return page.inner_text("#kode-pelacakan").strip(), page.inner_text("#pin").strip()


def open_with_pin(page: Any, base: str, code: str, pin: str) -> None:
    page.goto(f"{base}/complaint_status?kode={code}")
    page.fill("#pin", pin)
    page.click("#buka-pin")
    page.wait_for_selector("#tanggapi")
    assert scroll_width(page) <= PHONE_WIDTH


def send(page: Any, form: str, text: str, rating: str | None = None) -> None:
    if rating:
        page.check(f"#form-{form} input[name=penilaian][value='{rating}']")
    page.fill(f"#form-{form} textarea[name=catatan]", text)
    page.click(f"#kirim-{form}")
    page.wait_for_selector("#tersimpan")
    assert scroll_width(page) <= PHONE_WIDTH


def unit_acts(context: Any, base: str, store: SQLiteStore, id_aduan: str, jenis: str, note: str) -> str:
    """Staff of the unit act on their handling page (also on a phone); the card's text before acting."""
    staff = context.new_page()
    staff.goto(f"{base}/handle_complaints?t={token_for(store, STAFF_A)}")
    card = f"#aduan-{id_aduan}"
    seen = str(staff.inner_text(card))
    staff.select_option(f"{card} select[name=jenis]", jenis)
    staff.fill(f"{card} textarea[name=catatan]", note)
    assert scroll_width(staff) <= PHONE_WIDTH
    screenshot(staff, f"percakapan-penanganan-{jenis.lower()}")
    staff.click(f"{card} button[type=submit]")
    staff.wait_for_selector("#tersimpan")
    staff.close()
    return seen


@pytest.mark.usefixtures("town")
def test_a_complaint_is_a_conversation_on_a_phone(runtime: Runtime, store: SQLiteStore) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as browser_page:
        page: Any = browser_page
        code, pin = file_in_browser(page, base, "Biasa")
        assert complaints.CODE_RE.match(code) and complaint_pin.normalize(pin)
        screenshot(page, "percakapan-kode-pin")
        (row,) = store.records("Aduan")
        sid = row["id"]

        # The status page is read-only; a wrong PIN changes nothing and asks again, keeping the code.
        page.click("#lihat-status")
        page.wait_for_selector("#form-pin")
        assert page.locator("textarea").count() == 0
        page.fill("#pin", "AAAA-BBBB")
        page.click("#buka-pin")
        page.wait_for_selector("#galat-pin")
        assert "tidak cocok" in page.inner_text("#galat-pin")
        assert page.input_value("#kode") == code
        assert kinds(store, sid) == ["Diterima"]
        screenshot(page, "percakapan-pin-salah")
        page.fill("#pin", pin)
        page.click("#buka-pin")
        page.wait_for_selector("#form-informasi")
        send(page, "informasi", INFO)
        assert INFO in page.inner_text("#perkembangan")
        screenshot(page, "percakapan-informasi")

        # The unit sees what waits for its answer, with the deadline, and answers.
        seen = unit_acts(page.context, base, store, sid, "Ditindaklanjuti", ANSWER)
        assert "Menunggu jawaban unit" in seen and INFO in seen and "paling lambat" in seen

        # The reporter replies and rates; a Tidak Puas needs a reason, given.
        open_with_pin(page, base, code, pin)
        assert ANSWER in page.inner_text("#perkembangan")
        send(page, "tanggapan", REPLY)
        assert page.inner_text("#status") == "Diproses"
        send(page, "penilaian", "Loket 2 belum dijaga.", rating="Tidak Puas")
        assert page.locator("#form-penilaian").count() == 0
        screenshot(page, "percakapan-penilaian")

        # The unit closes it; the reporter asks for it to be handled again.
        unit_acts(page.context, base, store, sid, "Selesai", "Loket 2 kini dijaga bergantian.")
        open_with_pin(page, base, code, pin)
        assert page.inner_text("#status") == "Selesai"
        send(page, "minta", AGAIN)
        assert page.inner_text("#status") == "Diproses"
        screenshot(page, "percakapan-ditangani-ulang")
        page.set_viewport_size({"width": 320, "height": 700})  # the smallest phones: no sideways scrolling
        assert scroll_width(page) <= 320
    assert kinds(store, sid) == [
        "Diterima", "Informasi Tambahan", "Ditindaklanjuti", "Tanggapan Pelapor", "Penilaian", "Selesai",
        "Minta Ditangani Ulang",
    ]  # fmt: skip
    (rating,) = [e for e in store.records("AduanPeristiwa") if e["jenis"] == "Penilaian"]
    assert rating["penilaian"] == "Tidak Puas"


@pytest.mark.usefixtures("town")
def test_an_anonymous_reporter_talks_through_the_pin_and_a_late_reopen_is_refused(
    runtime: Runtime, store: SQLiteStore
) -> None:
    now = runtime.now()
    old, _, _ = complaints.file(complaint_form("aduanLama0001"), store, Calendar(), now - timedelta(days=40))
    complaint_pin.issue(store, old["id"], "ABCDEFGH")
    store.append("AduanPeristiwa", [{"id": "selesaiLama01", "id_aduan": old["id"], "jenis": "Selesai",
                                     "waktu": now - timedelta(days=30), "oleh_nip": STAFF_A}])  # fmt: skip
    with live_server(create_app(runtime)) as base, phone_page() as browser_page:
        page: Any = browser_page
        code, pin = file_in_browser(page, base, "Anonim")
        (row,) = [r for r in store.records("Aduan") if r["kode"] == code]
        assert store.records("AduanKontak", where={"id": row["id"]}) == []  # Anonim: no contact kept
        open_with_pin(page, base, code, pin)
        send(page, "informasi", INFO)
        assert kinds(store, row["id"]) == ["Diterima", "Informasi Tambahan"]

        open_with_pin(page, base, old["kode"], "abcd-efgh")
        assert page.locator("#form-minta").count() == 0
        note = page.inner_text("#ulang-ditutup")
        assert "Batas waktu permintaan penanganan ulang sudah lewat" in note and "pengaduan baru" in note
        assert scroll_width(page) <= PHONE_WIDTH
        screenshot(page, "percakapan-ulang-terlambat")
    assert kinds(store, old["id"]) == ["Diterima", "Selesai"]

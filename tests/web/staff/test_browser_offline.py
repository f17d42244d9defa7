"""The report page without signal, in a real browser (Chromium at 390 px, ``context.set_offline``): a report made
offline waits on the phone, survives a reload from the worker's copy, goes by itself when the connection returns and
is stored once; a link revoked meanwhile stops the resending and leaves the text to copy."""

from __future__ import annotations

import io
from datetime import date
from typing import Any
from urllib.parse import quote

import pytest

from functions.runtime import Runtime
from functions.staff import identity
from functions.web.app import create_app
from tests.conftest import STAFF_A, token_for
from tests.support.browser import live_server, phone_page, screenshot

pytestmark = pytest.mark.browser

WAITING = "#antrean-menunggu"
ONE_WAITING = "1 laporan tersimpan di ponsel, terkirim otomatis saat ada sinyal."
TWO_WAITING = "2 laporan tersimpan di ponsel, terkirim otomatis saat ada sinyal."


def accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def until(page: Any, check: str) -> None:
    """Wait until the (possibly async) function ``check`` holds in the page (``wait_for_function`` would need the
    page's policy to allow eval)."""
    for _ in range(100):
        if page.evaluate(check):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {check}")


def open_for_offline(page: Any, url: str) -> None:
    """Open the personal page and wait until the worker controls it and keeps a copy of it."""
    page.goto(url)
    until(page, "async () => navigator.serviceWorker.controller !== null && Boolean(await caches.match(location.href))")


def fill(page: Any, runtime: Runtime, text: str) -> None:
    page.fill("#kegiatan-0", text)
    page.select_option("#id_target-0", f"{STAFF_A}-{runtime.today().year}-1")
    page.fill("#kuantitas-0", "2")
    page.fill("#durasi_menit-0", "60")


def tanggal(day: date) -> str:
    """A date as the page's script writes it (Chromium's id-ID), computed here by hand."""
    days = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
              "November", "Desember"]  # fmt: skip
    return f"{days[day.weekday()]}, {day.day} {months[day.month - 1]} {day.year}"


def submission_id(page: Any) -> str:
    return str(page.get_attribute("input[name=id_kiriman]", "value"))


def test_a_report_made_offline_waits_and_is_stored_once_when_the_signal_returns(
    runtime: Runtime, city: dict[str, Any]
) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as page:
        url = f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}"
        open_for_offline(page, url)
        page.context.set_offline(True)
        first_id = submission_id(page)
        fill(page, runtime, "Kunjungan rumah pasien TB di RW 03")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        assert ONE_WAITING in page.inner_text(WAITING)
        assert "Kunjungan rumah pasien TB di RW 03" in page.inner_text(WAITING)
        assert runtime.store.count("LaporanHarian") == 0
        # The page came back from the worker's copy with a fresh submission id: a second report is a new one.
        second_id = submission_id(page)
        assert second_id != first_id
        fill(page, runtime, "Penyuluhan gizi balita di posyandu")
        page.click("#kirim")
        page.wait_for_selector(f"{WAITING}:has-text('{TWO_WAITING}')")
        page.reload()  # still offline: the page comes from the worker's copy, the reports still wait
        page.wait_for_selector(WAITING)
        assert TWO_WAITING in page.inner_text(WAITING)
        assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
        accessible(page)
        screenshot(page, "laporan-menunggu-sinyal")
        assert runtime.store.count("LaporanHarian") == 0

        page.context.set_offline(False)
        page.wait_for_selector("#antrean-terkirim")
        assert "2 laporan dari ponsel sudah terkirim dan tercatat (2 kegiatan)" in page.inner_text("#antrean-terkirim")
        assert page.locator(WAITING).count() == 0
        accessible(page)
        # Asked to send again (another "online" event, a Background Sync), nothing is counted twice.
        page.evaluate("navigator.serviceWorker.controller.postMessage({perintah: 'kirim'})")
        page.reload()
        page.wait_for_selector("#antrean-terkirim")
    rows = runtime.store.records("LaporanHarian")
    assert sorted((r["id_kiriman"], r["kegiatan"]) for r in rows) == sorted(
        [(first_id, "Kunjungan rumah pasien TB di RW 03"), (second_id, "Penyuluhan gizi balita di posyandu")]
    )
    assert all(r["nip"] == STAFF_A for r in rows)


def test_online_the_form_posts_as_before(runtime: Runtime, city: dict[str, Any]) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}")
        fill(page, runtime, "Rapat koordinasi lintas sektor")
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
        assert "sudah tercatat" in page.inner_text("#konfirmasi")
    assert [r["kegiatan"] for r in runtime.store.records("LaporanHarian")] == ["Rapat koordinasi lintas sektor"]


def test_a_link_revoked_while_a_report_waits_keeps_the_text_to_copy(runtime: Runtime, city: dict[str, Any]) -> None:
    store = runtime.store
    target = store.records("Target", where={"id": f"{STAFF_A}-{runtime.today().year}-1"})[0]
    indicator = f"{target['indikator']} ({target['satuan']})"
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(store, STAFF_A))}")
        page.context.set_offline(True)
        fill(page, runtime, "Patroli ketertiban pasar Johar")
        page.fill("#kendala-0", "Hujan deras")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAFF_A})[0], "versi_tautan": 2}])
        page.context.set_offline(False)
        page.wait_for_selector("#ditolak-1")
        refused = page.inner_text("#ditolak-1")
        assert "Tautan pribadi Anda tidak berlaku lagi" in refused and identity.REVOKED in refused
        text = page.input_value("#teks-ditolak-1")
        assert "Kegiatan: Patroli ketertiban pasar Johar" in text and "Kendala: Hujan deras" in text
        assert "Tanggal: " + tanggal(runtime.today()) in text
        assert page.get_attribute("#ditolak-1 a", "href") == "resend_link"
        assert page.get_attribute("#teks-ditolak-1", "readonly") is not None
        assert page.locator(WAITING).count() == 0
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.click("#ditolak-1 button:has-text('Salin teks laporan')")
        assert page.evaluate("navigator.clipboard.readText()") == text
        accessible(page)
        screenshot(page, "laporan-tautan-dicabut")
        # Not resent forever: asked again, it stays refused and on the phone.
        page.evaluate("navigator.serviceWorker.controller.postMessage({perintah: 'kirim'})")
        page.reload()  # the revoked link answers 403 now: the error page, still showing what the phone kept
        assert "sudah dicabut" in page.inner_text("#pesan-galat")
        page.wait_for_selector("#ditolak-1")
        assert page.input_value("#teks-ditolak-1") == text
        assert "Indikator SKP: " + indicator in text
        accessible(page)
        assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
        kept = page.evaluate(
            """() => new Promise(done => { const r = indexedDB.open('pantau-kinerja');
                 r.onsuccess = () => { const q = r.result.transaction('antrean').objectStore('antrean').getAll();
                 q.onsuccess = () => done(q.result.map(i => i.status)); }; })"""
        )
        assert kept == ["ditolak"]
    assert store.count("LaporanHarian") == 0


def test_the_page_is_installable(runtime: Runtime, city: dict[str, Any]) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}")
        cdp = page.context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == [] and "aset=manifest.webmanifest" in manifest["url"]
        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []


def test_a_report_with_a_photo_made_offline_is_stored_once_with_its_photo(
    runtime: Runtime, city: dict[str, Any]
) -> None:
    """The acceptance of issue 13: a report with a photo, offline, reload, online, stored once with its photo."""
    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(photo, "JPEG")
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}")
        field = page.query_selector("input[type=file][name^='foto-']")
        if field is None:
            pytest.skip("the report form has no photo field (foto-<block>) yet: photos come with issue 13 item 2")
        page.context.set_offline(True)
        # The photo first: the page shrinks it on "change" while the fields are filled.
        field.set_input_files({"name": "saluran.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()})
        fill(page, runtime, "Pemeriksaan saluran air di Jalan Pemuda")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        assert ONE_WAITING in page.inner_text(WAITING) and "dengan 1 foto" in page.inner_text(WAITING)
        page.reload()
        page.wait_for_selector(WAITING)
        assert ONE_WAITING in page.inner_text(WAITING)
        assert runtime.store.count("LaporanHarian") == 0
        page.context.set_offline(False)
        page.wait_for_selector("#antrean-terkirim")
    rows = runtime.store.records("LaporanHarian")
    assert [r["kegiatan"] for r in rows] == ["Pemeriksaan saluran air di Jalan Pemuda"]
    assert has_photo(runtime, rows[0]), rows[0]


def has_photo(runtime: Runtime, row: dict[str, Any]) -> bool:
    """Whether a stored activity has its photo: a non-empty column of the row named after photos, or a row in a
    sheet named after them (how item 2 stores them is its own choice)."""
    from functions import schema

    if any(value for key, value in row.items() if "foto" in key.lower()):
        return True
    return any(runtime.store.count(name) for name in schema.load_all() if "foto" in name.lower())


def test_a_server_failure_keeps_the_report_waiting(
    runtime: Runtime, city: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5xx is no answer on the report: it keeps waiting and goes on a later try, once."""
    from functions.errors import StoreUnavailable

    store = runtime.store
    tries: list[str] = []
    append = store.append

    def unavailable(sheet: str, rows: Any) -> Any:
        if sheet == "LaporanHarian":
            tries.append(sheet)
            raise StoreUnavailable("Penyimpanan sedang tidak dapat dihubungi.")
        return append(sheet, rows)

    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(store, STAFF_A))}")
        page.context.set_offline(True)
        fill(page, runtime, "Verifikasi data bansos di kelurahan")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        monkeypatch.setattr(store, "append", unavailable)
        page.context.set_offline(False)
        for _ in range(100):
            if tries:
                break
            page.wait_for_timeout(100)
        assert tries, "the worker never tried to send"
        page.wait_for_timeout(500)
        assert ONE_WAITING in page.inner_text(WAITING) and page.locator("#ditolak-1").count() == 0
        monkeypatch.setattr(store, "append", append)
        page.reload()  # back online with the store up: the page asks the worker to send
        page.wait_for_selector("#antrean-terkirim")
    assert [r["kegiatan"] for r in store.records("LaporanHarian")] == ["Verifikasi data bansos di kelurahan"]


def test_a_report_the_server_refuses_is_not_resent_and_says_why(runtime: Runtime, city: dict[str, Any]) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}")
        page.context.set_offline(True)
        fill(page, runtime, "Rekap absensi pegawai")
        page.fill("#kuantitas-0", "banyak")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        page.context.set_offline(False)
        page.wait_for_selector("#ditolak-1")
        refused = page.inner_text("#ditolak-1")
        assert "Laporan ini ditolak server dan tidak dikirim ulang." in refused
        assert "Kegiatan 1: Kuantitas: harus berupa angka" in refused
        assert "Kuantitas: banyak" in page.input_value("#teks-ditolak-1")
        assert page.locator("#ditolak-1 a").count() == 0  # the link holds: no new one to ask for
        page.set_viewport_size({"width": 320, "height": 640})  # a small phone: no sideways scrolling either
        assert int(page.evaluate("document.documentElement.scrollWidth")) <= 320
        page.click("#ditolak-1 button:has-text('Hapus dari ponsel')")
        page.wait_for_selector("#ditolak-1", state="detached")
    assert runtime.store.count("LaporanHarian") == 0


def test_with_the_page_closed_the_report_goes_by_background_sync(runtime: Runtime, city: dict[str, Any]) -> None:
    url = f"/submit_report?t={quote(token_for(runtime.store, STAFF_A))}"
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, base + url)
        page.context.set_offline(True)
        fill(page, runtime, "Pendataan UMKM di kelurahan")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        assert page.evaluate("async () => (await navigator.serviceWorker.ready).sync.getTags()") == ["kirim-laporan"]
        context = page.context
        blank = context.new_page()  # the browser stays open, the report page does not
        page.close()
        context.set_offline(False)
        for _ in range(100):
            if runtime.store.count("LaporanHarian"):
                break
            blank.wait_for_timeout(100)
        assert [r["kegiatan"] for r in runtime.store.records("LaporanHarian")] == ["Pendataan UMKM di kelurahan"]
        blank.goto(base + url)  # opened later, the page says when it went
        blank.wait_for_selector("#antrean-terkirim")
        assert "1 laporan dari ponsel sudah terkirim dan tercatat (1 kegiatan)" in blank.inner_text("#antrean-terkirim")
    assert runtime.store.count("LaporanHarian") == 1


def test_without_javascript_the_form_posts_as_before(runtime: Runtime, city: dict[str, Any]) -> None:
    with live_server(create_app(runtime)) as base, phone_page() as phone:
        context = phone.context.browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}")
        fill(page, runtime, "Mengarsipkan surat masuk")
        page.click("#kirim")
        page.wait_for_selector("#konfirmasi")
        assert "sudah tercatat" in page.inner_text("#konfirmasi")
        assert context.service_workers == []
        context.close()
    assert [r["kegiatan"] for r in runtime.store.records("LaporanHarian")] == ["Mengarsipkan surat masuk"]


def test_the_queue_keeps_files_and_the_forms_encoding(runtime: Runtime, city: dict[str, Any]) -> None:
    """Whatever the form holds waits with the report, files included: here a file field added to the page (the
    form's own photo fields, left empty, are empty files in the queue and not counted here)."""
    with live_server(create_app(runtime)) as base, phone_page() as page:
        open_for_offline(page, f"{base}/submit_report?t={quote(token_for(runtime.store, STAFF_A))}")
        page.evaluate(
            """() => { const form = document.getElementById('form-laporan');
                 form.enctype = 'multipart/form-data';
                 const field = Object.assign(document.createElement('input'), {type: 'file', name: 'uji-berkas'});
                 form.append(field); }"""
        )
        page.set_input_files(
            "input[name=uji-berkas]", {"name": "bukti.jpg", "mimeType": "image/jpeg", "buffer": b"x" * 1234}
        )
        page.context.set_offline(True)
        fill(page, runtime, "Pengecekan lampu jalan")
        page.click("#kirim")
        page.wait_for_selector(WAITING)
        assert "Pengecekan lampu jalan, dengan 1 foto" in page.inner_text(WAITING)
        kept = page.evaluate(
            """() => new Promise(done => { const r = indexedDB.open('pantau-kinerja');
                 r.onsuccess = () => { const q = r.result.transaction('antrean').objectStore('antrean').getAll();
                 q.onsuccess = () => done(q.result.map(i => [i.jenis, i.isian
                   .filter(([, v]) => typeof v !== 'string' && v.size > 0)
                   .map(([n, v]) => [n, v.name, v.type, v.size])])); }; })"""
        )
    assert kept == [["multipart/form-data", [["uji-berkas", "bukti.jpg", "image/jpeg", 1234]]]]

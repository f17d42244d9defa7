"""A daily report with 3 photos over a slow 3G connection, with and without the phone's resize:
``python -m benchmarks.photos`` (also part of ``make bench``; run alone it rewrites only its section of
docs/benchmarks.md).

The local app (``create_app`` on a fresh SQLite file, a tiny unit of two people) in a thread; headless Chromium with
a phone's viewport opens the personal report form, fills one activity and picks :data:`PHOTOS` photos as a 12 MP
phone camera makes them (4000 x 3000 JPEG, about 2.5 MB each, made with Pillow from seeded noise). Then Chromium's
own network throttling (CDP ``Network.emulateNetworkConditions``: :data:`KBPS` kbps down and up, :data:`LATENCY_MS`
ms latency) is switched on and the report is sent; the time is from the click on "Kirim laporan" to the
confirmation page, the size is the POST body Chromium sent. "With resize" runs the form's script
(``forms/offline/perkecil-foto.js``: longest side 1,600 px, JPEG 0.8, before sending); "without" blocks the script,
as a phone without JavaScript would send the originals. The resize's own time on the phone is shown apart (done on
the ``change`` event, while the person is still typing).
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PHOTOS = 3
KBPS = 400
LATENCY_MS = 400
SIDE = (4000, 3000)
HEADING = "## A report with 3 photos over slow 3G (Chromium's throttling)"
SUPERVISOR, STAFF = "198002022005012002", "199003032015031003"


@dataclass(frozen=True)
class Variant:
    name: str
    body_bytes: int
    photo_bytes: list[int]
    resize_seconds: float
    send_seconds: float
    stored: int


def phone_photo(seed: int) -> bytes:
    """A 12 MP JPEG with the detail of a photo (about 2.5 MB at quality 85)."""
    from PIL import Image

    noise = Image.effect_noise((200, 150), 90 + seed).convert("RGB").resize(SIDE, Image.Resampling.BICUBIC)
    red, green, blue = noise.split()
    scene = Image.merge("RGB", (red, green.point(lambda v: v * 0.8), blue.point(lambda v: 255 - v)))
    picture = Image.blend(scene, Image.effect_noise(SIDE, 40).convert("RGB"), 0.1)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85)
    return out.getvalue()


def _city(store: Any, year: int) -> None:
    people = [
        {"nip": SUPERVISOR, "nama": "Sri Wahyuni", "jabatan": "Sekretaris Kelurahan", "unit": "KEL-UJI",
         "nip_atasan": None, "aktif": True, "versi_tautan": 1},
        {"nip": STAFF, "nama": "Budi Santoso", "jabatan": "Pengadministrasi Perkantoran", "unit": "KEL-UJI",
         "nip_atasan": SUPERVISOR, "aktif": True, "versi_tautan": 1},
    ]  # fmt: skip
    target = {"id": f"{STAFF}-{year}-1", "nip": STAFF, "tahun": year, "jenis": "Utama",
              "rencana_hasil_kerja": "Pelayanan", "indikator": "Jumlah rumah yang dikunjungi", "target": 1200,
              "satuan": "rumah", "bobot": 100}  # fmt: skip
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": SUPERVISOR}
    store.upsert_many({"Unit": [unit], "Pegawai": people, "Target": [target]})


def run() -> list[Variant]:
    from playwright.sync_api import sync_playwright

    from functions.runtime import Runtime
    from functions.settings import Settings
    from functions.staff import identity
    from functions.store.sqlite import SQLiteStore
    from functions.web.app import create_app
    from tests.support.browser import ARGS, chromium_or_skip, live_server

    photos = [phone_photo(n) for n in range(PHOTOS)]
    variants = []
    with tempfile.TemporaryDirectory() as folder:
        for path, data in zip((Path(folder) / f"IMG_{n}.jpg" for n in range(PHOTOS)), photos, strict=True):
            path.write_bytes(data)
        files = [str(Path(folder) / f"IMG_{n}.jpg") for n in range(PHOTOS)]
        for resize in (True, False):
            data_dir = Path(folder) / ("kecil" if resize else "asli")
            settings = Settings(data_dir=data_dir, secret_key="tolok-ukur-" * 4)
            store = SQLiteStore(settings.sqlite_path)
            runtime = Runtime(settings=settings, store=store)
            _city(store, runtime.today().year)
            token = identity.make_token(settings.secret_key, store.records("Pegawai", where={"nip": STAFF})[0])
            bodies: list[int] = []
            with live_server(_counting(create_app(runtime), bodies)) as base, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium_or_skip(), headless=True, args=ARGS)
                context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
                page = context.new_page()
                page.set_default_timeout(600_000)
                if not resize:
                    page.route(re.compile(r".*aset=perkecil-foto\.js.*"), lambda route: route.abort())
                page.goto(f"{base}/submit_report?t={token}")
                page.fill("#kegiatan-0", "Kunjungan rumah warga lansia di RW 03")
                page.select_option("#id_target-0", f"{STAFF}-{runtime.today().year}-1")
                page.fill("#kuantitas-0", "6")
                page.fill("#durasi_menit-0", "180")
                started = time.perf_counter()
                page.set_input_files("#foto-0", files)
                if resize:
                    page.wait_for_function(
                        "() => { const f = document.getElementById('foto-0').files; return f.length === 3 && "
                        "Array.from(f).every(x => x.type === 'image/jpeg' && x.name.endsWith('.jpg') && "
                        "x.size < 1500000) && (document.getElementById('form-laporan').dataset.memperkecil || '0') "
                        "=== '0'; }"
                    )
                resized = time.perf_counter() - started
                sizes = page.evaluate("() => Array.from(document.getElementById('foto-0').files, f => f.size)")
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {"offline": False, "latency": LATENCY_MS, "downloadThroughput": KBPS * 1000 / 8,
                     "uploadThroughput": KBPS * 1000 / 8},
                )  # fmt: skip
                started = time.perf_counter()
                page.click("#kirim")
                page.wait_for_selector("#konfirmasi")
                sent = time.perf_counter() - started
                browser.close()
            rows = store.records("LaporanHarian")
            stored = sum(len(str(r.get("foto") or "").split()) for r in rows)
            store.close()
            variants.append(Variant("dengan" if resize else "tanpa", bodies[0], sizes, resized if resize else 0.0,
                                    sent, stored))  # fmt: skip
    return variants


def _counting(app: Any, bodies: list[int]) -> Any:
    """The app, noting the Content-Length of each POST (Chromium does not show a body holding files)."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("REQUEST_METHOD") == "POST":
            bodies.append(int(environ.get("CONTENT_LENGTH") or 0))
        return app(environ, start_response)

    return wsgi


def section(variants: list[Variant], when: str = "") -> str:
    rows = "\n".join(
        f"| {'with the phone resize' if v.name == 'dengan' else 'without (originals)'} | {v.body_bytes / 1e6:.2f} MB "
        f"| {', '.join(f'{b / 1e3:.0f} KB' for b in v.photo_bytes)} | {v.send_seconds:.1f} s | "
        f"{f'{v.resize_seconds:.1f} s' if v.name == 'dengan' else '-'} | {v.stored} |"
        for v in variants
    )
    ran = f"\n\nRun alone: {when}." if when else ""
    return f"""{HEADING}

`benchmarks/photos.py`: the local app, headless Chromium (phone viewport), one activity with {PHOTOS} photos of a
12 MP phone camera ({SIDE[0]} x {SIDE[1]} JPEG), sent with Chromium's network throttling (CDP
`Network.emulateNetworkConditions`: {KBPS} kbps down, {KBPS} kbps up, {LATENCY_MS} ms latency). Time: from the
click on "Kirim laporan" to the confirmation page. Resize: the form's script on the input's `change` event (longest
side 1,600 px, JPEG 0.8); without it (script blocked, as without JavaScript) the originals go.{ran}

| variant | POST body | photos as sent | time to send | resize on the phone | photos stored |
|---|---|---|---|---|---|
{rows}
{_summary(variants)}"""


def _summary(variants: list[Variant]) -> str:
    small, large = variants[0], variants[-1]
    if len(variants) != 2 or not large.body_bytes or not large.send_seconds:
        return ""
    return f"""
The resize cuts the body to {small.body_bytes / large.body_bytes:.0%} and the time to send to
{small.send_seconds / large.send_seconds:.0%}; on the phone it costs a few seconds while the person is still filling
the form. Without it (no JavaScript) the report still goes; the server scales such photos to 2,048 px itself.
"""


def write_alone(variants: list[Variant]) -> None:
    """Replace this benchmark's section of docs/benchmarks.md (appended when missing)."""
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    stamp = f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    from benchmarks.run import machine

    when = f"{stamp}, commit {commit.strip() or '?'}, `python -m benchmarks.photos`; machine: {machine()}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    new = section(variants, when)
    pattern = re.compile(re.escape(HEADING) + r".*?(?=\n## |\Z)", re.DOTALL)
    text = (
        pattern.sub(lambda _m: new.rstrip("\n") + "\n", text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + new
    )
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    variants = run()
    for v in variants:
        print(
            f"  {v.name} resize: body {v.body_bytes / 1e6:.2f} MB, sent in {v.send_seconds:.1f} s, resize "
            f"{v.resize_seconds:.1f} s, stored {v.stored}"
        )
    write_alone(variants)


if __name__ == "__main__":
    main()

"""QR posters: files per active service, the URLs in the codes, a self-contained A4 page."""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
import segno

from functions.citizens import posters
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore

BASE = "https://kinerja.semarangkota.go.id"
KTP_URL = f"{BASE}/submit_survey?layanan=DISDUKCAPIL-KTP"
COMPLAINT_URL = f"{BASE}/submit_complaint?unit=DISDUKCAPIL"
SAFE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")


@pytest.fixture
def poster_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", secret_key="x" * 40, base_url=BASE)


@pytest.fixture
def poster_store(poster_settings: Settings) -> Iterator[SQLiteStore]:
    """Two units: Disdukcapil with two active services and a retired one, a kelurahan with none."""
    store = SQLiteStore(poster_settings.sqlite_path)
    store.upsert_many(
        {
            "Unit": [
                {"kode": "DISDUKCAPIL", "nama": "Dinas Kependudukan & Pencatatan Sipil", "jenis": "Dinas"},
                {"kode": "KEL-PANDANARAN", "nama": "Kelurahan Pandanaran", "jenis": "Kelurahan"},
            ],
            "Layanan": [
                {"id": "DISDUKCAPIL-KTP", "unit": "DISDUKCAPIL", "nama": "KTP Elektronik", "aktif": True},
                # aktif left empty: the column defaults to Ya.
                {"id": "DISDUKCAPIL-AKTA", "unit": "DISDUKCAPIL", "nama": "Akta <b>& Kelahiran"},
                {"id": "DISDUKCAPIL-LAMA", "unit": "DISDUKCAPIL", "nama": "Layanan Lama", "aktif": False},
            ],
        }
    )
    yield store
    store.close()


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def png_pixels(data: bytes) -> list[list[int]]:
    """Decode segno's 1-bit greyscale PNG (filters None and Up) into rows of 1 = dark."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (1, 0)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = (width + 7) // 8
    rows, previous = [], bytes(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        assert line[0] in (0, 2)
        current = bytes(line[1:])
        if line[0] == 2:  # Up: each byte adds the one above
            current = bytes((a + b) % 256 for a, b in zip(current, previous, strict=True))
        rows.append([0 if current[x // 8] >> (7 - x % 8) & 1 else 1 for x in range(width)])
        previous = current
    return rows


def modules(pixels: list[list[int]], size: int) -> list[list[int]]:
    """Sample the centre of each module of a symbol ``size`` modules wide (quiet zone included)."""
    scale = len(pixels[0]) // size
    assert scale * size == len(pixels[0]) == len(pixels)
    return [[pixels[r * scale + scale // 2][c * scale + scale // 2] for c in range(size)] for r in range(size)]


def test_write_all_writes_files_for_active_services_only(
    poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "poster"
    summary = posters.write_all(poster_store, poster_settings, out)

    assert (summary.units, summary.services, summary.skipped) == (2, 2, ())
    for name in ("DISDUKCAPIL-KTP", "DISDUKCAPIL-AKTA"):
        for suffix in ("-survei.png", "-survei.svg", ".html"):
            assert (out / "DISDUKCAPIL" / f"{name}{suffix}").is_file()
    assert not list(out.rglob("*LAMA*"))
    for unit in ("DISDUKCAPIL", "KEL-PANDANARAN"):
        for name in ("pengaduan.png", "pengaduan.svg", "index.html"):
            assert (out / unit / name).is_file()
    assert summary.files == len(snapshot(out)) == 2 * 3 + 2 * 3 + 1
    root = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="DISDUKCAPIL/index.html"' in root and 'href="KEL-PANDANARAN/index.html"' in root
    unit_page = (out / "DISDUKCAPIL" / "index.html").read_text(encoding="utf-8")
    assert 'href="DISDUKCAPIL-KTP.html"' in unit_page and "Layanan Lama" not in unit_page


def test_survey_qr_code_encodes_the_survey_url(
    poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "poster"
    posters.write_all(poster_store, poster_settings, out)
    fresh = segno.make(KTP_URL, error="m")

    pixels = png_pixels((out / "DISDUKCAPIL" / "DISDUKCAPIL-KTP-survei.png").read_bytes())
    assert len(pixels[0]) >= 600
    expected = [list(row) for row in fresh.matrix_iter(scale=1, border=4)]  # quiet zone included
    assert modules(pixels, len(expected)) == expected

    svg = (out / "DISDUKCAPIL" / "DISDUKCAPIL-KTP-survei.svg").read_text(encoding="utf-8")
    assert KTP_URL in svg
    fresh_path = re.search(r' d="([^"]+)"', fresh.svg_inline(scale=1, border=4, lineclass=None))
    assert fresh_path is not None and f'd="{fresh_path.group(1)}"' in svg

    page = (out / "DISDUKCAPIL" / "DISDUKCAPIL-KTP.html").read_text(encoding="utf-8")
    assert KTP_URL in page
    assert fresh.svg_inline(**posters.INLINE_SVG_OPTIONS) in page


def test_complaint_qr_code_encodes_the_complaint_url(
    poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "poster"
    posters.write_all(poster_store, poster_settings, out)
    fresh = segno.make(COMPLAINT_URL, error="m")

    pixels = png_pixels((out / "DISDUKCAPIL" / "pengaduan.png").read_bytes())
    expected = [list(row) for row in fresh.matrix_iter(scale=1, border=4)]
    assert modules(pixels, len(expected)) == expected
    assert COMPLAINT_URL in (out / "DISDUKCAPIL" / "pengaduan.svg").read_text(encoding="utf-8")
    for page in ("DISDUKCAPIL-KTP.html", "DISDUKCAPIL-AKTA.html", "index.html"):
        html = (out / "DISDUKCAPIL" / page).read_text(encoding="utf-8")
        assert COMPLAINT_URL in html
        assert fresh.svg_inline(**posters.INLINE_SVG_OPTIONS) in html


def test_poster_is_a4_with_the_texts_and_escaped_names(
    poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "poster"
    posters.write_all(poster_store, poster_settings, out)
    page = (out / "DISDUKCAPIL" / "DISDUKCAPIL-AKTA.html").read_text(encoding="utf-8")

    assert "size: A4" in page
    assert "Bagaimana pelayanan kami hari ini?" in page
    assert "Pindai untuk mengisi survei kepuasan (±2 menit, tanpa nama)" in page
    assert "Ada keluhan? Sampaikan pengaduan — Anda akan mendapat kode pelacakan" in page
    assert "Suara Warga, dijawab di depan umum" in page
    assert "Akta &lt;b&gt;&amp; Kelahiran" in page and "<b>&" not in page
    assert "Dinas Kependudukan &amp; Pencatatan Sipil" in page


def test_pages_load_no_external_resource(poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "poster"
    posters.write_all(poster_store, poster_settings, out)
    shown = {KTP_URL, f"{BASE}/submit_survey?layanan=DISDUKCAPIL-AKTA", COMPLAINT_URL}
    shown.add(f"{BASE}/submit_complaint?unit=KEL-PANDANARAN")
    shown |= {f"{BASE}/suara_warga?layanan={ident}" for ident in ("DISDUKCAPIL-KTP", "DISDUKCAPIL-AKTA")}
    shown |= {f"{BASE}/transparansi?unit={unit}" for unit in ("DISDUKCAPIL", "KEL-PANDANARAN")}  # the unit's results

    for path in out.rglob("*.html"):
        page = path.read_text(encoding="utf-8").lower()
        for tag in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url("):
            assert tag not in page, f"{path.name} has {tag}"
        assert set(re.findall(r"https?://[^\s\"<>]+", page)) <= {url.lower() for url in shown}


def test_rerunning_rewrites_identical_bytes(
    poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "poster"
    posters.write_all(poster_store, poster_settings, out)
    first = snapshot(out)
    posters.write_all(poster_store, poster_settings, out)
    assert snapshot(out) == first


def test_odd_ids_become_safe_file_names(poster_settings: Settings, tmp_path: Path) -> None:
    store = SQLiteStore(poster_settings.sqlite_path)
    store.upsert_many(
        {
            "Unit": [{"kode": "../KEL X", "nama": "Kelurahan Aneh", "jenis": "Kelurahan"}],
            "Layanan": [
                {"id": "SURAT/PINDAH?a=1", "unit": "../KEL X", "nama": "Surat Pindah"},
                {"id": "SURAT_PINDAH_a_1", "unit": "../KEL X", "nama": "Surat Pindah Lain"},
                {"id": "..", "unit": "../KEL X", "nama": "Titik"},
                {"id": "index", "unit": "../KEL X", "nama": "Layanan Bernama Index"},
            ],
        }
    )
    out = tmp_path / "poster"
    summary = posters.write_all(store, poster_settings, out)
    store.close()

    assert summary.services == 4
    files = snapshot(out)
    assert len(files) == summary.files == 4 * 3 + 3 + 1
    for relative in files:
        assert (out / relative).resolve().is_relative_to(out.resolve())
        assert all(SAFE.match(part) for part in Path(relative).parts), relative
    names = {Path(r).name for r in files}
    assert {"SURAT_PINDAH_a_1.html", "SURAT_PINDAH_a_1-2.html", "__.html", "index-2.html"} <= names
    page = (out / "___KEL_X" / "SURAT_PINDAH_a_1.html").read_text(encoding="utf-8")
    assert f"{BASE}/submit_survey?layanan=SURAT%2FPINDAH%3Fa%3D1" in page
    assert f"{BASE}/submit_complaint?unit=..%2FKEL%20X" in page


def test_service_of_an_unknown_unit_is_skipped(poster_settings: Settings, tmp_path: Path) -> None:
    store = SQLiteStore(poster_settings.sqlite_path)
    store.upsert_many({"Layanan": [{"id": "X-1", "unit": "TIDAK-ADA", "nama": "Layanan Yatim"}]})
    summary = posters.write_all(store, poster_settings, tmp_path / "poster")
    store.close()
    assert (summary.units, summary.services, summary.skipped) == (0, 0, ("X-1",))


@pytest.mark.parametrize(
    ("ident", "name"),
    [("DISDUKCAPIL-KTP", "DISDUKCAPIL-KTP"), ("A B/C", "A_B_C"), ("..", "__"), (".env", "_env"), ("", "_")],
)
def test_safe_name(ident: str, name: str) -> None:
    assert posters.safe_name(ident) == name


def test_poster_urls_encode_the_ids(poster_settings: Settings) -> None:
    urls = posters.poster_urls(poster_settings, {"kode": "KEL A&B"}, {"id": "L 1/2"})
    assert urls == {
        "complaint": f"{BASE}/submit_complaint?unit=KEL%20A%26B",
        "transparency": f"{BASE}/transparansi?unit=KEL%20A%26B",
        "survey": f"{BASE}/submit_survey?layanan=L%201%2F2",
    }
    assert posters.poster_urls(poster_settings, {"kode": "KEL"}, None) == {
        "complaint": f"{BASE}/submit_complaint?unit=KEL",
        "transparency": f"{BASE}/transparansi?unit=KEL",
    }


@pytest.mark.parametrize(
    ("base_url", "warns"),
    [("http://127.0.0.1:8080", True), ("http://localhost:8080", True), (BASE, False)],
)
def test_base_url_warning_when_codes_point_at_this_computer(tmp_path: Path, base_url: str, warns: bool) -> None:
    settings = Settings(data_dir=tmp_path / "var", secret_key="x" * 40, base_url=base_url)
    assert (posters.base_url_warning(settings) is not None) == warns


def test_local_codes_point_at_the_port_of_the_local_server(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", secret_key="x" * 40, port=18500)
    urls = posters.poster_urls(settings, {"kode": "KEL"}, {"id": "L1"})
    assert urls == {
        "complaint": "http://127.0.0.1:18500/submit_complaint?unit=KEL",
        "transparency": "http://127.0.0.1:18500/transparansi?unit=KEL",
        "survey": "http://127.0.0.1:18500/submit_survey?layanan=L1",
    }
    assert "http://127.0.0.1:18500" in (posters.base_url_warning(settings) or "")


def test_one_services_poster_is_the_page_write_all_writes(
    poster_store: SQLiteStore, poster_settings: Settings, tmp_path: Path
) -> None:
    service = next(s for s in poster_store.records("Layanan") if s.get("aktif") is not False)
    page = posters.poster_page(poster_store, poster_settings, service["id"])
    posters.write_all(poster_store, poster_settings, tmp_path / "out")
    written = (tmp_path / "out" / service["unit"] / f"{posters.safe_name(service['id'])}.html").read_text()
    assert page == written and "<svg" in page
    assert posters.poster_page(poster_store, poster_settings, "TIDAK-ADA") is None

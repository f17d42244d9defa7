"""The sheet viewer at /lembar: listing, filters, pages, bad input and downloads."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from functions import schema
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.support.pages import sign_in_operator

NIP = "199001012020121001"
WIB = ZoneInfo("Asia/Jakarta")
FORMULAS = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "-2+3"]


def report(number: int, unit: str, day: date, kegiatan: str, kuantitas: float = 1) -> dict[str, Any]:
    """One valid LaporanHarian row, its own submission."""
    return {
        "id": f"k{number:04d}-1",
        "id_kiriman": f"k{number:04d}",
        "nip": NIP,
        "nama": "Siti Rahma, S.Kom.",
        "unit": unit,
        "tanggal": day,
        "kegiatan": kegiatan,
        "id_target": f"{NIP}-2026-1",
        "indikator": "Dokumen layanan yang diselesaikan",
        "kuantitas": kuantitas,
        "satuan": "dokumen",
        "durasi_menit": 60,
        "diterima_pada": datetime(2026, 11, 2, 8, 0, tzinfo=WIB) + timedelta(days=number % 28),
    }


@pytest.fixture(autouse=True)
def seeded(store: SQLiteStore) -> None:
    """Two units and a few reports in the conftest store, four of them typed like formulas."""
    store.upsert_many(
        {
            "Unit": [
                {"kode": "DINKES", "nama": "Dinas Kesehatan", "jenis": "Dinas"},
                {"kode": "DISDIK", "nama": "Dinas Pendidikan", "jenis": "Dinas"},
            ]
        }
    )
    store.append(
        "LaporanHarian",
        [
            report(1, "DINKES", date(2026, 11, 2), "Verifikasi klaim Puskesmas Pandanaran", 2.5),
            report(2, "DISDIK", date(2026, 11, 10), "Rapat koordinasi <b>PPDB</b>"),
            report(3, "DINKES", date(2026, 11, 20), "Menyusun laporan imunisasi"),
            *(report(10 + i, "DINKES", date(2026, 11, 30), text) for i, text in enumerate(FORMULAS)),
        ],
    )


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    """A test client of the local app over the conftest runtime (settings under tmp_path)."""
    return sign_in_operator(create_app(runtime).test_client(), runtime)


def kegiatan_shown(client: FlaskClient, query: str) -> str:
    response = client.get(f"/lembar/LaporanHarian?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_index_lists_every_sheet_by_kind_with_row_counts(client: FlaskClient) -> None:
    page = client.get("/lembar/").get_data(as_text=True)
    for sheet in schema.load_all().values():
        if sheet.private:
            assert f'href="/lembar/{sheet.name}"' not in page
            continue
        assert f'href="/lembar/{sheet.name}"' in page
        assert sheet.title in page
    assert "Data induk" in page and "Masukan" in page
    assert '<span class="jumlah-baris">7</span> baris' in page


def test_sheet_shows_indonesian_headers_values_and_column_docs(client: FlaskClient) -> None:
    page = kegiatan_shown(client, "")
    for col in schema.sheet("LaporanHarian").columns:
        assert f'<th scope="col">{col.header}</th>' in page
        assert col.description in page
    assert "2 November 2026" in page and "2,5" in page
    assert "Dapat diubah orang" in page and "Menunggu, Disetujui, Dikembalikan" in page


def test_sheet_escapes_text(client: FlaskClient) -> None:
    page = kegiatan_shown(client, "")
    assert "Rapat koordinasi &lt;b&gt;PPDB&lt;/b&gt;" in page
    assert "<b>PPDB</b>" not in page


def test_filter_by_unit(client: FlaskClient) -> None:
    page = kegiatan_shown(client, "unit=DISDIK")
    assert "PPDB" in page
    assert "imunisasi" not in page
    assert '<option value="DISDIK" selected>' in page


def test_filter_by_dates_is_inclusive(client: FlaskClient) -> None:
    page = kegiatan_shown(client, "dari=2026-11-10&sampai=2026-11-20")
    assert "PPDB" in page and "imunisasi" in page
    assert "Pandanaran" not in page and "HYPERLINK" not in page


def test_search_is_case_insensitive(client: FlaskClient) -> None:
    page = kegiatan_shown(client, "q=PANDANARAN")
    assert "Pandanaran" in page
    assert "imunisasi" not in page and "PPDB" not in page


def test_exact_filter_on_a_column(client: FlaskClient) -> None:
    page = kegiatan_shown(client, "kolom=kuantitas&nilai=2,5")
    assert "Pandanaran" in page and "imunisasi" not in page


def test_pages_hold_100_rows_in_sheet_order(runtime: Runtime, client: FlaskClient) -> None:
    runtime.store.append(
        "LaporanHarian", [report(100 + i, "DISDIK", date(2026, 10, 1), f"Kegiatan nomor {i:03d}") for i in range(120)]
    )
    first = kegiatan_shown(client, "unit=DISDIK")
    assert "Baris 1–100 dari 121" in first
    assert "Kegiatan nomor 098" in first and "Kegiatan nomor 099" not in first
    assert 'href="/lembar/LaporanHarian?unit=DISDIK&amp;halaman=2"' in first
    second = kegiatan_shown(client, "unit=DISDIK&halaman=2")
    assert "Baris 101–121 dari 121" in second
    assert second.index("Kegiatan nomor 099") < second.index("Kegiatan nomor 119")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("dari=2026-13-01", "dari"),
        ("sampai=kemarin", "sampai"),
        ("dari=2026-11-30&sampai=2026-11-01", "sampai"),
        ("unit=TIDAKADA", "unit"),
        ("kolom=tidak_ada&nilai=x", "kolom"),
        ("nilai=x", "kolom"),
        ("kolom=kuantitas&nilai=banyak", "nilai"),
        ("halaman=0", "halaman"),
        ("halaman=-1", "halaman"),
        ("halaman=satu", "halaman"),
        ("halaman=1.5", "halaman"),
        ("format=pdf", "format"),
        ("q=" + "a" * 201, "q"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(client: FlaskClient, query: str, field: str) -> None:
    response = client.get(f"/lembar/LaporanHarian?{query}")
    assert response.status_code == 400
    message = response.get_data(as_text=True)
    assert "Permintaan tidak dapat diproses" in message
    assert field in message.split('id="pesan-galat">')[1].split("</p>")[0]


@pytest.mark.parametrize("query", ["unit=DINKES", "dari=2026-11-01"])
def test_filters_a_sheet_lacks_answer_400(client: FlaskClient, query: str) -> None:
    assert client.get(f"/lembar/Konfigurasi?{query}").status_code == 400


def test_page_past_the_end_is_404(client: FlaskClient) -> None:
    response = client.get("/lembar/LaporanHarian?halaman=2")
    assert response.status_code == 404
    assert "Halaman 2 tidak ada" in response.get_data(as_text=True)


def test_unknown_sheet_is_404_in_indonesian(client: FlaskClient) -> None:
    response = client.get("/lembar/Rahasia<script>")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "tidak ditemukan" in page and "<script>" not in page


def test_csv_download_has_bom_headers_and_escaped_formulas(runtime: Runtime, client: FlaskClient) -> None:
    response = client.get("/lembar/LaporanHarian?format=csv&dari=2026-11-30")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    expected = f'attachment; filename="LaporanHarian-{runtime.today().isoformat()}.csv"'
    assert response.headers["Content-Disposition"] == expected
    body = response.data
    assert body.startswith(b"\xef\xbb\xbfID,ID Kiriman,NIP,Nama,Kode Unit,Tanggal,Kegiatan,")
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    column = rows[0].index("Kegiatan")
    assert [r[column] for r in rows[1:]] == ["'" + f for f in FORMULAS]
    assert "Pandanaran" not in text


def test_xlsx_download_has_string_cells_and_no_formulas(runtime: Runtime, client: FlaskClient) -> None:
    import zipfile

    from openpyxl import load_workbook

    response = client.get("/lembar/LaporanHarian?format=xlsx&q=Pandanaran")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f'-{runtime.today().isoformat()}.xlsx"')
    ws = load_workbook(io.BytesIO(response.data)).active
    headers = [c.value for c in ws[1]]
    assert headers == schema.sheet("LaporanHarian").headers
    assert ws.max_row == 2
    row = {h: c for h, c in zip(headers, ws[2], strict=True)}
    assert row["Kuantitas"].value == 2.5 and row["Kuantitas"].data_type == "n"
    assert row["Tanggal"].is_date and row["Tanggal"].value.date() == date(2026, 11, 2)
    formulas = client.get("/lembar/LaporanHarian?format=xlsx&dari=2026-11-30").data
    ws = load_workbook(io.BytesIO(formulas)).active
    column = schema.sheet("LaporanHarian").headers.index("Kegiatan")
    assert [r[column].value for r in ws.iter_rows(min_row=2)] == ["'" + f for f in FORMULAS]
    assert all(r[column].data_type == "s" for r in ws.iter_rows(min_row=2))
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(formulas)).read("xl/worksheets/sheet1.xml")


def test_text_is_stored_as_typed(runtime: Runtime) -> None:
    stored = [r["kegiatan"] for r in runtime.store.records("LaporanHarian", start=date(2026, 11, 30))]
    assert stored == FORMULAS


@pytest.mark.parametrize("suffix", ["", "?format=csv", "?format=xlsx"])
def test_private_sheets_are_not_served(client: FlaskClient, suffix: str) -> None:
    private = [s.name for s in schema.load_all().values() if s.private]
    assert private, "the schema declares citizens' contact data private"
    for name in private:
        assert client.get(f"/lembar/{name}{suffix}").status_code == 404

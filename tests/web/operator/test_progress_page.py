"""The console's "Impor progres e-Kinerja" over HTTP on the demo city: the section, a preview under the default
mapping with a refused row, the confirm, a re-import that changes nothing, a saved mapping for changed columns, the
supervisor's badge, an OPD operator's limits, and bad uploads answered with a 4xx that names the field."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from functions.runtime import Runtime
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web import upload
from tests.web.operator.conftest import sign_in

URL = "/operator_console?bagian=progres"
HEADER = ["No", "NIP", "Nama", "Tanggal", "Rencana Hasil Kerja", "Uraian Kegiatan", "Realisasi", "Satuan",
          "Link Bukti Dukung", "Status"]  # fmt: skip


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no field {name}"
    return found.group(1)


def person(city: SQLiteStore, unit: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The first staff member of a unit who has a supervisor, and their 2026 SKP rows."""
    who = min((p for p in city.records("Pegawai") if p["unit"] == unit and p.get("nip_atasan") and not p.get("peran")),
              key=lambda p: p["nip"])  # fmt: skip
    return who, [t for t in city.records("Target", where={"nip": who["nip"]}) if t["tahun"] == 2026]


def export(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    """An e-Kinerja export as Excel in Indonesia saves CSV: ';' and a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def rows_of(who: dict[str, Any], targets: list[dict[str, Any]], *, unknown: bool = False) -> list[list[Any]]:
    rows = [
        [1, who["nip"], who["nama"], "01-12-2026", targets[0]["rencana_hasil_kerja"], "Memeriksa laporan tim (impor)",
         "2", targets[0]["satuan"], "https://drive.google.com/file/d/bukti-1", "Disetujui"],
        [2, who["nip"], who["nama"], "02-12-2026", targets[1]["rencana_hasil_kerja"].upper(),
         "Mengoreksi konsep naskah dinas (impor)", "1", targets[1]["satuan"], "", "Diajukan"],
    ]  # fmt: skip
    if unknown:
        rows.append([3, who["nip"], who["nama"], "02-12-2026", "Terlaksananya senam pagi", "Senam pagi", "1",
                     "kegiatan", "", "Disetujui"])  # fmt: skip
    return rows


def post(client: FlaskClient, form: dict[str, Any]) -> Any:
    boundary, body = encode_multipart(form)
    return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def preview(
    client: FlaskClient, data: bytes, name: str = "progres.csv", mapping: str = "e-Kinerja BKN (bawaan)"
) -> Any:
    token = field(client.get(URL).text, "csrf")
    return post(client, {"csrf": token, "aksi": "pratinjau", "pemetaan": mapping,
                         "berkas": FileStorage(io.BytesIO(data), name)})  # fmt: skip


def confirm(client: FlaskClient, page: str, **over: str) -> Any:
    return post(client, {name: field(page, name) for name in ("csrf", "tanda", "isi")} | {"aksi": "simpan"} | over)


def counts(page: str) -> str:
    found = re.search(r'id="jumlah-pratinjau-progres">(.*?)</p>', page, re.S)
    assert found
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def imported(city: SQLiteStore) -> list[dict[str, Any]]:
    return [r for r in city.records("LaporanHarian") if r.get("sumber") == "Impor e-Kinerja"]


def test_the_section_offers_the_upload_and_the_default_mapping(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'id="form-impor-progres"' in page.text and "e-Kinerja BKN (bawaan)" in page.text
    assert 'id="pemetaan-kolom_rhk"' in page.text


def test_a_preview_shows_the_rows_under_the_mapping_refuses_an_unknown_rhk_and_writes_nothing(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    who, targets = person(city, "DINKES")
    answer = preview(client, export(rows_of(who, targets, unknown=True)))
    assert answer.status_code == 200
    assert counts(answer.text) == "2 baru, 0 sudah ada, 1 ditolak."
    assert targets[1]["indikator"] in answer.text  # the RHK in capitals found its Target row
    assert (f"kolom Rencana Hasil Kerja: RHK «Terlaksananya senam pagi» tidak ada di Target SKP pegawai {who['nip']} "
            "tahun 2026") in answer.text  # fmt: skip
    assert re.search(r'<tr class="has-error"><td>4</td>', answer.text)  # the refused row by its number in the file
    assert 'id="simpan-progres"' not in answer.text and imported(city) == []


def test_confirming_saves_marked_rows_the_supervisor_sees_and_importing_again_changes_nothing(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    who, targets = person(city, "DINKES")
    data = export(rows_of(who, targets))
    saved = confirm(client, preview(client, data).text)
    assert saved.status_code == 200
    assert "Tersimpan dari progres.csv: 2 kegiatan baru dari e-Kinerja; 0 sudah ada." in saved.text
    rows = sorted(imported(city), key=lambda r: r["tanggal"])
    assert [(r["nip"], r["verifikasi"], r["id_target"]) for r in rows] == [
        (who["nip"], "Disetujui", targets[0]["id"]), (who["nip"], "Menunggu", targets[1]["id"]),
    ]  # fmt: skip

    again = preview(client, data)
    assert counts(again.text) == "0 baru, 2 sudah ada, 0 ditolak."
    assert "sudah diimpor sebelumnya" in again.text and 'id="simpan-progres"' not in again.text
    assert len(imported(city)) == 2

    boss = next(p for p in city.records("Pegawai") if p["nip"] == who["nip_atasan"])
    review = client.get(f"/review_reports?t={identity.make_token(runtime.settings.secret_key, boss)}")
    card = re.search(r'id="baris-' + re.escape(rows[1]["id"]) + r'".*?</li>', review.text, re.S)
    assert card and "Dari e-Kinerja" in card.group(0) and "Mengoreksi konsep naskah dinas (impor)" in card.group(0)


def test_a_saved_mapping_reads_an_xlsx_whose_columns_changed(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    who, targets = person(city, "DINKES")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP Pegawai", "Tgl", "RHK", "Progres", "Capaian"])
    sheet.append([who["nip"], "2026-12-03", targets[2]["rencana_hasil_kerja"], "Mengikuti rapat teknis (impor)", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    assert "Kolom NIP (NIP) tidak ada di berkas" in preview(client, buffer.getvalue(), "baru.xlsx").text

    form = {"csrf": field(client.get(URL).text, "csrf"), "aksi": "pemetaan", "nama": "Ekspor 2027",
            "kolom_nip": "NIP Pegawai", "kolom_tanggal": "Tgl", "format_tanggal": "TTTT-BB-HH", "kolom_rhk": "RHK",
            "kolom_uraian": "Progres", "kolom_realisasi": "Capaian"}  # fmt: skip
    saved = client.post("/operator_console", data=form)
    assert saved.status_code == 200 and "Pemetaan Ekspor 2027 tersimpan." in saved.text
    edit = client.get(URL + "&pemetaan=Ekspor%202027")
    assert "Ubah pemetaan Ekspor 2027" in edit.text and 'name="kolom_nip" value="NIP Pegawai"' in edit.text
    refused = preview(client, b"bukan", "baru.txt", mapping="Ekspor 2027")
    assert refused.status_code == 400 and '<option value="Ekspor 2027" selected>' in refused.text
    answer = preview(client, buffer.getvalue(), "baru.xlsx", mapping="Ekspor 2027")
    assert counts(answer.text) == "1 baru, 0 sudah ada, 0 ditolak."
    assert "semua kegiatan menunggu verifikasi atasan" in answer.text  # no status column: said, not silent
    assert confirm(client, answer.text).status_code == 200
    assert [r["kegiatan"] for r in imported(city)] == ["Mengikuti rapat teknis (impor)"]


def test_an_opd_operator_imports_their_units_people_only(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    who, targets = person(city, "BKPP")
    answer = preview(client, export(rows_of(who, targets)))
    assert counts(answer.text) == "0 baru, 0 sudah ada, 2 ditolak."
    assert f"kolom NIP: pegawai {who['nip']} bekerja di unit BKPP, di luar OPD Anda" in answer.text


def test_a_bad_mapping_is_refused_keeping_what_was_typed(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime)
    form = {"csrf": field(client.get(URL).text, "csrf"), "aksi": "pemetaan", "nama": "Format OPD",
            "kolom_nip": "", "kolom_tanggal": "Tgl", "format_tanggal": "HH-BB-TTTT", "kolom_rhk": "RHK",
            "kolom_uraian": "Uraian"}  # fmt: skip
    answer = client.post("/operator_console", data=form)
    assert answer.status_code == 400
    assert "Kolom NIP: wajib diisi." in answer.text and 'value="Format OPD"' in answer.text


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"aksi": "pratinjau", "pemetaan": "e-Kinerja BKN (bawaan)"}, "isian berkas"),
        ({"aksi": "pratinjau", "pemetaan": "e-Kinerja BKN (bawaan)",
          "berkas": FileStorage(io.BytesIO(b"NIP;Tanggal"), "progres.txt")}, "hanya berkas .csv atau .xlsx"),
        ({"aksi": "pratinjau", "pemetaan": "Tidak Ada",
          "berkas": FileStorage(io.BytesIO(b"NIP;Tanggal"), "progres.csv")}, "isian pemetaan"),
        ({"aksi": "pratinjau", "pemetaan": "e-Kinerja BKN (bawaan)",
          "berkas": FileStorage(io.BytesIO(b"PK\x03\x04rusak"), "progres.xlsx")}, "bukan buku kerja Excel"),
        ({"aksi": "hapus"}, "isian aksi"),
        ({"aksi": "simpan", "tanda": "palsu", "isi": ""}, "kedaluwarsa"),
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_4xx_naming_the_problem(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore, form: dict[str, Any], expected: str
) -> None:
    sign_in(client, runtime)
    answer = post(client, {"csrf": field(client.get(URL).text, "csrf")} | form)
    assert answer.status_code == 400 and expected in answer.text
    assert imported(city) == []


def test_a_confirm_with_another_file_than_the_one_previewed_is_refused(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    who, targets = person(city, "DINKES")
    shown = preview(client, export(rows_of(who, targets))).text
    other = preview(client, export(rows_of(who, targets)[:1])).text
    answer = confirm(client, shown, isi=field(other, "isi"))
    assert answer.status_code == 400 and "berbeda dari yang dipratinjau" in answer.text
    assert imported(city) == []


def test_a_file_over_10_mb_an_upload_without_csrf_and_one_without_a_session_are_refused(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    form = {"aksi": "pratinjau", "pemetaan": "e-Kinerja BKN (bawaan)",
            "berkas": FileStorage(io.BytesIO(export([])), "progres.csv")}  # fmt: skip
    assert post(client, form).status_code == 403  # no operator session
    sign_in(client, runtime)
    client.get(URL)
    assert post(client, form).status_code == 403  # no CSRF field
    big = preview(client, export([]) + b"x" * upload.FILE_MAX_BYTES)
    assert big.status_code == 413 and "Berkas progres harian (isian berkas) terlalu besar" in big.text
    assert imported(city) == []

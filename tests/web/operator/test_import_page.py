"""The console's "Impor data" over HTTP on the demo city: templates, the preview of a small hand-made file, the
confirm, a re-import that changes nothing, a refused file, a store that changed between preview and confirm, the
size limit, CSRF and an OPD operator's limits."""

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

from functions import schema
from functions.runtime import Runtime
from functions.store.sqlite import SQLiteStore
from functions.web import upload
from tests.web.operator.conftest import sign_in

NEWCOMER = "200105052025011001"
URL = "/operator_console?bagian=impor"


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no field {name}"
    return found.group(1)


def pegawai_csv(rows: list[dict[str, Any]]) -> bytes:
    """Rows as a CSV of the Pegawai sheet with its Indonesian headers, as Excel writes it (';', a BOM)."""
    spec = schema.sheet("Pegawai")
    keys = ["nip", "nama", "jabatan", "unit", "nip_atasan", "email"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([spec.column(k).header for k in keys])
    writer.writerows([[row.get(k) or "" for k in keys] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def staff_of(city: SQLiteStore, unit: str) -> list[dict[str, Any]]:
    return sorted(
        (p for p in city.records("Pegawai") if p["unit"] == unit and not p.get("peran")), key=lambda p: p["nip"]
    )


def small_file(city: SQLiteStore) -> bytes:
    """One person as stored, one with a new jabatan, one newcomer: 1 tetap, 1 diubah, 1 baru."""
    same, moved = staff_of(city, "BKPP")[:2]
    newcomer = {**same, "nip": NEWCOMER, "nama": "Rina Kartika, S.Psi.", "jabatan": "Analis SDM Aparatur",
                "email": "rina@semarangkota.go.id"}  # fmt: skip
    return pegawai_csv([same, {**moved, "jabatan": "Analis Kepegawaian Ahli Muda"}, newcomer])


def post(client: FlaskClient, form: dict[str, Any]) -> Any:
    """A multipart POST built in memory, as a browser sends it."""
    boundary, body = encode_multipart(form)
    return client.post("/operator_console", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def preview(client: FlaskClient, data: bytes, name: str = "pegawai.csv", **extra: str) -> Any:
    token = field(client.get(URL).text, "csrf")
    return post(
        client,
        {"csrf": token, "aksi": "pratinjau", "lembar": "", "berkas": FileStorage(io.BytesIO(data), name), **extra},
    )


def confirm(client: FlaskClient, page: str, **over: str) -> Any:
    return post(client, {name: field(page, name) for name in ("csrf", "tanda", "isi")} | {"aksi": "simpan"} | over)


def counts(page: str) -> str:
    """The preview's counts as one line of text."""
    found = re.search(r'id="jumlah-pratinjau">(.*?)</p>', page, re.S)
    assert found
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def test_the_section_offers_the_upload_its_limit_and_a_template_per_sheet(
    client: FlaskClient, runtime: Runtime
) -> None:
    sign_in(client, runtime)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text and "Paling besar 10 MB" in page.text
    assert "Anda dapat mengimpor semua lembar untuk seluruh kota" in page.text
    for name in ("Unit", "Pegawai", "Target", "Layanan", "HariLibur"):
        assert f"templat={name}&amp;format=csv" in page.text and f"templat={name}&amp;format=xlsx" in page.text


@pytest.mark.parametrize("name", ["Unit", "Pegawai", "Target", "Layanan", "HariLibur"])
def test_a_template_is_an_empty_file_with_the_sheets_indonesian_headers(
    client: FlaskClient, runtime: Runtime, name: str
) -> None:
    sign_in(client, runtime)
    spec = schema.sheet(name)
    as_csv = client.get(f"{URL}&templat={name}&format=csv")
    assert as_csv.headers["Content-Disposition"] == f'attachment; filename="{name.lower()}.csv"'
    assert as_csv.data.decode("utf-8-sig").splitlines() == [",".join(spec.headers)]
    as_xlsx = client.get(f"{URL}&templat={name}&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.data)).active
    assert sheet.title == name and [[c.value for c in row] for row in sheet.iter_rows()] == [spec.headers]
    nip_columns = [i for i, c in enumerate(spec.columns, start=1) if c.type == "nip"]
    assert all(sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].number_format == "@" for i in nip_columns)


def test_an_unknown_template_is_refused_naming_the_field(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime)
    assert "isian templat" in client.get(f"{URL}&templat=Skor&format=csv").text
    assert client.get(f"{URL}&templat=Pegawai&format=pdf").status_code == 400


def test_a_preview_counts_new_changed_and_unchanged_rows_and_writes_nothing(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    before = city.records("Pegawai")

    answer = preview(client, small_file(city))

    assert answer.status_code == 200
    assert counts(answer.text) == "1 baru, 1 diubah, 1 tetap, 0 ditolak."
    assert "Jabatan: " in answer.text and "→ Analis Kepegawaian Ahli Muda" in answer.text
    assert NEWCOMER in answer.text and 'id="simpan-impor"' in answer.text
    assert city.records("Pegawai") == before


def test_confirming_saves_what_was_previewed_and_importing_again_changes_nothing(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    moved = staff_of(city, "BKPP")[1]
    shown = preview(client, small_file(city)).text

    saved = confirm(client, shown)

    assert saved.status_code == 200
    assert "Tersimpan dari pegawai.csv: Pegawai 1 baru, 1 diubah, 1 tetap." in saved.text
    assert city.records("Pegawai", where={"nip": moved["nip"]})[0]["jabatan"] == "Analis Kepegawaian Ahli Muda"
    newcomer = city.records("Pegawai", where={"nip": NEWCOMER})[0]
    assert (newcomer["aktif"], newcomer["versi_tautan"]) == (True, 1)
    after = city.records("Pegawai")

    again = preview(client, small_file(city))
    assert counts(again.text) == "0 baru, 0 diubah, 3 tetap, 0 ditolak."
    assert 'id="simpan-impor"' not in again.text and "Tidak ada yang perlu disimpan" in again.text
    twice = confirm(client, shown)  # the same confirm sent again (a double click)
    assert twice.status_code == 200 and "tidak ada yang perlu disimpan" in twice.text
    assert city.records("Pegawai") == after


def test_a_file_with_a_refused_row_shows_why_and_changes_nothing(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    before = city.records("Pegawai")
    same, moved = staff_of(city, "BKPP")[:2]
    rows = [same, {**moved, "jabatan": "Analis Kepegawaian Ahli Muda"}, {**same, "nip": "19850202"},
            {**same, "nip": NEWCOMER, "nama": "Rina", "unit": "DISHUB"}]  # fmt: skip

    answer = preview(client, pegawai_csv(rows))

    assert counts(answer.text) == "0 baru, 1 diubah, 1 tetap, 2 ditolak."
    refused = re.search(r'id="ditolak-Pegawai".*?</table>', answer.text, re.S)
    assert refused
    assert "<td>4</td>" in refused.group(0) and "kolom NIP: NIP harus 18 digit angka" in refused.group(0)
    assert "<td>5</td>" in refused.group(0) and "kolom Kode Unit: DISHUB tidak ada di lembar Unit" in refused.group(0)
    assert "tidak mengubah apa pun" in answer.text and 'id="simpan-impor"' not in answer.text
    assert city.records("Pegawai") == before


def test_an_unreadable_file_is_refused_in_indonesian(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime)
    assert "nama berkas tidak menunjukkan lembarnya" in preview(client, b"NIP\n", name="data.csv").text
    assert "hanya berkas .csv atau .xlsx" in preview(client, b"NIP\n", name="pegawai.txt").text
    named = preview(client, b"NIP\n", name="data.csv", lembar="Pegawai")
    assert 'id="impor-ditolak"' not in named.text and "Tidak ada yang perlu disimpan" in named.text


def test_a_store_changed_since_the_preview_shows_the_new_preview_and_saves_nothing(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    moved = staff_of(city, "BKPP")[1]
    shown = preview(client, small_file(city)).text
    city.upsert("Pegawai", [{**moved, "email": "baru@semarangkota.go.id"}])  # someone edits the sheet meanwhile

    answer = confirm(client, shown)

    assert answer.status_code == 409
    assert "Data tersimpan berubah sejak pratinjau tadi" in answer.text
    assert "Email: baru@semarangkota.go.id → " in answer.text  # the new preview shows what would be undone
    assert city.records("Pegawai", where={"nip": moved["nip"]})[0]["jabatan"] == moved["jabatan"]
    assert not city.records("Pegawai", where={"nip": NEWCOMER})
    assert confirm(client, answer.text).status_code == 200  # the new preview, confirmed, is saved
    assert city.records("Pegawai", where={"nip": NEWCOMER})


def test_a_confirm_with_another_file_or_a_forged_token_is_refused(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    before = city.records("Pegawai")
    shown = preview(client, small_file(city)).text
    other = preview(client, pegawai_csv([{**staff_of(city, "BKPP")[0], "nama": "Nama Lain"}])).text

    swapped = confirm(client, shown, isi=field(other, "isi"))
    forged = confirm(client, shown, tanda=field(shown, "tanda")[:-2] + "xx")

    assert swapped.status_code == 400 and "berbeda dari yang dipratinjau" in swapped.text
    assert forged.status_code == 400 and "kedaluwarsa" in forged.text
    broken = confirm(client, shown, isi="bukan-base64!")
    assert broken.status_code == 400 and 'id="galat-impor"' in broken.text and "rusak" in broken.text
    nothing = post(client, {"csrf": field(shown, "csrf"), "aksi": "pratinjau"})
    assert nothing.status_code == 400 and "(isian berkas)" in nothing.text
    assert city.records("Pegawai") == before


def test_a_file_over_10_mb_is_refused_with_413_naming_the_field(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime)
    big = pegawai_csv([]) + b"x" * upload.FILE_MAX_BYTES

    answer = preview(client, big)

    assert answer.status_code == 413
    assert "Berkas impor (isian berkas) terlalu besar: paling besar 10 MB" in answer.text
    huge = client.post(
        "/operator_console",
        data=b"x" * (upload.BODY_MAX_BYTES + 1),
        content_type="multipart/form-data; boundary=batas",
    )
    assert huge.status_code == 413 and "isian berkas" in huge.text


def test_an_upload_without_the_csrf_field_is_refused(client: FlaskClient, runtime: Runtime, city: SQLiteStore) -> None:
    sign_in(client, runtime)
    before = city.records("Pegawai")
    client.get(URL)
    form = {"aksi": "pratinjau", "berkas": FileStorage(io.BytesIO(small_file(city)), "pegawai.csv")}

    answer = post(client, form)

    assert answer.status_code == 403 and "Formulir sudah kedaluwarsa" in answer.text
    assert city.records("Pegawai") == before


def test_an_upload_without_an_operator_session_is_refused(client: FlaskClient, city: SQLiteStore) -> None:
    form = {"aksi": "pratinjau", "berkas": FileStorage(io.BytesIO(small_file(city)), "pegawai.csv")}
    assert post(client, form).status_code == 403


def test_an_opd_operator_imports_their_opds_people_only(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime, "Operator OPD")
    assert "hanya dapat mengimpor lembar Pegawai, Target dan Layanan" in client.get(URL).text
    before = city.records("Pegawai")
    inside, outside = staff_of(city, "PKM-PANDANARAN")[0], staff_of(city, "BKPP")[0]
    rows = [{**inside, "jabatan": "Perawat Ahli Pertama"}, {**outside, "jabatan": "Analis"}]

    mixed = preview(client, pegawai_csv(rows))

    assert counts(mixed.text) == "0 baru, 1 diubah, 0 tetap, 1 ditolak."
    assert "kolom Kode Unit: unit BKPP di luar OPD Anda" in mixed.text and 'id="simpan-impor"' not in mixed.text
    assert city.records("Pegawai") == before
    own = preview(client, pegawai_csv(rows[:1]))
    assert confirm(client, own.text).status_code == 200
    assert city.records("Pegawai", where={"nip": inside["nip"]})[0]["jabatan"] == "Perawat Ahli Pertama"
    units = b"Kode Unit,Nama Unit,Jenis\nPKM-BARU,Puskesmas Baru,Puskesmas\n"
    refused = preview(client, units, name="unit.csv")
    assert "unit kerja berlaku untuk seluruh kota; hanya Operator BKPP yang dapat mengimpornya" in refused.text
    assert not city.records("Unit", where={"kode": "PKM-BARU"})

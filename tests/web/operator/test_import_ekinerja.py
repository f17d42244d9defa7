"""The console's "Impor data" of kind "SKP e-Kinerja" over HTTP on the demo city: the sample export of Kelurahan
Pekunden's 2027 SKP (tests/staff/samples) previewed, confirmed, imported again without a change, and a refused row
shown with its row and the export's column."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from functions.runtime import Runtime
from functions.staff import ekinerja
from functions.store.sqlite import SQLiteStore
from tests.web.operator.conftest import sign_in
from tests.web.operator.test_import_page import URL, confirm, counts, preview

SAMPLE = Path(__file__).parents[2] / "staff" / "samples" / "skp_ekinerja_2027.csv"
IKA = "199405112019022286"


def skp_2027(city: SQLiteStore) -> list[dict]:
    return [t for t in city.records("Target") if t["tahun"] == 2027]


def test_the_section_offers_the_kind_and_says_what_it_reads(client: FlaskClient, runtime: Runtime) -> None:
    sign_in(client, runtime)
    page = client.get(URL).text
    assert f'<option value="{ekinerja.KIND}"' in page and "ekspor SKP dari e-Kinerja BKN atau SIASN" in page
    assert "RHK Atasan yang" in page and "Target TW I sampai TW IV" in page


def test_preview_confirm_and_importing_the_same_export_again(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    data = SAMPLE.read_bytes()

    shown = preview(client, data, name="skp.csv", lembar=ekinerja.KIND)
    assert shown.status_code == 200
    assert counts(shown.text) == "5 baru, 0 diubah, 0 tetap, 0 ditolak."
    assert "Terlayaninya surat pengantar warga" in shown.text and 'id="simpan-impor"' in shown.text
    assert skp_2027(city) == []

    saved = confirm(client, shown.text)
    assert saved.status_code == 200
    assert "Tersimpan dari skp.csv: Target 5 baru, 0 diubah, 0 tetap." in saved.text
    surat = next(t for t in skp_2027(city) if t["nip"] == IKA and t["satuan"] == "surat")
    assert [surat[f"target_tw{q}"] for q in (1, 2, 3, 4)] == [550, 600, 600, 650]
    after = city.records("Target")

    again = preview(client, data, name="skp.csv", lembar=ekinerja.KIND)
    assert counts(again.text) == "0 baru, 0 diubah, 5 tetap, 0 ditolak."
    assert "Tidak ada yang perlu disimpan" in again.text
    twice = confirm(client, shown.text)  # the first confirm sent again
    assert twice.status_code == 200 and "tidak ada yang perlu disimpan" in twice.text
    assert city.records("Target") == after


def test_a_refused_row_shows_its_row_and_the_exports_column_and_nothing_is_saved(
    client: FlaskClient, runtime: Runtime, city: SQLiteStore
) -> None:
    sign_in(client, runtime)
    data = SAMPLE.read_bytes().replace(b"2400;surat;550;600;600;650", b"2400;surat;550;600;-5;650")

    answer = preview(client, data, name="skp.csv", lembar=ekinerja.KIND)

    assert counts(answer.text) == "4 baru, 0 diubah, 0 tetap, 1 ditolak."
    assert '<tr class="has-error"><td>9</td>' in answer.text
    assert "kolom Target TW III: " in answer.text and 'id="simpan-impor"' not in answer.text
    assert skp_2027(city) == []

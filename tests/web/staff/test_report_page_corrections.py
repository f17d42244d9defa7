"""Fixing a returned activity from the report form, and the form's error summary and default button, over HTTP."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.runtime import Runtime
from functions.staff import corrections, verification
from functions.web.app import create_app
from tests.conftest import OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.pages import activity_fields, csrf_of, post_form, submission_id


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


def form_url(runtime: Runtime, nip: str = STAFF_A, **query: str) -> str:
    extra = "".join(f"&{k}={quote(v)}" for k, v in query.items())
    return f"/submit_report?t={quote(token_for(runtime.store, nip))}{extra}"


def target_id(runtime: Runtime, n: int = 1, nip: str = STAFF_A) -> str:
    return f"{nip}-{runtime.today().year}-{n}"


def send(
    client: FlaskClient, runtime: Runtime, sid: str, day: date | None = None, nip: str = STAFF_A, **over: Any
) -> str:
    """Send one activity as the person would; returns its id."""
    day = day or runtime.today()
    form = {"id_kiriman": sid, "aksi": "kirim", **activity_fields(0, day, target_id(runtime, nip=nip), **over)}
    answer = post_form(client, form_url(runtime, nip), form)
    assert answer.status_code == 200, answer.text[-800:]
    return f"{sid}-1"


def give_back(runtime: Runtime, activity_id: str, note: str = "Lampirkan nomor surat.") -> None:
    day = runtime.store.records("LaporanHarian", where={"id": activity_id})[0]["tanggal"]
    verification.verify(
        runtime.store, SUPERVISOR, {activity_id: ("Dikembalikan", note)}, runtime.now(), start=day, end=day
    )


def fields_of(html: str) -> dict[str, str]:
    """The named inputs and textareas of the report form as the page shows them."""
    found = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    found.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', html))
    for name, value in re.findall(r'<select[^>]*name="([^"]+)".*?<option value="([^"]*)" selected', html, re.DOTALL):
        found[name] = value
    return found


def resend(client: FlaskClient, runtime: Runtime, activity_id: str, **over: str) -> Any:
    """Open the returned activity's fix link, change ``over`` and send it, as the browser would."""
    page = client.get(form_url(runtime, perbaiki=activity_id))
    assert page.status_code == 200, page.text[-800:]
    form = {**fields_of(page.text), "aksi": "kirim", "csrf": csrf_of(page.text)}
    form.update({f"{k}-0": v for k, v in over.items()})
    return client.post(form_url(runtime), data=form)


def test_a_returned_activity_is_listed_to_fix_and_opens_prefilled_with_the_note(
    client: FlaskClient, runtime: Runtime
) -> None:
    returned = send(client, runtime, "kirimanUji00001", kegiatan="Surat pengantar tanpa nomor")
    give_back(runtime, returned, "Nomor surat belum ada.")
    page = client.get(form_url(runtime))
    assert "Perlu diperbaiki (1)" in page.text
    assert f"perbaiki={returned}" in page.text
    fix = client.get(form_url(runtime, perbaiki=returned))
    assert fix.status_code == 200
    assert "Catatan atasan:</strong> Nomor surat belum ada." in fix.text
    fields = fields_of(fix.text)
    assert fields[corrections.FIELD] == returned and fields["kegiatan-0"] == "Surat pengantar tanpa nomor"
    assert fields["kuantitas-0"] == "3" and fields["durasi_menit-0"] == "45"
    assert fields["id_target-0"] == target_id(runtime)
    assert 'name="kegiatan-1"' not in fix.text and "Tambah kegiatan" not in fix.text
    assert submission_id(fix.text) == corrections.submission_id(returned)


def test_the_correction_is_a_new_row_linked_to_the_returned_one_which_stays_as_history(
    client: FlaskClient, runtime: Runtime
) -> None:
    returned = send(client, runtime, "kirimanUji00002")
    give_back(runtime, returned)
    answer = resend(client, runtime, returned, kegiatan="Surat pengantar nomor 470/12", kuantitas="4")
    assert answer.status_code == 200 and "perbaikan Anda sudah tercatat" in answer.text
    rows = {r["id"]: r for r in runtime.store.records("LaporanHarian")}
    assert len(rows) == 2
    old = rows[returned]
    assert (old["verifikasi"], old["catatan_verifikasi"], old["menggantikan"]) == (
        "Dikembalikan",
        "Lampirkan nomor surat.",
        None,
    )
    new = rows[f"{corrections.submission_id(returned)}-1"]
    assert (new["menggantikan"], new["verifikasi"], new["kegiatan"], new["kuantitas"]) == (
        returned,
        "Menunggu",
        "Surat pengantar nomor 470/12",
        4,
    )
    page = client.get(form_url(runtime))
    assert "Perlu diperbaiki" not in page.text and "Sudah diperbaiki dan dikirim ulang." in page.text


def test_a_correction_is_stored_once_and_a_second_different_one_is_409(client: FlaskClient, runtime: Runtime) -> None:
    returned = send(client, runtime, "kirimanUji00003")
    give_back(runtime, returned)
    assert resend(client, runtime, returned, kuantitas="4").status_code == 200
    # The same correction again (a double tap, a retry): recorded once.
    again = resend(client, runtime, returned, kuantitas="4")
    assert again.status_code == 200 and "tidak dicatat dua kali" in again.text
    # Another correction of the same activity, from a form opened before the first was sent: refused.
    other = resend(client, runtime, returned, kuantitas="9")
    assert other.status_code == 409 and "sudah diperbaiki dan dikirim ulang sebelumnya" in other.text
    assert 'value="9"' in other.text  # what was typed is kept
    assert runtime.store.count("LaporanHarian") == 2


def test_the_correction_may_keep_the_returned_activitys_old_date(client: FlaskClient, runtime: Runtime) -> None:
    old_day = runtime.today() - timedelta(days=7)  # laporan_batas_hari: 7, the oldest day still allowed
    returned = send(client, runtime, "kirimanUji00004", day=old_day)
    give_back(runtime, returned)
    runtime.store.upsert("Konfigurasi", [{"kunci": "laporan_batas_hari", "nilai": "3"}])
    other_old = (old_day + timedelta(days=1)).isoformat()
    refused = resend(client, runtime, returned, tanggal=other_old)
    assert refused.status_code == 400 and "Tanggal terlalu lama" in refused.text
    assert resend(client, runtime, returned).status_code == 200
    assert runtime.store.count("LaporanHarian") == 2


@pytest.mark.parametrize("status", ["Menunggu", "Disetujui"])
def test_an_activity_not_returned_cannot_be_corrected(client: FlaskClient, runtime: Runtime, status: str) -> None:
    activity = send(client, runtime, "kirimanUji00005")
    runtime.store.set_cells("LaporanHarian", activity, {"verifikasi": status})
    page = client.get(form_url(runtime, perbaiki=activity))
    assert page.status_code == 400 and f"berstatus {status}" in page.text
    form = {
        "id_kiriman": "x",
        "aksi": "kirim",
        corrections.FIELD: activity,
        **activity_fields(0, runtime.today(), target_id(runtime)),
    }
    answer = post_form(client, form_url(runtime), form)
    assert answer.status_code == 400 and f"berstatus {status}" in answer.text
    assert runtime.store.count("LaporanHarian") == 1


@pytest.mark.parametrize("activity_id", ["tidak-ada-1", "x", "kiriman" + "9" * 70, "../../etc"])
def test_an_unknown_activity_to_correct_is_400_and_stores_nothing(
    client: FlaskClient, runtime: Runtime, activity_id: str
) -> None:
    page = client.get(form_url(runtime, perbaiki=activity_id))
    assert page.status_code == 400 and "tidak ditemukan" in page.text
    form = {
        "id_kiriman": "kirimanUji00006",
        "aksi": "kirim",
        corrections.FIELD: activity_id,
        **activity_fields(0, runtime.today(), target_id(runtime)),
    }
    answer = post_form(client, form_url(runtime), form)
    assert answer.status_code == 400 and "tidak ditemukan" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


def test_someone_elses_returned_activity_is_403(client: FlaskClient, runtime: Runtime) -> None:
    returned = send(client, runtime, "kirimanUji00007", nip=STAFF_B)
    give_back(runtime, returned)
    assert client.get(form_url(runtime, perbaiki=returned)).status_code == 403
    form = {"aksi": "kirim", corrections.FIELD: returned, **activity_fields(0, runtime.today(), target_id(runtime))}
    assert post_form(client, form_url(runtime), form).status_code == 403
    assert client.get(form_url(runtime, OTHER, perbaiki=returned)).status_code == 403
    assert runtime.store.count("LaporanHarian") == 1


def test_a_bad_field_in_a_correction_is_400_naming_it_and_keeps_the_correction(
    client: FlaskClient, runtime: Runtime
) -> None:
    returned = send(client, runtime, "kirimanUji00008")
    give_back(runtime, returned)
    answer = resend(client, runtime, returned, kuantitas="banyak")
    assert answer.status_code == 400
    assert "Kegiatan 1: Kuantitas: harus berupa angka" in answer.text
    assert fields_of(answer.text)[corrections.FIELD] == returned and 'value="banyak"' in answer.text
    assert runtime.store.count("LaporanHarian") == 1


def test_the_day_counts_the_correction_not_both_even_when_the_old_one_is_approved_by_hand(
    client: FlaskClient, runtime: Runtime
) -> None:
    returned = send(client, runtime, "kirimanUji00009", durasi_menit="1000")
    give_back(runtime, returned)
    assert resend(client, runtime, returned).status_code == 200  # 1000 minutes again, corrected
    # Someone sets the replaced activity to Disetujui in the sheet: it still does not count.
    runtime.store.set_cells("LaporanHarian", returned, {"verifikasi": "Disetujui"})
    refused = post_form(
        client,
        form_url(runtime),
        {
            "id_kiriman": "kirimanUji00010",
            "aksi": "kirim",
            **activity_fields(0, runtime.today(), target_id(runtime), durasi_menit="441"),
        },
    )
    assert refused.status_code == 400 and "sisa waktu hari itu 440 menit" in refused.text
    send(client, runtime, "kirimanUji00011", durasi_menit="440")


def test_the_error_summary_names_the_block_and_links_to_the_field(client: FlaskClient, runtime: Runtime) -> None:
    form = {"id_kiriman": "kirimanUji00012", "aksi": "kirim"}
    form.update(activity_fields(0, runtime.today(), target_id(runtime)))
    form.update(activity_fields(1, runtime.today(), target_id(runtime, 2), kuantitas="dua", durasi_menit=""))
    answer = post_form(client, form_url(runtime), form)
    assert answer.status_code == 400
    summary = answer.text[
        answer.text.index('id="ringkasan-galat"') : answer.text.index(
            "</div>", answer.text.index('id="ringkasan-galat"')
        )
    ]
    assert '<a href="#kuantitas-1">Kegiatan 2: Kuantitas: harus berupa angka' in summary
    assert '<a href="#durasi_menit-1">Kegiatan 2: Durasi wajib diisi.</a>' in summary
    assert 'id="kuantitas-1" name="kuantitas-1" value="dua" inputmode="decimal" aria-invalid="true"' in answer.text
    assert runtime.store.count("LaporanHarian") == 0


def test_the_send_button_is_the_forms_first_submit_button(client: FlaskClient, runtime: Runtime) -> None:
    """Enter (or a phone's Go key) in a field presses the first submit button of the form in tree order."""
    page = client.get(form_url(runtime)).text
    form = page[page.index('<form method="post"') : page.index("</form>")]
    buttons = re.findall(r'<button type="submit" name="aksi" value="(\w+)"', form)
    assert buttons == ["kirim", "tambah"]


def test_labels_name_the_activity_block(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(form_url(runtime)).text
    for n in (1, 2):
        assert f'<label for="kuantitas-{n - 1}">Kuantitas<span class="visually-hidden"> kegiatan {n}</span>' in page


CORRECTION_FIELDS = [
    corrections.FIELD,
    "id_kiriman",
    "aksi",
    "tanggal-0",
    "kegiatan-0",
    "kuantitas-0",
    "durasi_menit-0",
]


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(CORRECTION_FIELDS),
        st.one_of(st.text(max_size=90), st.sampled_from(["", "kirimanUji00099-1", "tambah", "2026-02-30"])),
        max_size=len(CORRECTION_FIELDS),
    )
)
def test_random_corrections_never_give_a_5xx_nor_store_a_correction_of_nothing(
    client: FlaskClient, runtime: Runtime, values: dict[str, str]
) -> None:
    answer = post_form(client, form_url(runtime), {"id_target-0": target_id(runtime), **values})
    assert answer.status_code < 500, answer.text[-500:]
    if values.get(corrections.FIELD, "").strip():
        assert not [r for r in runtime.store.records("LaporanHarian") if r["menggantikan"]]
    page = client.get(form_url(runtime, perbaiki=values.get(corrections.FIELD, "") or "x"))
    assert page.status_code < 500

"""The daily report form over HTTP: rendering, submitting, retries and bad input."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.runtime import Runtime
from functions.staff import reports
from functions.web.app import create_app
from tests.conftest import OTHER, STAFF_A, token_for
from tests.support.pages import activity_fields, csrf_of, post_form, submission_id


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


@pytest.fixture
def token(runtime: Runtime, city: dict[str, Any]) -> str:
    return token_for(runtime.store, STAFF_A)


def today(runtime: Runtime) -> date:
    return runtime.today()


def tid(runtime: Runtime, n: int = 1) -> str:
    return f"{STAFF_A}-{today(runtime).year}-{n}"


def post(client: FlaskClient, token: str, data: dict[str, str], **kw: Any) -> Any:
    return post_form(client, f"/submit_report?t={quote(token)}", data, **kw)


def good_form(runtime: Runtime, sid: str = "a1b2c3d4e5f60718", blocks: int = 2) -> dict[str, str]:
    form = {"id_kiriman": sid, "aksi": "kirim"}
    for i in range(blocks):
        form.update(activity_fields(i, today(runtime), tid(runtime, 1 + i % 2)))
    return form


def test_form_shows_the_employee_and_only_their_targets(client: FlaskClient, token: str, runtime: Runtime) -> None:
    page = client.get(f"/submit_report?t={token}")
    assert page.status_code == 200
    assert "Budi Santoso" in page.text and "Kelurahan Uji" in page.text
    assert tid(runtime) in page.text
    assert OTHER not in page.text
    assert f'value="{today(runtime).isoformat()}"' in page.text


def test_two_activities_are_stored_with_every_field(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime)
    form["bukti_dukung-1"] = "https://drive.example.go.id/berkas/1"
    form["kendala-1"] = "Printer rusak"
    form["kuantitas-1"] = "2,5"
    answer = post(client, token, form)
    assert answer.status_code == 200
    assert "laporan Anda sudah tercatat" in answer.text
    rows = runtime.store.records("LaporanHarian")
    assert [r["id"] for r in rows] == ["a1b2c3d4e5f60718-1", "a1b2c3d4e5f60718-2"]
    second = rows[1]
    assert second["nip"] == STAFF_A and second["nama"] == "Budi Santoso" and second["unit"] == "KEL-UJI"
    assert second["tanggal"] == today(runtime)
    assert second["id_target"] == tid(runtime, 2) and second["indikator"] == "Jumlah warga yang dilayani"
    assert second["satuan"] == "orang" and second["kuantitas"] == 2.5 and second["durasi_menit"] == 45
    assert second["bukti_dukung"] == "https://drive.example.go.id/berkas/1" and second["kendala"] == "Printer rusak"
    assert second["verifikasi"] == "Menunggu" and second["diterima_pada"] is not None


def test_empty_blocks_are_ignored(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime, blocks=1)
    form.update({"tanggal-1": today(runtime).isoformat(), "id_target-1": tid(runtime), "kegiatan-1": "  "})
    assert post(client, token, form).status_code == 200
    assert runtime.store.count("LaporanHarian") == 1


def test_retry_with_same_id_adds_nothing(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime)
    assert post(client, token, form).status_code == 200
    again = post(client, token, form)
    assert again.status_code == 200
    assert "tidak dicatat dua kali" in again.text
    assert runtime.store.count("LaporanHarian") == 2


def test_same_id_with_other_content_is_409_and_keeps_the_input(
    client: FlaskClient, token: str, runtime: Runtime
) -> None:
    form = good_form(runtime)
    post(client, token, form)
    form["kegiatan-0"] = "Isi yang lain sama sekali"
    answer = post(client, token, form)
    assert answer.status_code == 409
    assert "isi yang berbeda" in answer.text
    assert "Isi yang lain sama sekali" in answer.text
    assert submission_id(answer.text) != form["id_kiriman"]
    assert runtime.store.count("LaporanHarian") == 2


def test_add_activity_button_keeps_input_and_adds_a_block(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime)
    form["aksi"] = "tambah"
    answer = post(client, token, form)
    assert answer.status_code == 200
    assert 'name="kegiatan-2"' in answer.text and "nomor 2" in answer.text
    assert submission_id(answer.text) == form["id_kiriman"]
    assert runtime.store.count("LaporanHarian") == 0


def test_copy_last_report_prefills_todays_form(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime)
    form["tanggal-0"] = (today(runtime) - timedelta(days=1)).isoformat()
    form["kendala-0"] = "Jaringan lambat"
    post(client, token, form)
    page = client.get(f"/submit_report?t={token}&salin=1")
    assert page.status_code == 200
    assert "Jaringan lambat" in page.text and "nomor 1" in page.text
    assert f'name="tanggal-0" value="{today(runtime).isoformat()}"' in page.text
    assert submission_id(page.text) != form["id_kiriman"]


LONG = "x" * 1001


@pytest.mark.parametrize(
    "change, field, fragment",
    [
        ({"kegiatan-0": ""}, "kegiatan-0", "Kegiatan wajib diisi"),
        ({"kegiatan-0": LONG}, "kegiatan-0", "paling banyak 1000 karakter"),
        ({"tanggal-0": ""}, "tanggal-0", "Tanggal wajib diisi"),
        ({"tanggal-0": "30/11/2026"}, "tanggal-0", "TTTT-BB-HH"),
        ({"tanggal-0": "TODAYXYZ"}, "tanggal-0", "TTTT-BB-HH"),  # was stored as today
        ({"tanggal-0": "TODAY_BASIC"}, "tanggal-0", "TTTT-BB-HH"),  # 20261205: fromisoformat takes it
        ({"tanggal-0": "TODAY_ARABIC"}, "tanggal-0", "TTTT-BB-HH"),
        ({"kuantitas-0": "1_0"}, "kuantitas-0", "Kuantitas: harus berupa angka"),  # was stored as 10
        ({"kuantitas-0": "٣"}, "kuantitas-0", "Kuantitas: harus berupa angka"),  # was stored as 3
        ({"kuantitas-0": "1e3"}, "kuantitas-0", "Kuantitas: harus berupa angka"),
        ({"kuantitas-0": "2,5,1"}, "kuantitas-0", "Kuantitas: harus berupa angka"),
        ({"durasi_menit-0": "4_5"}, "durasi_menit-0", "Durasi: harus berupa angka"),
        ({"durasi_menit-0": "٤٥"}, "durasi_menit-0", "Durasi: harus berupa angka"),
        ({"tanggal-0": "FUTURE"}, "tanggal-0", "masa depan"),
        ({"tanggal-0": "OLD"}, "tanggal-0", "terlalu lama"),
        ({"id_target-0": ""}, "id_target-0", "Indikator SKP wajib diisi"),
        ({"id_target-0": "OTHER"}, "id_target-0", "daftar target Anda"),
        ({"kuantitas-0": ""}, "kuantitas-0", "Kuantitas wajib diisi"),
        ({"kuantitas-0": "tiga"}, "kuantitas-0", "harus berupa angka"),
        ({"kuantitas-0": "-1"}, "kuantitas-0", "tidak boleh kurang"),
        ({"kuantitas-0": "0"}, "kuantitas-0", "tidak boleh kurang"),
        ({"kuantitas-0": "99999999"}, "kuantitas-0", "tidak boleh lebih dari 10000"),
        ({"kuantitas-0": "nan"}, "kuantitas-0", "harus berupa angka"),
        ({"kuantitas-0": "inf"}, "kuantitas-0", "harus berupa angka"),
        ({"durasi_menit-0": "1.5"}, "durasi_menit-0", "bilangan bulat"),
        ({"durasi_menit-0": "0"}, "durasi_menit-0", "tidak boleh kurang dari 1"),
        ({"durasi_menit-0": "2000"}, "durasi_menit-0", "tidak boleh lebih dari 1440"),
        ({"durasi_menit-0": "900", "durasi_menit-1": "900"}, "durasi_menit-1", "melebihi 24 jam"),
        ({"bukti_dukung-0": "javascript:alert(1)"}, "bukti_dukung-0", "http://"),
        ({"bukti_dukung-0": "ftp://x"}, "bukti_dukung-0", "http://"),
        ({"kendala-0": "a\x01b"}, "kendala-0", "karakter kendali"),
        ({"id_kiriman": "pendek"}, "id_kiriman", "ID kiriman tidak valid"),
        ({"id_kiriman": "a/b/c/d/e/f/g/h"}, "id_kiriman", "ID kiriman tidak valid"),
    ],
)
def test_bad_fields_answer_400_name_the_field_keep_input_and_store_nothing(
    client: FlaskClient, token: str, runtime: Runtime, change: dict[str, str], field: str, fragment: str
) -> None:
    form = good_form(runtime)
    replacements = {
        "FUTURE": (today(runtime) + timedelta(days=1)).isoformat(),
        "OLD": (today(runtime) - timedelta(days=8)).isoformat(),
        "OTHER": f"{OTHER}-{today(runtime).year}-1",
        "TODAYXYZ": today(runtime).isoformat() + "XYZ",
        "TODAY_BASIC": today(runtime).strftime("%Y%m%d"),
        "TODAY_ARABIC": today(runtime).isoformat().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
    }
    form.update({k: replacements.get(v, v) for k, v in change.items()})
    answer = post(client, token, form)
    assert answer.status_code == 400
    assert fragment in answer.text
    assert f'id="galat-{field}"' in answer.text or f'id="{field}"' in answer.text
    assert "Laporan belum terkirim" in answer.text or field == "id_kiriman"
    assert form["kegiatan-1"] in answer.text  # what was typed comes back
    assert runtime.store.count("LaporanHarian") == 0


# -- at most 24 hours of activities a day, over every submission -----------------------------------------------


def durations_form(runtime: Runtime, sid: str, *minutes: int, day: date | None = None) -> dict[str, str]:
    form = {"id_kiriman": sid, "aksi": "kirim"}
    for i, m in enumerate(minutes):
        form.update(activity_fields(i, day or today(runtime), tid(runtime), durasi_menit=str(m)))
    return form


def test_a_day_over_24_hours_across_submissions_is_refused_naming_the_minutes_left(
    client: FlaskClient, token: str, runtime: Runtime
) -> None:
    assert post(client, token, durations_form(runtime, "pagihari0000001", 600, 300)).status_code == 200
    second = durations_form(runtime, "sorehari0000002", 560, 60)
    answer = post(client, token, second)
    assert answer.status_code == 400
    assert 'id="galat-durasi_menit-0"' in answer.text
    assert "melebihi 24 jam (1440 menit). Sudah terisi 900 menit, sisa waktu hari itu 540 menit." in answer.text
    assert second["kegiatan-1"] in answer.text and 'value="560"' in answer.text  # what was typed comes back
    assert runtime.store.count("LaporanHarian") == 2
    # What fits is taken: 540 more minutes make exactly 24 hours.
    assert post(client, token, durations_form(runtime, "sorehari0000003", 480, 60)).status_code == 200
    assert sum(r["durasi_menit"] for r in runtime.store.records("LaporanHarian")) == 1440


def test_a_resend_of_a_full_day_is_still_a_no_op(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = durations_form(runtime, "sehariPenuh00001", 720, 720)
    assert post(client, token, form).status_code == 200
    again = post(client, token, form)
    assert again.status_code == 200 and "tidak dicatat dua kali" in again.text
    assert runtime.store.count("LaporanHarian") == 2


def test_other_days_and_returned_activities_do_not_count(client: FlaskClient, token: str, runtime: Runtime) -> None:
    from functions.staff import verification
    from tests.conftest import SUPERVISOR

    yesterday = today(runtime) - timedelta(days=1)
    assert post(client, token, durations_form(runtime, "kemarin000000001", 1440, day=yesterday)).status_code == 200
    assert post(client, token, durations_form(runtime, "hariIni000000001", 1000)).status_code == 200
    returned = runtime.store.records("LaporanHarian", where={"id_kiriman": "hariIni000000001"})[0]["id"]
    verification.verify(
        runtime.store,
        SUPERVISOR,
        {returned: ("Dikembalikan", "Durasi tidak wajar")},
        runtime.now(),
        start=yesterday,
        end=today(runtime),
    )
    # The returned 1000 minutes are sent again corrected: they do not count twice.
    assert post(client, token, durations_form(runtime, "perbaikan0000001", 1000)).status_code == 200
    assert post(client, token, durations_form(runtime, "lebih00000000001", 441)).status_code == 400


def test_a_form_with_no_activity_is_refused(client: FlaskClient, token: str, runtime: Runtime) -> None:
    answer = post(client, token, {"id_kiriman": "a1b2c3d4e5f60718", "tanggal-0": today(runtime).isoformat()})
    assert answer.status_code == 400
    assert "paling sedikit satu kegiatan" in answer.text


def test_too_many_activities_are_refused(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime, blocks=11)
    for i in range(11):
        form[f"durasi_menit-{i}"] = "10"
    answer = post(client, token, form)
    assert answer.status_code == 400 and "Paling banyak 10 kegiatan" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


@pytest.mark.parametrize(
    "link, fragment",
    [
        ("", "tidak dikenali"),
        ("bukan-token", "tidak dikenali"),
        ("TAMPER", "tidak dikenali"),
        ("OTHER_KEY", "tidak dikenali"),
        ("REVOKED", "sudah dicabut"),
        ("INACTIVE", "tidak aktif"),
        ("UNKNOWN_NIP", "tidak dikenali"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_bad_links_answer_403_and_store_nothing(
    client: FlaskClient, token: str, runtime: Runtime, link: str, fragment: str, method: str
) -> None:
    from functions.staff import identity

    store = runtime.store
    if link == "TAMPER":
        link = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif link == "OTHER_KEY":
        link = identity.make_token("k" * 40, store.records("Pegawai", where={"nip": STAFF_A})[0])
    elif link == "REVOKED":
        store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAFF_A})[0], "versi_tautan": 2}])
        link = token
    elif link == "INACTIVE":
        store.upsert("Pegawai", [{**store.records("Pegawai", where={"nip": STAFF_A})[0], "aktif": False}])
        link = token
    elif link == "UNKNOWN_NIP":
        link = identity.make_token(runtime.settings.secret_key, {"nip": "199912312020121999", "versi_tautan": 1})
    if method == "GET":
        answer = client.get(f"/submit_report?t={quote(link)}")
    else:
        answer = post(client, link, good_form(runtime))
    assert answer.status_code == 403
    assert fragment in answer.text
    assert store.count("LaporanHarian") == 0


def test_body_over_the_limit_is_413(client: FlaskClient, token: str, runtime: Runtime) -> None:
    form = good_form(runtime)
    form["kendala-0"] = "k" * 70_000
    answer = post(client, token, form)
    assert answer.status_code == 413 and "terlalu besar" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", b'{"kegiatan-0": "x"}'),
        ("text/plain", b"kegiatan-0=x"),
    ],
)
def test_wrong_content_type_is_415(
    client: FlaskClient, token: str, runtime: Runtime, content_type: str, body: bytes
) -> None:
    answer = client.post(f"/submit_report?t={token}", data=body, content_type=content_type)
    assert answer.status_code == 415 and "Jenis isi kiriman" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


@pytest.mark.parametrize(
    "body, named",
    [(b"kegiatan-0=%FF%FE", "Kegiatan"), (b"kegiatan-0=\xff", "Kegiatan"), (b"id_kiriman=a%00b", "ID kiriman")],
)
def test_invalid_utf8_or_nul_is_400_naming_the_field(
    client: FlaskClient, token: str, runtime: Runtime, body: bytes, named: str
) -> None:
    answer = client.post(f"/submit_report?t={token}", data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 400 and f"{named}: berisi karakter yang tidak dapat dibaca" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: FlaskClient, token: str, method: str) -> None:
    assert client.open(f"/submit_report?t={token}", method=method).status_code == 405


def test_formula_like_text_is_stored_as_typed_and_escaped_in_the_page(
    client: FlaskClient, token: str, runtime: Runtime
) -> None:
    form = good_form(runtime, blocks=1)
    form["kegiatan-0"] = '=HYPERLINK("http://x")'
    form["kendala-0"] = "<script>alert(1)</script>"
    answer = post(client, token, form)
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;" in answer.text
    row = runtime.store.records("LaporanHarian")[0]
    assert row["kegiatan"] == '=HYPERLINK("http://x")' and row["kendala"] == "<script>alert(1)</script>"


FIELDS = [
    "id_kiriman",
    "aksi",
    "tanggal-0",
    "kegiatan-0",
    "id_target-0",
    "kuantitas-0",
    "durasi_menit-0",
    "bukti_dukung-0",
    "kendala-0",
    "kegiatan-1",
    "kuantitas-99",
    "x",
]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(st.text(max_size=60), st.sampled_from(["", "0", "-1", "1e309", "2026-02-30", "9999-12-31"])),
        max_size=len(FIELDS),
    )
)
def test_random_field_values_never_give_a_5xx(client: FlaskClient, token: str, values: dict[str, str]) -> None:
    answer = post(client, token, values)
    assert answer.status_code < 500, answer.text[-500:]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300))
def test_random_bodies_never_give_a_5xx(client: FlaskClient, token: str, body: bytes) -> None:
    answer = client.post(f"/submit_report?t={token}", data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code < 500


def test_concurrent_submissions_are_all_stored_once(runtime: Runtime, city: dict[str, Any], token: str) -> None:
    """20 threads each post 50 submissions: exactly 1,000 stored, no error."""
    app = create_app(runtime)
    errors: list[str] = []

    def worker(n: int) -> None:
        client = app.test_client()
        csrf = csrf_of(client.get(f"/submit_report?t={quote(token)}").text)
        for k in range(50):
            # One minute each: 1,000 minutes fit in the day's 24 hours.
            form = {
                "id_kiriman": f"thread{n:02d}sub{k:03d}",
                **activity_fields(0, runtime.today(), tid(runtime), durasi_menit="1"),
            }
            answer = client.post(f"/submit_report?t={quote(token)}", data={"csrf": csrf, **form})
            if answer.status_code != 200:
                errors.append(f"{answer.status_code}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert runtime.store.count("LaporanHarian") == 1000
    assert len({r["id_kiriman"] for r in runtime.store.records("LaporanHarian")}) == 1000


def test_submit_path_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = "import sys, main; from functions.web.staff import report_page; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_draft_from_form_ignores_unrelated_fields() -> None:
    draft = reports.Draft.from_form({"id_kiriman": "abc", "x-1": "", "kegiatan-0": "A"}, 10)
    assert [b["kegiatan"] for b in draft.blocks] == ["A", ""]


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_missing_or_wrong_csrf_is_403_and_stores_nothing(
    client: FlaskClient, token: str, runtime: Runtime, csrf: str | None
) -> None:
    client.get(f"/submit_report?t={quote(token)}")  # the browser has the cookie
    form = good_form(runtime)
    if csrf is not None:
        form["csrf"] = csrf
    answer = client.post(f"/submit_report?t={quote(token)}", data=form)
    assert answer.status_code == 403 and "Muat ulang halaman" in answer.text
    assert runtime.store.count("LaporanHarian") == 0


def test_csrf_field_without_its_cookie_is_403(client: FlaskClient, token: str, runtime: Runtime) -> None:
    csrf = csrf_of(client.get(f"/submit_report?t={quote(token)}").text)
    client.delete_cookie("kinerja_csrf")
    answer = client.post(f"/submit_report?t={quote(token)}", data={"csrf": csrf, **good_form(runtime)})
    assert answer.status_code == 403
    assert runtime.store.count("LaporanHarian") == 0

"""The reporter's side of a complaint over HTTP (functions/web/public/complaint_reply.py): the PIN shown once on
filing, the status page opened with it, added information, replies, ratings and reopen requests, wrong PINs.

The town (two units, each with a head and staff) is the ``town`` fixture (tests/support/towns.py).
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.citizens import complaint_pin, complaints, conversation
from functions.rendering import format_date
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from functions.web.public import complaint_reply, pin_guard
from tests.citizens.test_complaints import complaint_form
from tests.conftest import token_for
from tests.support.pages import csrf_of, submission_id
from tests.support.towns import DUKCAPIL, STAFF_A

FORM_URL = f"/submit_complaint?unit={DUKCAPIL}"
CODE = re.compile(r'id="kode-pelacakan"[^>]*>(ADU-[A-Z0-9-]{14})<')
PIN = re.compile(r'id="pin">([A-Z0-9]{4}-[A-Z0-9]{4})<')
STATE = re.compile(r'id="status">([^<]+)<')
SEED = "benihFormulirUji0000000001"
INFO = "Antrean terjadi lagi hari ini pukul 09.00, loket 3 kosong tanpa petugas."
ANSWER = "Petugas loket 3 sudah ditambah mulai besok pagi."


@pytest.fixture
def app_runtime(settings: Settings, store: SQLiteStore, town: dict[str, Any]) -> Runtime:
    return Runtime(settings=replace(settings, rate_limit=100_000), store=store)


@pytest.fixture
def client(app_runtime: Runtime) -> FlaskClient:
    return create_app(app_runtime).test_client()


def file(client: FlaskClient, sid: str = "aduanUji0001", seed: str = SEED, **over: str) -> tuple[str, str, str]:
    """File a complaint through the form; (id, code, PIN)."""
    csrf = csrf_of(client.get(FORM_URL).text)
    answer = client.post(FORM_URL, data={"csrf": csrf, "benih_pin": seed, **complaint_form(sid, **over)})
    assert answer.status_code == 200, answer.text[-800:]
    code, pin = CODE.search(answer.text), PIN.search(answer.text)
    assert code and pin, answer.text[-800:]
    return sid, code.group(1), pin.group(1)


def reporter(client: FlaskClient, code: str, pin: str, **data: str) -> Any:
    """POST to the status page as the reporter's browser: open the page first (CSRF), then send."""
    page = client.get("/complaint_status", query_string={"kode": code}).text
    csrf = csrf_of(page) or csrf_of(client.get(FORM_URL).text)  # an unknown code's 404 holds no form
    return client.post("/complaint_status", data={"csrf": csrf, "kode": code, "pin": pin, **data})


def add_info(client: FlaskClient, code: str, pin: str) -> Any:
    return reporter(client, code, pin, jenis=conversation.ADD, catatan=INFO, id_kiriman="infoUji000001")


def act(client: FlaskClient, store: SQLiteStore, id_aduan: str, jenis: str, sid: str, **extra: str) -> None:
    url = f"/handle_complaints?t={quote(token_for(store, STAFF_A))}"
    csrf = csrf_of(client.get(url).text)
    data = {"csrf": csrf, "id_aduan": id_aduan, "id_kiriman": sid, "jenis": jenis, **extra}
    assert client.post(url, data=data).status_code == 303


def events_of(store: SQLiteStore, id_aduan: str) -> list[str]:
    return [e["jenis"] for e in store.records("AduanPeristiwa", where={"id_aduan": id_aduan})]


def state_of(page: str) -> str:
    match = STATE.search(page)
    assert match
    return match.group(1)


# -- the PIN on filing ---------------------------------------------------------------------------------------------


def test_filing_shows_a_pin_once_and_stores_only_its_hash(
    client: FlaskClient, store: SQLiteStore, app_runtime: Runtime
) -> None:
    form = client.get(FORM_URL).text
    assert re.search(r'name="benih_pin" value="[A-Za-z0-9_-]{32}"', form)
    sid, _, pin = file(client)
    assert pin == complaint_pin.shown(complaint_pin.derive(app_runtime.settings.secret_key, SEED, sid))
    assert complaint_pin.matches(store, sid, pin)
    (row,) = store.records("AduanPin")
    assert row["id"] == sid and pin not in repr(row) and pin.replace("-", "") not in repr(row)


def test_a_retry_of_the_same_form_shows_the_same_pin_a_replay_without_its_seed_none(
    client: FlaskClient, store: SQLiteStore
) -> None:
    sid, code, pin = file(client)
    assert file(client)[1:] == (code, pin)
    csrf = csrf_of(client.get(FORM_URL).text)
    replay = client.post(FORM_URL, data={"csrf": csrf, "benih_pin": "benihPenebakYangLain0000", **complaint_form(sid)})
    assert replay.status_code == 200 and code in replay.text
    assert PIN.search(replay.text) is None and "sudah diberikan ketika pengaduan pertama kali" in replay.text
    assert store.count("AduanPin") == 1 and complaint_pin.matches(store, sid, pin)


def test_a_refused_form_keeps_its_seed_so_the_pin_is_the_one_of_the_fixed_form(client: FlaskClient) -> None:
    csrf = csrf_of(client.get(FORM_URL).text)
    refused = client.post(FORM_URL, data={"csrf": csrf, "benih_pin": SEED, **complaint_form(kategori="")})
    assert refused.status_code == 400 and f'name="benih_pin" value="{SEED}"' in refused.text


# -- opening the conversation ----------------------------------------------------------------------------------


def test_the_status_page_is_read_only_until_the_pin_is_given(client: FlaskClient) -> None:
    _, code, pin = file(client)
    page = client.get("/complaint_status", query_string={"kode": code}).text
    assert 'id="form-pin"' in page and 'name="jenis"' not in page and pin not in page
    opened = reporter(client, code, pin.lower().replace("-", " "))
    assert opened.status_code == 200
    assert 'id="form-informasi"' in opened.text and 'id="form-tanggapan"' not in opened.text
    assert 'id="form-penilaian"' not in opened.text and 'id="form-minta"' not in opened.text


@pytest.mark.parametrize("typed_code", ["real", "ADU-2222-3333-4444", "bukan-kode", ""])
def test_a_wrong_pin_or_an_unknown_code_answers_the_same_403_and_changes_nothing(
    client: FlaskClient, store: SQLiteStore, typed_code: str
) -> None:
    sid, code, _ = file(client)
    typed = code if typed_code == "real" else typed_code
    answer = reporter(client, typed, "AAAA-BBBB", jenis=conversation.ADD, catatan=INFO, id_kiriman="infoUji000001")
    assert answer.status_code == 403
    text = html.unescape(answer.text)
    assert complaint_reply.WRONG_PIN in text and 'id="galat-pin"' in text
    # What was typed rides along, so that the right PIN sends it; the PIN typed is not shown back.
    assert f'name="catatan" value="{INFO}"' in text and 'name="id_kiriman" value="infoUji000001"' in text
    assert "AAAA-BBBB" not in text
    assert events_of(store, sid) == ["Diterima"]
    reference = reporter(client, "ADU-9999-9999-9999", "AAAA-BBBB")
    assert reference.status_code == 403
    strip = lambda t: re.sub(r'name="(kode|csrf)" value="[^"]*"|name="(catatan|jenis|id_kiriman)"[^>]*>', "", t)  # noqa: E731
    assert strip(reporter(client, typed, "AAAA-BBBB").text) == strip(reference.text)


def test_the_pin_page_sends_the_kept_text_once_the_pin_is_right(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code, pin = file(client)
    refused = reporter(client, code, "AAAA-BBBB", jenis=conversation.ADD, catatan=INFO, id_kiriman="infoUji000001")
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', refused.text))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    answer = client.post("/complaint_status", data={**fields, "kode": code, "pin": pin})
    assert answer.status_code == 200 and 'id="tersimpan"' in answer.text
    assert events_of(store, sid) == ["Diterima", conversation.ADD]


def test_wrong_pins_are_limited_per_code_even_the_right_one_then_waits(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code, pin = file(client)
    for n in range(pin_guard.PER_CODE):
        assert reporter(client, code, f"AAAA-BBB{'CDEFG'[n]}").status_code == 403
    blocked = reporter(client, code, pin, jenis=conversation.ADD, catatan=INFO, id_kiriman="infoUji000001")
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 60
    assert "terlalu banyak PIN yang salah" in blocked.text and "tunggu 15 menit" in blocked.text
    assert f'name="catatan" value="{INFO}"' in html.unescape(blocked.text)
    assert events_of(store, sid) == ["Diterima"]
    # Another complaint from the same address is still open to its reporter.
    _, other, other_pin = file(client, "aduanUji0002", seed="benihFormulirUji0000000002")
    assert reporter(client, other, other_pin).status_code == 200


def test_wrong_pins_are_limited_per_address_across_codes(client: FlaskClient) -> None:
    _, code, pin = file(client)
    for n in range(pin_guard.PER_ADDRESS):
        assert reporter(client, f"ADU-2222-3333-{2222 + n}", "AAAA-BBBB").status_code == 403
    assert reporter(client, code, pin).status_code == 429


# -- the conversation ------------------------------------------------------------------------------------------


def test_added_information_is_an_event_the_unit_must_answer_by_a_deadline(
    client: FlaskClient, store: SQLiteStore, app_runtime: Runtime
) -> None:
    sid, code, pin = file(client)
    for _ in range(2):  # a retry of the same form stores it once
        answer = reporter(client, code, pin, jenis=conversation.ADD, catatan=INFO, id_kiriman="infoUji000001")
        assert answer.status_code == 200 and "Informasi Tambahan Anda sudah tercatat" in answer.text
    assert events_of(store, sid) == ["Diterima", conversation.ADD]
    (added,) = [e for e in store.records("AduanPeristiwa") if e["jenis"] == conversation.ADD]
    assert added["catatan"] == INFO and added["oleh_nip"] is None
    found = complaints.by_code(store, code, Calendar(), app_runtime.now())
    assert found is not None
    (waiting,) = found.waiting
    assert waiting.due == max(Calendar().add_workdays(added["waktu"], 5), found.deadline.tindak_lanjut.due)
    page = html.unescape(client.get(f"/handle_complaints?t={quote(token_for(store, STAFF_A))}").text)
    assert INFO in page and "Menunggu jawaban unit" in page and "Informasi Tambahan dari pelapor" in page
    # Biasa: the reporter's text is public too; Rahasia keeps it to the PIN's holder.
    assert INFO in html.unescape(client.get("/complaint_status", query_string={"kode": code}).text)


def test_a_rahasia_reporters_words_show_only_with_the_pin(client: FlaskClient, store: SQLiteStore) -> None:
    _, code, pin = file(client, privasi="Rahasia")
    assert add_info(client, code, pin).status_code == 200
    public = html.unescape(client.get("/complaint_status", query_string={"kode": code}).text)
    assert INFO not in public and "Informasi Tambahan dari pelapor." in public
    assert INFO in html.unescape(reporter(client, code, pin).text)


def test_reply_rate_and_reopen_an_anonymous_complaint_through_the_pin(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code, pin = file(client, privasi="Anonim")
    act(client, store, sid, "Ditindaklanjuti", "jawabUji00001", catatan=ANSWER)
    opened = reporter(client, code, pin).text
    assert 'id="form-tanggapan"' in opened and 'id="form-penilaian"' in opened
    reply = "Terima kasih, tetapi loket 2 juga sering kosong."
    assert (
        reporter(client, code, pin, jenis=conversation.REPLY, catatan=reply, id_kiriman="balasUji00001").status_code
        == 200
    )
    assert state_of(client.get("/complaint_status", query_string={"kode": code}).text) == "Diproses"
    rated = reporter(client, code, pin, jenis=conversation.RATE, penilaian="Puas", id_kiriman="nilaiUji00001")
    assert rated.status_code == 200 and 'id="form-penilaian"' not in rated.text
    act(client, store, sid, "Selesai", "selesaiUji0001", catatan="Loket 2 juga sudah dijaga.")
    reopen = "Loket masih kosong pada hari Senin."
    answer = reporter(client, code, pin, jenis=conversation.REOPEN, catatan=reopen, id_kiriman="ulangUji00001")
    assert answer.status_code == 200 and state_of(answer.text) == "Diproses"
    assert events_of(store, sid) == [
        "Diterima", "Ditindaklanjuti", conversation.REPLY, conversation.RATE, "Selesai", conversation.REOPEN,
    ]  # fmt: skip
    (rating,) = [e for e in store.records("AduanPeristiwa") if e["jenis"] == conversation.RATE]
    assert (rating["penilaian"], rating["catatan"]) == ("Puas", None)
    assert store.count("AduanKontak") == 0


def test_reopening_after_ten_working_days_is_refused_with_a_clear_message(
    client: FlaskClient, store: SQLiteStore, app_runtime: Runtime
) -> None:
    now = app_runtime.now()
    row, _, _ = complaints.file(complaint_form("aduanLama0001"), store, Calendar(), now - timedelta(days=40))
    complaint_pin.issue(store, row["id"], "ABCDEFGH")
    closed_at = now - timedelta(days=30)
    store.append("AduanPeristiwa", [{"id": "selesaiLama01", "id_aduan": row["id"], "jenis": "Selesai",
                                     "waktu": closed_at, "oleh_nip": STAFF_A, "catatan": "Sudah beres."}])  # fmt: skip
    opened = html.unescape(reporter(client, row["kode"], "ABCD-EFGH").text)
    assert 'id="form-minta"' not in opened and "Batas waktu permintaan penanganan ulang sudah lewat" in opened
    answer = reporter(client, row["kode"], "ABCD-EFGH", jenis=conversation.REOPEN, catatan="Belum beres.",
                      id_kiriman="ulangLama0001")  # fmt: skip
    assert answer.status_code == 400
    until = Calendar().add_workdays(closed_at, 10)
    text = html.unescape(answer.text)
    assert f"paling lambat 10 hari kerja setelah pengaduan ditutup, yaitu {format_date(until)}." in text
    assert "Silakan kirim pengaduan baru." in text
    assert events_of(store, row["id"]) == ["Diterima", "Selesai"]


# -- bad input ---------------------------------------------------------------------------------------------------

LONG = "x" * 4001


@pytest.mark.parametrize(
    "answered, data, field, fragment",
    [
        (False, {"jenis": "Dihapus"}, "jenis", "Tindakan: pilih salah satu: Informasi Tambahan"),
        (False, {"jenis": conversation.REPLY, "catatan": "Oke."}, "jenis", "Tanggapan hanya dapat dikirim setelah"),
        (False, {"jenis": conversation.RATE, "penilaian": "Puas"}, "jenis", "Penilaian dapat diberikan setelah"),
        (False, {"jenis": conversation.REOPEN, "catatan": "Lagi."}, "jenis", "hanya dapat diminta setelah"),
        (False, {"jenis": conversation.ADD, "catatan": " \r\n "}, "catatan", "Informasi tambahan wajib diisi."),
        (False, {"jenis": conversation.ADD, "catatan": LONG}, "catatan", "Catatan: paling banyak 4000 karakter."),
        (False, {"jenis": conversation.ADD, "catatan": "a\x07b"}, "catatan", "berisi karakter kendali"),
        (False, {"jenis": conversation.ADD, "catatan": "Ok", "id_kiriman": "pendek"}, "id_kiriman", "ID kiriman"),
        (True, {"jenis": conversation.RATE, "penilaian": "Lumayan"}, "penilaian", "pilih Puas atau Tidak Puas"),
        (True, {"jenis": conversation.RATE, "penilaian": ""}, "penilaian", "pilih Puas atau Tidak Puas"),
        (True, {"jenis": conversation.RATE, "penilaian": "Tidak Puas"}, "catatan", "Alasan penilaian wajib diisi."),
        (True, {"jenis": conversation.REPLY, "catatan": ""}, "catatan", "Tanggapan Anda wajib diisi."),
    ],
)
def test_bad_reporter_input_is_400_naming_the_field_keeping_the_text_storing_nothing(
    client: FlaskClient, store: SQLiteStore, answered: bool, data: dict[str, str], field: str, fragment: str
) -> None:
    sid, code, pin = file(client)
    if answered:
        act(client, store, sid, "Ditindaklanjuti", "jawabUji00001", catatan=ANSWER)
    before = events_of(store, sid)
    answer = reporter(client, code, pin, **{"id_kiriman": "kirimanUji0001", **data})
    assert answer.status_code == 400
    text = html.unescape(answer.text)
    assert fragment in text and "Kiriman Anda belum tercatat" in text
    assert f'id="galat-{field}"' in text or f'class="error-text" id="{field}"' in text
    typed = data.get("catatan", "")
    if typed.strip():  # the text comes back in its form, also when the action is not open now
        assert f"{typed}</textarea>" in text
    if field == "id_kiriman":
        assert "kirimanUji0001" not in text and submission_id(text)
    assert events_of(store, sid) == before


def test_the_same_id_with_other_text_is_409_and_keeps_the_text(client: FlaskClient, store: SQLiteStore) -> None:
    sid, code, pin = file(client)
    assert add_info(client, code, pin).status_code == 200
    other = "Teks lain dengan ID yang sama."
    answer = reporter(client, code, pin, jenis=conversation.ADD, catatan=other, id_kiriman="infoUji000001")
    assert answer.status_code == 409 and f"{other}</textarea>" in answer.text
    assert events_of(store, sid) == ["Diterima", conversation.ADD]


def test_no_pin_no_reporter_text_and_no_complaint_text_in_the_log(
    client: FlaskClient, store: SQLiteStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _, code, pin = file(client, privasi="Anonim")
    reporter(client, code, "AAAA-BBBB")
    assert add_info(client, code, pin).status_code == 200
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "complaint reporter event stored" in logged and "complaint PIN refused" in logged
    for secret in (pin, pin.replace("-", ""), INFO, code, "KTP-el"):
        assert secret not in logged


FIELDS = ["kode", "pin", "jenis", "penilaian", "catatan", "id_kiriman", "situs_web", "x"]
SAMPLES = ["", *conversation.REPORTER_ACTIONS, *conversation.RATINGS, "infoAcak00001", "ADU-2222-3333-4444", "\t"]


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(FIELDS), st.one_of(st.text(max_size=40), st.sampled_from(SAMPLES)), max_size=len(FIELDS)
    ),
    right=st.booleans(),
)
def test_random_reporter_posts_never_give_a_5xx(
    client: FlaskClient, store: SQLiteStore, app_runtime: Runtime, values: dict[str, str], right: bool
) -> None:
    if not store.count("Aduan"):
        file(client, "aduanAcak0001", privasi="Anonim")
    code = store.records("Aduan")[0]["kode"]
    if right:  # the real code and PIN, so that the random fields reach the domain
        pin = complaint_pin.derive(app_runtime.settings.secret_key, SEED, "aduanAcak0001")
        values = {**values, "kode": code, "pin": pin}
    csrf = csrf_of(client.get("/complaint_status", query_string={"kode": code}).text)
    answer = client.post("/complaint_status", data={"csrf": csrf, **values})
    assert answer.status_code < 500, answer.text[-500:]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=200))
def test_random_reporter_bodies_never_give_a_5xx(client: FlaskClient, body: bytes) -> None:
    answer = client.post("/complaint_status", data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code < 500


# -- the receipt email ----------------------------------------------------------------------------------------------


def outbox(app_runtime: Runtime) -> list[str]:
    folder = app_runtime.settings.outbox_dir
    return sorted(p.read_text() for p in folder.glob("*.eml")) if folder.exists() else []


def test_the_code_and_pin_are_emailed_once_when_an_address_was_given(client: FlaskClient, app_runtime: Runtime) -> None:
    csrf = csrf_of(client.get(FORM_URL).text)
    data = {"csrf": csrf, "benih_pin": SEED, **complaint_form()}
    first, retry = client.post(FORM_URL, data=data), client.post(FORM_URL, data=data)
    assert 'id="pin-terkirim"' in first.text and 'id="pin-terkirim"' not in retry.text
    pin = PIN.search(retry.text)
    assert pin and pin.group(1) in first.text  # the retry shows the same PIN, sends nothing
    (message,) = outbox(app_runtime)
    assert pin.group(1) in message and "warga.pelapor@contoh.id" in message
    assert "loket 3" not in message  # no complaint text


@pytest.mark.parametrize("over", [{"privasi": "Anonim"}, {"email": ""}])
def test_no_receipt_without_a_kept_address(client: FlaskClient, app_runtime: Runtime, over: dict[str, str]) -> None:
    file(client, **over)
    assert outbox(app_runtime) == []


def test_an_over_size_body_is_413_naming_the_limit_and_counts_no_wrong_pin(client: FlaskClient) -> None:
    _, code, pin = file(client)
    for _ in range(pin_guard.PER_CODE + 1):
        answer = reporter(client, code, pin, jenis=conversation.ADD, catatan="x" * 70_000, id_kiriman="infoUji000001")
        assert answer.status_code == 413 and "Kiriman terlalu besar" in answer.text
    assert reporter(client, code, pin).status_code == 200

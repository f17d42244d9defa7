"""Supervisors rate their team's perilaku kerja each month, on the seven BerAKHLAK values."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions import schema
from functions.rules import predikat
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.staff import behaviour
from functions.web.staff import behaviour_page
from tests.conftest import OTHER, STAFF_A, STAFF_B, SUPERVISOR, token_for
from tests.support.clock import at
from tests.support.pages import csrf_of, submission_id

ABOVE, MEETS, BELOW = predikat.RATINGS
KEYS = [n.key for n in predikat.BERAKHLAK]
# Sunday 6 December 2026: November 2026 is rated, until Monday 7 December (the fifth working day of December:
# 1, 2, 3, 4 and 7 December).
RATING_DAY = datetime(2026, 12, 6, 10, 0, tzinfo=WIB)


@pytest.fixture
def runtime(runtime: Runtime) -> Runtime:
    """The tests' runtime on :data:`RATING_DAY`."""
    return at(runtime, RATING_DAY)


def behaviour_app(runtime: Runtime) -> Flask:
    """A small app routing /rate_behaviour to the handler, as functions.web.app routes its functions."""
    app = Flask(__name__, static_folder=None)
    app.add_url_rule(
        "/rate_behaviour",
        endpoint="rate_behaviour",
        view_func=lambda: behaviour_page.handle(request, runtime),
        methods=["GET", "POST", "PUT", "DELETE", "PATCH"],
    )
    return app


@pytest.fixture
def client(runtime: Runtime, city: dict[str, Any]) -> FlaskClient:
    return behaviour_app(runtime).test_client()


def this_month(runtime: Runtime) -> str:
    """The month rated on the tests' day."""
    return "2026-11"


def url(runtime: Runtime, who: str = SUPERVISOR, **query: str) -> str:
    extra = "".join(f"&{k}={quote(v)}" for k, v in query.items())
    return f"/rate_behaviour?t={quote(token_for(runtime.store, who))}{extra}"


def rating(nip: str, *values: str, catatan: str = "") -> dict[str, str]:
    """The fields of one team member: the seven values in order (all Sesuai when none given) and a note."""
    chosen = values or (MEETS,) * 7
    fields = {behaviour.field(key, nip): value for key, value in zip(KEYS, chosen, strict=False)}
    fields[behaviour.field("catatan", nip)] = catatan
    return fields


def send(client: FlaskClient, runtime: Runtime, fields: dict[str, str], who: str = SUPERVISOR, **query: str) -> Any:
    """Open the page as a browser would (CSRF cookie, field and submission id), then post."""
    page = client.get(url(runtime, who, **query))
    form = {"csrf": csrf_of(page.text), "id_kiriman": submission_id(page.text), **fields}
    return client.post(url(runtime, who, **query), data=form)


def summary(html: str) -> str:
    """The error summary at the top of a refused form."""
    match = re.search(r'id="ringkasan-galat">(.*?)</div>', html, re.DOTALL)
    assert match, "the page has no error summary"
    return match.group(1)


def stored(runtime: Runtime) -> list[dict[str, Any]]:
    return runtime.store.records("PenilaianPerilaku")


def test_page_shows_the_seven_values_in_order_with_their_guides_for_team_members_only(
    client: FlaskClient, runtime: Runtime
) -> None:
    page = client.get(url(runtime))
    assert page.status_code == 200
    assert "Budi Santoso" in page.text and "Dewi Lestari, A.Md." in page.text
    assert "Agus Prasetyo" not in page.text
    positions = [page.text.index(f'id="{behaviour.field(key, STAFF_A)}"') for key in KEYS]
    assert positions == sorted(positions)
    for nilai in predikat.BERAKHLAK:
        for guide in nilai.guides:
            assert guide in page.text
        for value in predikat.RATINGS:
            assert f'name="{behaviour.field(nilai.key, STAFF_B)}" value="{value}"' in page.text
    assert "<script" not in page.text
    assert f'name="bulan" value="{this_month(runtime)}"' in page.text
    assert page.text.count("Belum dinilai untuk") == 2


def test_saving_several_members_at_once(client: FlaskClient, runtime: Runtime) -> None:
    fields = {**rating(STAFF_A), **rating(STAFF_B, *(ABOVE,) * 7)}
    answer = send(client, runtime, fields)
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert location.startswith("rate_behaviour?") and f"bulan={this_month(runtime)}" in location
    page = client.get("/" + location)
    assert "2 penilaian perilaku untuk" in page.text and 'id="tersimpan"' in page.text
    rows = {r["nip"]: r for r in stored(runtime)}
    assert set(rows) == {STAFF_A, STAFF_B}
    a, b = rows[STAFF_A], rows[STAFF_B]
    assert a["id_kiriman"] == b["id_kiriman"] and a["id"] == f"{a['id_kiriman']}-{STAFF_A}"
    assert (a["periode"], a["nip_penilai"], a["nama"], a["unit"]) == (
        this_month(runtime),
        SUPERVISOR,
        "Budi Santoso",
        "KEL-UJI",
    )
    assert all(a[key] == MEETS for key in KEYS) and all(b[key] == ABOVE for key in KEYS)
    assert isinstance(a["diterima_pada"], datetime) and a["catatan"] is None
    # The page now shows the rating that counts for each member.
    assert f'id="saat-ini-{STAFF_B}"' in page.text and "Belum dinilai untuk" not in page.text


def test_a_correction_later_in_the_month_is_the_rating_that_counts(client: FlaskClient, runtime: Runtime) -> None:
    assert send(client, runtime, rating(STAFF_A)).status_code == 303
    assert send(client, runtime, rating(STAFF_A, *(ABOVE,) * 7, catatan="Sangat membantu warga.")).status_code == 303
    rows = stored(runtime)
    assert len(rows) == 2 and rows[0]["id_kiriman"] != rows[1]["id_kiriman"]
    current = behaviour.latest(runtime.store, this_month(runtime), [STAFF_A, STAFF_B])
    assert set(current) == {STAFF_A}
    assert current[STAFF_A]["id"] == rows[1]["id"] and current[STAFF_A]["rating_perilaku"] == ABOVE
    page = client.get(url(runtime))
    assert "Sangat membantu warga." in page.text


def test_latest_prefers_the_later_receipt_then_the_lower_row(runtime: Runtime, city: dict[str, Any]) -> None:
    month = this_month(runtime)
    now = runtime.now()

    def row(sid: str, received: datetime, value: str) -> dict[str, Any]:
        return {
            "id": f"{sid}-{STAFF_A}",
            "id_kiriman": sid,
            "periode": month,
            "nip": STAFF_A,
            "nama": "Budi Santoso",
            "unit": "KEL-UJI",
            "nip_penilai": SUPERVISOR,
            **dict.fromkeys(KEYS, value),
            "rating_perilaku": value,
            "diterima_pada": received,
        }

    runtime.store.append("PenilaianPerilaku", [row("kirimanLate01", now, ABOVE)])
    runtime.store.append("PenilaianPerilaku", [row("kirimanEarly1", now - timedelta(hours=1), BELOW)])
    assert behaviour.latest(runtime.store, month, [STAFF_A])[STAFF_A]["id_kiriman"] == "kirimanLate01"
    runtime.store.append("PenilaianPerilaku", [row("kirimanSame01", now, MEETS)])
    assert behaviour.latest(runtime.store, month, [STAFF_A])[STAFF_A]["id_kiriman"] == "kirimanSame01"
    assert behaviour.latest(runtime.store, "1999-01", [STAFF_A]) == {}


def test_a_partly_rated_member_is_refused_naming_the_missing_values(client: FlaskClient, runtime: Runtime) -> None:
    partial = {behaviour.field("berorientasi_pelayanan", STAFF_A): ABOVE, behaviour.field("akuntabel", STAFF_A): MEETS}
    answer = send(client, runtime, {**partial, **rating(STAFF_B)})
    assert answer.status_code == 400
    errors = summary(answer.text)
    for name in ("Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"):
        assert f"Budi Santoso: {name} belum dipilih." in errors
    assert errors.count("<li>") == 5 and "Dewi" not in errors
    assert f'name="{behaviour.field("berorientasi_pelayanan", STAFF_A)}" value="{ABOVE}" checked' in answer.text
    assert f'name="{behaviour.field("kolaboratif", STAFF_B)}" value="{MEETS}" checked' in answer.text
    assert stored(runtime) == []  # all or nothing: Dewi's complete rating is not stored either


def test_a_note_alone_counts_as_a_partial_rating(client: FlaskClient, runtime: Runtime) -> None:
    answer = send(client, runtime, {behaviour.field("catatan", STAFF_A): "Sering terlambat."})
    assert answer.status_code == 400 and summary(answer.text).count("belum dipilih.") == 7
    assert "Sering terlambat." in answer.text


def test_di_bawah_without_a_note_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    answer = send(client, runtime, rating(STAFF_A, BELOW, *(MEETS,) * 6))
    assert answer.status_code == 400
    assert "Catatan untuk Budi Santoso wajib diisi karena ada nilai Di Bawah Ekspektasi" in answer.text
    assert stored(runtime) == []
    note = "Dua kali menolak melayani di loket; dibina langsung dan dipantau minggu depan."
    answer = send(client, runtime, rating(STAFF_A, BELOW, *(MEETS,) * 6, catatan=note))
    assert answer.status_code == 303 and stored(runtime)[0]["catatan"] == note


@pytest.mark.parametrize(
    "values",
    [
        (MEETS,) * 7,
        (ABOVE,) * 7,
        (MEETS, BELOW, MEETS, MEETS, MEETS, MEETS, MEETS),
        (ABOVE, ABOVE, ABOVE, ABOVE, MEETS, MEETS, MEETS),
        (BELOW, BELOW, ABOVE, ABOVE, ABOVE, ABOVE, ABOVE),
        (ABOVE, MEETS, ABOVE, BELOW, ABOVE, ABOVE, ABOVE),
    ],
)
def test_the_overall_rating_is_computed_and_stored(
    client: FlaskClient, runtime: Runtime, values: tuple[str, ...]
) -> None:
    answer = send(client, runtime, rating(STAFF_A, *values, catatan="Catatan perilaku dan tindak lanjut."))
    assert answer.status_code == 303
    row = stored(runtime)[0]
    assert row["rating_perilaku"] == predikat.rating_perilaku(dict(zip(KEYS, values, strict=True)))
    assert [row[key] for key in KEYS] == list(values)


def test_all_sesuai_gives_sesuai_overall(client: FlaskClient, runtime: Runtime) -> None:
    assert send(client, runtime, rating(STAFF_A)).status_code == 303
    assert stored(runtime)[0]["rating_perilaku"] == MEETS


def test_a_member_left_blank_is_skipped_and_an_empty_form_is_refused(client: FlaskClient, runtime: Runtime) -> None:
    blank_b = {behaviour.field(key, STAFF_B): "" for key in KEYS} | {behaviour.field("catatan", STAFF_B): "  "}
    assert send(client, runtime, {**rating(STAFF_A), **blank_b}).status_code == 303
    assert [r["nip"] for r in stored(runtime)] == [STAFF_A]
    answer = send(client, runtime, blank_b)
    assert answer.status_code == 400 and "Belum ada penilaian" in answer.text
    assert len(stored(runtime)) == 1


def test_rating_someone_outside_the_team_is_403(client: FlaskClient, runtime: Runtime) -> None:
    answer = send(client, runtime, {**rating(STAFF_A), **rating(OTHER)})
    assert answer.status_code == 403 and "bukan anggota tim" in answer.text
    assert stored(runtime) == []


def test_staff_without_a_team_see_an_explanation_and_cannot_rate(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(url(runtime, STAFF_A))
    assert page.status_code == 200 and "Belum ada pegawai aktif" in page.text
    csrf = csrf_of(client.get(url(runtime)).text)  # the page of a supervisor, in the same browser
    form = {"csrf": csrf, "id_kiriman": "kirimanStaf001", **rating(STAFF_B)}
    assert client.post(url(runtime, STAFF_A), data=form).status_code == 403
    assert stored(runtime) == []


def test_an_inactive_member_is_not_shown_nor_rated(client: FlaskClient, runtime: Runtime) -> None:
    runtime.store.upsert("Pegawai", [{**runtime.store.records("Pegawai", where={"nip": STAFF_B})[0], "aktif": False}])
    assert "Dewi Lestari" not in client.get(url(runtime)).text
    assert send(client, runtime, rating(STAFF_B)).status_code == 403


def test_the_page_names_the_month_rated_and_until_when(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(url(runtime))
    assert "Penilaian bulan November 2026</h2>" in page.text
    assert "sampai Senin, 7 Desember 2026" in page.text
    assert 'name="bulan" value="2026-11"' in page.text and "Desember 2026</h2>" not in page.text


def months_outside() -> list[str]:
    return ["2026-12", "2026-10", "2020-01", "2026-13", "bulan-lalu", "2026-1", " x"]


def test_a_month_outside_the_window_is_400(client: FlaskClient, runtime: Runtime) -> None:
    for bulan in months_outside():
        page = client.get(url(runtime, bulan=bulan))
        assert page.status_code == 400, bulan
        assert "yang dapat dinilai hanya bulan November 2026, sampai Senin, 7 Desember 2026" in page.text
    good = client.get(url(runtime))
    form = {"csrf": csrf_of(good.text), "id_kiriman": submission_id(good.text), **rating(STAFF_A)}
    for bulan in months_outside():
        assert client.post(url(runtime), data={**form, "bulan": bulan}).status_code == 400, bulan
    assert stored(runtime) == []


def test_outside_every_window_the_page_says_when_the_next_month_opens(client: FlaskClient, runtime: Runtime) -> None:
    assert send(client, runtime, rating(STAFF_A)).status_code == 303
    clocked = at(runtime, datetime(2026, 12, 7, 23, 55, tzinfo=WIB))  # the last minutes of the window
    later = behaviour_app(clocked).test_client()
    opened = later.get(url(runtime))  # a form opened in time ...
    clocked.clock.moment = datetime(2026, 12, 8, 0, 5, tzinfo=WIB)  # ... and sent too late
    form = {"csrf": csrf_of(opened.text), "id_kiriman": "kirimanTutup01", **rating(STAFF_B), "bulan": "2026-11"}
    answer = later.post(url(runtime), data=form)
    assert answer.status_code == 400 and "dibuka Jumat, 25 Desember 2026" in answer.text
    assert later.post(url(runtime), data={**form, "bulan": "2026-12"}).status_code == 400
    assert len(stored(runtime)) == 1
    page = later.get(url(runtime))
    assert page.status_code == 200
    assert "Penilaian perilaku bulan Desember 2026 dibuka Jumat, 25 Desember 2026 sampai Senin, 11 Januari 2027" in (
        page.text
    )
    assert 'id="penilaian"' not in page.text  # no form
    assert MEETS in page.text and "Penilaian bulan November 2026 yang berlaku" in page.text


def test_an_existing_rating_is_prefilled_and_an_edit_keeps_the_other_six_values(
    client: FlaskClient, runtime: Runtime
) -> None:
    note = "Dua kali terlambat membuka loket; dibina langsung."
    first = {**rating(STAFF_A, BELOW, *(MEETS,) * 6, catatan=note), **rating(STAFF_B, *(ABOVE,) * 7)}
    assert send(client, runtime, first).status_code == 303
    page = client.get(url(runtime))
    assert f'name="{behaviour.field("berorientasi_pelayanan", STAFF_A)}" value="{BELOW}" checked' in page.text
    for key in KEYS[1:]:
        assert f'name="{behaviour.field(key, STAFF_A)}" value="{MEETS}" checked' in page.text
        assert f'name="{behaviour.field(key, STAFF_B)}" value="{ABOVE}" checked' in page.text
    assert f">{note}</textarea>" in page.text
    # The browser sends every prefilled field; only Budi's Adaptif changes.
    form = dict(re.findall(r'<input type="radio" name="([^"]+)" value="([^"]+)" checked', page.text))
    form.update(re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', page.text))
    form[behaviour.field("adaptif", STAFF_A)] = ABOVE
    form.update({"csrf": csrf_of(page.text), "id_kiriman": submission_id(page.text), "bulan": "2026-11"})
    answer = client.post(url(runtime), data=form)
    assert answer.status_code == 303 and "tersimpan=1" in answer.headers["Location"]
    rows = stored(runtime)
    assert len(rows) == 3  # Dewi's unchanged rating is not sent again
    edited = behaviour.latest(runtime.store, "2026-11", [STAFF_A])[STAFF_A]
    assert [edited[key] for key in KEYS] == [BELOW, MEETS, MEETS, MEETS, MEETS, ABOVE, MEETS]
    assert edited["catatan"] == note and edited["id"] != rows[0]["id"]
    # A retry of the edit is stored once; the same form with nothing changed is refused.
    assert client.post(url(runtime), data=form).status_code == 303
    assert len(stored(runtime)) == 3
    again = client.get(url(runtime))
    unchanged = dict(re.findall(r'<input type="radio" name="([^"]+)" value="([^"]+)" checked', again.text))
    unchanged.update({"csrf": csrf_of(again.text), "id_kiriman": submission_id(again.text), "bulan": "2026-11"})
    unchanged[behaviour.field("catatan", STAFF_A)] = note
    refused = client.post(url(runtime), data=unchanged)
    assert refused.status_code == 400 and behaviour.UNCHANGED in refused.text
    assert len(stored(runtime)) == 3


def test_the_radios_name_the_value_and_the_person(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(url(runtime)).text
    assert f'value="{ABOVE}"> {ABOVE}<span class="visually-hidden">: Akuntabel, Budi Santoso</span>' in page


@pytest.mark.parametrize("token", ["", "palsu", "x" * 400])
def test_bad_links_are_403(client: FlaskClient, token: str) -> None:
    assert client.get(f"/rate_behaviour?t={token}").status_code == 403
    assert client.post(f"/rate_behaviour?t={token}", data={}).status_code == 403


def test_a_post_without_the_csrf_field_or_cookie_is_403(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(url(runtime))
    form = {"id_kiriman": submission_id(page.text), **rating(STAFF_A)}
    assert client.post(url(runtime), data=form).status_code == 403
    stranger = behaviour_app(runtime).test_client()
    assert stranger.post(url(runtime), data={"csrf": csrf_of(page.text), **form}).status_code == 403
    assert stored(runtime) == []


def test_a_retried_submission_is_stored_once_and_a_reused_id_with_other_content_is_409(
    client: FlaskClient, runtime: Runtime
) -> None:
    page = client.get(url(runtime))
    form = {"csrf": csrf_of(page.text), "id_kiriman": submission_id(page.text), **rating(STAFF_A)}
    assert client.post(url(runtime), data=form).status_code == 303
    again = client.post(url(runtime), data=form)
    assert again.status_code == 303 and "tersimpan=1" in again.headers["Location"]
    assert len(stored(runtime)) == 1
    changed = client.post(url(runtime), data={**form, **rating(STAFF_A, *(ABOVE,) * 7)})
    assert changed.status_code == 409 and "isi yang berbeda" in changed.text
    assert submission_id(changed.text) != form["id_kiriman"]
    assert f'value="{ABOVE}" checked' in changed.text  # the choices are kept
    assert len(stored(runtime)) == 1


def test_an_invalid_submission_id_is_400_with_a_fresh_one(client: FlaskClient, runtime: Runtime) -> None:
    page = client.get(url(runtime))
    form = {"csrf": csrf_of(page.text), "id_kiriman": "x", **rating(STAFF_A)}
    answer = client.post(url(runtime), data=form)
    assert answer.status_code == 400 and "ID kiriman tidak valid" in answer.text
    assert submission_id(answer.text) != "x"


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_other_methods_are_405(client: FlaskClient, runtime: Runtime, method: str) -> None:
    assert client.open(url(runtime), method=method).status_code == 405


def test_schema_columns_follow_berakhlak_and_the_ratings() -> None:
    sheet = schema.sheet("PenilaianPerilaku")
    assert sheet.kind == "intake" and sheet.batch_key == "id_kiriman"
    value_columns = [c for c in sheet.columns if c.key in KEYS]
    assert [c.key for c in value_columns] == KEYS
    for column, nilai in zip(value_columns, predikat.BERAKHLAK, strict=True):
        assert column.header == nilai.name and column.required
        assert column.allowed == predikat.RATINGS
        assert column.description.strip() == f"Rating nilai {nilai.name}. Panduan perilaku: {'; '.join(nilai.guides)}."
    overall = sheet.column("rating_perilaku")
    assert overall.allowed == predikat.RATINGS and overall.server
    assert "terbaru" in sheet.description


FIELDS = [
    *[behaviour.field(key, STAFF_A) for key in KEYS],
    behaviour.field("catatan", STAFF_A),
    behaviour.field("akuntabel", STAFF_B),
    behaviour.field("akuntabel", OTHER),
    "akuntabel-",
    "catatan-x",
    "bulan",
    "id_kiriman",
    "x",
]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(st.text(max_size=60), st.sampled_from(["", *predikat.RATINGS, "2026-11", "x" * 1001])),
        max_size=len(FIELDS),
    )
)
def test_random_field_values_never_give_a_5xx(client: FlaskClient, runtime: Runtime, values: dict[str, str]) -> None:
    page = client.get(url(runtime))
    answer = client.post(url(runtime), data={"csrf": csrf_of(page.text), **values})
    assert answer.status_code < 500, answer.text[-500:]

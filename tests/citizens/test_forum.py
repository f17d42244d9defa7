"""Suara Warga's rules: posting, the steps and the state they lead to, answer time in working days, supports, and
the transparency summary. Expected values are counted by hand from the calendars written next to them.

November-December 2026 (holidays package, ID): 24 December is cuti bersama (Natal), 25 December Natal.

    Mo Tu We Th Fr Sa Su
    23 24 25 26 27 28 29   November
    30  1  2  3  4  5  6   December
     7  8  9 10 11 12 13
    21 22 23 24 25 26 27   (24 cuti bersama, 25 Natal)
    28 29 30 31
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from functions.citizens import forum
from functions.errors import ValidationError
from functions.rules.workdays import WIB, Calendar
from functions.store import Store
from functions.store.sqlite import SQLiteStore
from tests.support.towns import DOCTOR, SERVICE, UNIT

SECRET = "rahasia-uji-forum-yang-cukup-panjang-123"
OTHER_SERVICE = "PKM-UJI-IMUN"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=WIB)


def service_row(store: Store, ident: str = SERVICE) -> dict[str, Any]:
    return store.records("Layanan", where={"id": ident})[0]


def post(store: Store, sid: str, day: date, ident: str = SERVICE, **over: str) -> str:
    form = {"id_kiriman": sid, "jenis": "Saran", "teks": f"Saran nomor {sid} tentang antrean.", **over}
    forum.post(form, service_row(store, ident), store, at(day))
    return sid


def step(store: Store, sid: str, kind: str, day: date, text: str = "Teks unit.", event: str | None = None) -> bool:
    suggestion = one(store, sid)
    form = {"id_kiriman": event or f"{sid}-{kind}", "jenis": kind, "teks": text, "alasan": text}
    return forum.act(form, suggestion, DOCTOR, store, at(day, 14))


def one(store: Store, sid: str) -> forum.Suggestion:
    return next(s for s in forum.load(store) if s.id == sid)


@pytest.mark.parametrize(
    ("received", "answered", "days"),
    [
        (date(2026, 11, 27), date(2026, 11, 27), 0),  # the same day
        (date(2026, 11, 27), date(2026, 11, 28), 0),  # Friday to Saturday: no working day in between
        (date(2026, 11, 27), date(2026, 11, 30), 1),  # Friday to Monday
        (date(2026, 11, 27), date(2026, 12, 2), 3),  # Mon 30, Tue 1, Wed 2
        (date(2026, 11, 28), date(2026, 12, 4), 5),  # a Saturday's receipt counts from Monday: 30, 1, 2, 3, 4
        (date(2026, 12, 22), date(2026, 12, 29), 3),  # Wed 23, Mon 28, Tue 29 (24 cuti bersama, 25 Natal)
    ],
)
def test_answer_time_counts_working_days_after_the_day_of_receipt(received: date, answered: date, days: int) -> None:
    assert forum.answer_days(received, answered, Calendar()) == days


def test_answer_time_follows_the_holiday_overrides() -> None:
    # 1 December declared a day off (HariLibur Libur): Mon 30, Wed 2 remain.
    assert forum.answer_days(date(2026, 11, 27), date(2026, 12, 2), Calendar(extra_holidays=[date(2026, 12, 1)])) == 2
    # Saturday 28 November worked (Masuk): 28, 30, 1, 2.
    assert forum.answer_days(date(2026, 11, 27), date(2026, 12, 2), Calendar(extra_workdays=[date(2026, 11, 28)])) == 4


@pytest.mark.usefixtures("services")
def test_a_suggestion_goes_from_waiting_to_published_answered_and_followed_up(store: SQLiteStore) -> None:
    sid = post(store, "saranUji0001", date(2026, 11, 27))
    assert one(store, sid).state == forum.WAITING and not one(store, sid).is_public
    assert forum.published(store, SERVICE) == []

    assert step(store, sid, forum.PUBLISHED, date(2026, 11, 30), "Saran tentang antrean.")
    s = one(store, sid)
    assert (s.state, s.is_public, s.public_text, s.edited) == ("Diterima", True, "Saran tentang antrean.", True)
    assert s.answered_on is None
    assert forum.days_taken(s, Calendar(), date(2026, 12, 1)) == 2  # waiting: Mon 30, Tue 1

    assert step(store, sid, forum.ANSWERED, date(2026, 12, 2), "Loket tambahan dibuka.")
    s = one(store, sid)
    assert (s.state, s.answered_on) == ("Dijawab", date(2026, 12, 2))
    assert forum.days_taken(s, Calendar(), date(2026, 12, 20)) == 3  # fixed once answered

    assert step(store, sid, forum.FOLLOWED_UP, date(2026, 12, 4), "Loket 3 buka sejak Jumat.")
    s = one(store, sid)
    assert s.state == "Ditindaklanjuti" and s.answered_on == date(2026, 12, 2)
    assert [e["jenis"] for e in s.events] == ["Diterbitkan", "Dijawab", "Ditindaklanjuti"]
    assert [x.id for x in forum.published(store, SERVICE)] == [sid]


@pytest.mark.usefixtures("services")
def test_a_follow_up_without_an_answer_before_it_is_the_answer(store: SQLiteStore) -> None:
    sid = post(store, "saranUji0002", date(2026, 11, 27))
    step(store, sid, forum.PUBLISHED, date(2026, 11, 27))
    step(store, sid, forum.FOLLOWED_UP, date(2026, 12, 1))
    s = one(store, sid)
    assert (s.state, s.answered_on, forum.days_taken(s, Calendar(), date(2026, 12, 9))) == (
        "Ditindaklanjuti",
        date(2026, 12, 1),
        2,
    )


@pytest.mark.usefixtures("services")
def test_a_declined_suggestion_is_never_public_and_takes_no_further_step(store: SQLiteStore) -> None:
    sid = post(store, "saranUji0003", date(2026, 11, 27))
    step(store, sid, forum.DECLINED, date(2026, 11, 30), "Iklan, bukan saran.")
    s = one(store, sid)
    assert s.state == "Ditolak" and not s.is_public and s.public_id is None
    assert forum.published(store, SERVICE) == []
    with pytest.raises(ValidationError) as err:
        step(store, sid, forum.PUBLISHED, date(2026, 12, 1), event="langkahLain02")
    assert "jenis" in err.value.fields and "ditolak" in err.value.fields["jenis"]
    public_id = one(store, sid).events[0]["id"]
    assert forum.by_public_id(store, public_id) is None  # not even by the id of its decline


@pytest.mark.parametrize(
    ("state_steps", "kind"),
    [
        ((), forum.ANSWERED),  # not published yet
        ((), forum.FOLLOWED_UP),
        ((forum.PUBLISHED,), forum.PUBLISHED),  # twice
        ((forum.PUBLISHED,), forum.DECLINED),  # public already
        ((forum.PUBLISHED, forum.ANSWERED), forum.ANSWERED),  # one answer
        ((forum.PUBLISHED, forum.FOLLOWED_UP), forum.ANSWERED),
        ((), "Dihapus"),
    ],
)
@pytest.mark.usefixtures("services")
def test_steps_out_of_order_are_refused_naming_the_action(
    store: SQLiteStore, state_steps: tuple[str, ...], kind: str
) -> None:
    sid = post(store, "saranUji0004", date(2026, 11, 27))
    for done in state_steps:
        step(store, sid, done, date(2026, 11, 30))
    before = store.count("SuaraWargaPeristiwa")
    with pytest.raises(ValidationError) as err:
        step(store, sid, kind, date(2026, 12, 1), event="langkahLain01")  # a new step, not a retry
    assert err.value.fields["jenis"].startswith("Tindakan: saran ini ")
    assert store.count("SuaraWargaPeristiwa") == before


@pytest.mark.parametrize(
    ("kind", "field", "fragment"),
    [
        (forum.PUBLISHED, "teks", "Teks yang diterbitkan wajib diisi"),
        (forum.DECLINED, "alasan", "Alasan penolakan wajib diisi"),
    ],
)
@pytest.mark.usefixtures("services")
def test_publishing_needs_a_text_and_declining_a_reason(
    store: SQLiteStore, kind: str, field: str, fragment: str
) -> None:
    sid = post(store, "saranUji0005", date(2026, 11, 27))
    form = {"id_kiriman": "langkahUji01", "jenis": kind, "teks": "  ", "alasan": ""}
    with pytest.raises(ValidationError) as err:
        forum.act(form, one(store, sid), DOCTOR, store, at(date(2026, 11, 30)))
    assert fragment in err.value.fields[field]
    assert store.count("SuaraWargaPeristiwa") == 0


@pytest.mark.usefixtures("services")
def test_a_step_sent_again_is_stored_once(store: SQLiteStore) -> None:
    sid = post(store, "saranUji0006", date(2026, 11, 27))
    assert step(store, sid, forum.PUBLISHED, date(2026, 11, 30), event="langkahUji02")
    assert not step(store, sid, forum.PUBLISHED, date(2026, 11, 30), event="langkahUji02")
    assert store.count("SuaraWargaPeristiwa") == 1


@pytest.mark.usefixtures("services")
def test_a_post_sent_again_is_stored_once(store: SQLiteStore) -> None:
    form = {"id_kiriman": "saranUji0007", "jenis": "Pertanyaan", "teks": "Jam buka hari Sabtu?"}
    first = forum.post(form, service_row(store), store, at(date(2026, 11, 27)))
    again = forum.post(form, service_row(store), store, at(date(2026, 11, 27), 11))
    assert (first[1], again[1]) == (True, False)
    assert store.count("SuaraWarga") == 1 and first[0]["unit"] == UNIT


@given(jenis=st.text(max_size=20), teks=st.text(max_size=2100), sid=st.text(max_size=70))
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@pytest.mark.usefixtures("services")
def test_any_post_is_stored_whole_or_refused_naming_a_field(
    store: SQLiteStore, jenis: str, teks: str, sid: str
) -> None:
    before = store.count("SuaraWarga")
    try:
        row, _ = forum.post(
            {"id_kiriman": sid, "jenis": jenis, "teks": teks}, service_row(store), store, at(date(2026, 11, 27))
        )
    except ValidationError as err:
        assert set(err.fields) <= {"id_kiriman", "jenis", "teks"}
        assert store.count("SuaraWarga") == before
        return
    assert row["jenis"] in forum.KINDS and row["teks"] and row["id"] == sid


@pytest.mark.usefixtures("services")
def test_a_device_supports_a_published_suggestion_once(store: SQLiteStore) -> None:
    sid = post(store, "saranUji0008", date(2026, 11, 27))
    with pytest.raises(ValueError):
        forum.support(store, SECRET, one(store, sid), "perangkat-satu-0001", date(2026, 11, 27))
    step(store, sid, forum.PUBLISHED, date(2026, 11, 30))
    assert forum.support(store, SECRET, one(store, sid), "perangkat-satu-0001", date(2026, 11, 30))
    assert not forum.support(store, SECRET, one(store, sid), "perangkat-satu-0001", date(2026, 12, 1))  # next day
    assert forum.support(store, SECRET, one(store, sid), "perangkat-dua-00002", date(2026, 12, 1))
    assert one(store, sid).supports == 2
    stored = store.records("DukunganSuara")
    assert all("perangkat" not in r["id"] and len(r["id"]) == 64 for r in stored)
    # The same device on two suggestions leaves two unrelated keys.
    assert forum.support_key(SECRET, "a" * 12, "perangkat-satu-0001") != forum.support_key(
        SECRET, "b" * 12, "perangkat-satu-0001"
    )


@pytest.mark.usefixtures("services")
def test_summary_counts_what_was_published_answered_and_followed_up(store: SQLiteStore) -> None:
    # Received in the window 23 November - 4 December, by hand:
    #   A 27 Nov, answered Wed 2 Dec: 3 working days    B 30 Nov, answered Tue 1 Dec: 1, then followed up
    #   C 1 Dec, followed up Fri 4 Dec (Wed, Thu, Fri): 3   D 1 Dec, published, no answer
    #   E declined, F waiting: not counted   G received 20 Nov (before the window), answered: not counted
    #   H another service (the unit's Imunisasi): counted for the unit, not for SERVICE
    a = post(store, "saranUjiA001", date(2026, 11, 27))
    b = post(store, "saranUjiB001", date(2026, 11, 30))
    c = post(store, "saranUjiC001", date(2026, 12, 1))
    d = post(store, "saranUjiD001", date(2026, 12, 1))
    e = post(store, "saranUjiE001", date(2026, 12, 1))
    post(store, "saranUjiF001", date(2026, 12, 2))
    g = post(store, "saranUjiG001", date(2026, 11, 20))
    h = post(store, "saranUjiH001", date(2026, 12, 2), OTHER_SERVICE)
    for sid in (a, b, c, d, g, h):  # published on the day received
        step(store, sid, forum.PUBLISHED, one(store, sid).row["tanggal"])
    step(store, a, forum.ANSWERED, date(2026, 12, 2))
    step(store, b, forum.ANSWERED, date(2026, 12, 1))
    step(store, b, forum.FOLLOWED_UP, date(2026, 12, 3))
    step(store, c, forum.FOLLOWED_UP, date(2026, 12, 4))
    step(store, e, forum.DECLINED, date(2026, 12, 2))
    step(store, g, forum.ANSWERED, date(2026, 11, 23))
    step(store, h, forum.ANSWERED, date(2026, 12, 4))  # Thu 3, Fri 4: 2

    window = (date(2026, 11, 23), date(2026, 12, 4))
    # Service: A 3, B 1, C 3 -> median 3.
    assert forum.summary(store, *window, service=SERVICE) == forum.Summary(4, 3, 2, 3.0)
    # Unit: A 3, B 1, C 3, H 2 -> sorted 1, 2, 3, 3 -> median 2.5.
    assert forum.summary(store, *window, unit=UNIT) == forum.Summary(5, 4, 2, 2.5)
    assert forum.summary(store, *window, unit="KEL-LAIN") == forum.Summary(0, 0, 0, None)
    assert forum.summary(store, *window) == forum.summary(store, *window, unit=UNIT)

"""Pages, mails and the scoring run read only the spreadsheets of the days and periods they show, on Google Sheets.

LaporanHarian is split by month and into four parts of the month, PenilaianPerilaku by month, the derived sheets by
the month of their period: a read narrowed by neither dates nor a period visits every spreadsheet ever made (at
city scale ~4M cells each, and 60 reads a minute for the whole city). Each test seeds a few months, then checks on
the Sheets API test server's request log which spreadsheets one visit, mail plan or run touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from functions import periods
from functions.errors import Forbidden
from functions.mail import compose
from functions.rules import predikat
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.scoring import inputs
from functions.settings import Settings
from functions.staff import behaviour, identity, reports, verification
from functions.store.layout import DERIVED, INTAKE, Place, part_of
from functions.web.app import create_app
from tests.conftest import HEAD, OTHER, SECRET, STAFF_A, STAFF_B, SUPERVISOR, employee, target
from tests.mail.test_compose import skor
from tests.store.test_contract import activity
from tests.support.pages import post_form
from tests.support.sheets_client import ServedStore, served_store

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=WIB)  # a Monday
UNIT = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": HEAD}
PEOPLE = [
    employee(HEAD, "Hartono, S.Sos.", "KEL-UJI", None, jabatan="Lurah"),
    employee(SUPERVISOR, "Sri Wahyuni, S.E.", "KEL-UJI", HEAD),
    employee(STAFF_A, "Budi Santoso", "KEL-UJI", SUPERVISOR),
    employee(STAFF_B, "Dewi Lestari, A.Md.", "KEL-UJI", SUPERVISOR),
    employee(OTHER, "Agus Prasetyo", "KEL-UJI", HEAD),
]
# Budi's submissions: one in September, two in October, three in November (parts 1, 3 and 4).
REPORTED = [date(2026, 9, 10), date(2026, 10, 5), date(2026, 10, 20), date(2026, 11, 3), date(2026, 11, 20)]
LAST = date(2026, 11, 26)


class Clocked(Runtime):
    """A runtime whose clock says :data:`NOW`."""

    def now(self) -> datetime:
        return NOW


def report_part(day: date) -> str:
    """The title of the LaporanHarian spreadsheet holding ``day``."""
    return Place(INTAKE, f"{day:%Y-%m}.{part_of(day, 4)}").title


def monthly(role: str, month: str) -> str:
    return Place(role, month).title


def _titles(store: ServedStore, kinds: tuple[str, ...]) -> list[str]:
    """The title of the spreadsheet of each request of these kinds since the last reset."""
    titles = {sid: str(s.properties["title"]) for sid, s in store.server.control.store.spreadsheets.items()}
    out = []
    for entry in store.server.control.log:
        found = re.match(r"/v4/spreadsheets/([^/:]+)", entry["path"])
        if found and entry["kind"] in kinds:
            out.append(titles.get(str(found.group(1)), str(found.group(1))))
    return out


def titles_touched(store: ServedStore) -> set[str]:
    """The spreadsheets any request went to since the last reset."""
    return set(_titles(store, ("read", "write")))


def reads_by_title(store: ServedStore) -> Counter[str]:
    """Read requests since the last reset, by the title of the spreadsheet they went to."""
    return Counter(_titles(store, ("read",)))


def start_counting(store: ServedStore) -> None:
    """A new request (or job): the cached rows are read again, and the server's log and counters start empty."""
    store.begin_job()
    store.server.control.reset(data=False)


@pytest.fixture
def sheets() -> Iterator[ServedStore]:
    """A Google Sheets store with the tiny city and Budi's reports in three months (nothing rate limited: only
    which spreadsheets are read matters here)."""
    store = served_store(views=False)
    unlimited = {f"{k}_per_minute_per_{w}": 100_000 for k in ("read", "write") for w in ("user", "project")}
    store.server.control.set_limits(**unlimited)
    targets = [target(nip, n, 2026, f"Indikator {n}", "surat", 50) for nip in (STAFF_A, STAFF_B) for n in (1, 2)]
    store.upsert_many({"Unit": [UNIT], "Pegawai": PEOPLE, "Target": targets})
    rows = [
        activity(f"kiriman{day:%m%d}", 1, day, id_target=f"{STAFF_A}-2026-1", kegiatan=f"Kegiatan {day:%d %m}")
        for day in [*REPORTED, LAST]
    ]
    store.append("LaporanHarian", rows)
    yield store
    store.close()


@pytest.fixture
def runtime(sheets: ServedStore, settings: Settings) -> Runtime:
    return Clocked(settings=settings, store=sheets)


@pytest.fixture
def client(runtime: Runtime) -> FlaskClient:
    return create_app(runtime).test_client()


def older_parts() -> set[str]:
    return {report_part(day) for day in REPORTED[:4]}  # September, October and November's first part


def test_the_personal_page_reads_only_the_last_weeks_of_reports(sheets: ServedStore, client: FlaskClient) -> None:
    token = identity.make_token(SECRET, sheets.records("Pegawai", where={"nip": STAFF_A})[0])
    start_counting(sheets)
    page = client.get(f"/submit_report?t={quote(token)}")
    assert page.status_code == 200
    assert "Kegiatan 26 11" in page.text and "Kegiatan 20 11" in page.text  # the latest activities
    assert "Kegiatan 03 11" not in page.text  # older than the two weeks shown
    touched = titles_touched(sheets)
    assert not touched & older_parts()
    read = reads_by_title(sheets)
    assert (read[report_part(LAST)], read[report_part(date(2026, 11, 20))]) == (1, 1)  # one request each


def test_recent_and_the_last_submission_read_the_window_only(sheets: ServedStore) -> None:
    start_counting(sheets)
    assert [r["tanggal"] for r in reports.recent(sheets, STAFF_A, today=NOW.date())] == [LAST, date(2026, 11, 20)]
    assert [r["id_kiriman"] for r in reports.last_submission(sheets, STAFF_A, today=NOW.date())] == ["kiriman1126"]
    assert not titles_touched(sheets) & older_parts()
    # Without a day, the whole history: every part of every month is read.
    start_counting(sheets)
    assert len(reports.recent(sheets, STAFF_A)) == 6
    assert older_parts() <= titles_touched(sheets)


def test_a_duplicate_submission_reads_back_only_its_days(sheets: ServedStore) -> None:
    person = sheets.records("Pegawai", where={"nip": STAFF_A})[0]
    block = {"tanggal": "2026-11-30", "kegiatan": "Melayani surat", "id_target": f"{STAFF_A}-2026-1"}
    draft = reports.Draft(submission_id="kirimanUlang1", blocks=[{**block, "kuantitas": "3", "durasi_menit": "45"}])
    assert not reports.submit(draft, person, sheets, NOW).duplicate
    start_counting(sheets)
    again = reports.submit(draft, person, sheets, NOW + timedelta(minutes=5))
    assert again.duplicate and [r["kegiatan"] for r in again.rows] == ["Melayani surat"]
    touched = titles_touched(sheets)
    assert report_part(date(2026, 11, 30)) in touched
    assert not touched & (older_parts() | {report_part(date(2026, 11, 20))})


def review_url(store: ServedStore) -> str:
    token = identity.make_token(SECRET, store.records("Pegawai", where={"nip": SUPERVISOR})[0])
    return f"/review_reports?t={quote(token)}"


def test_a_verification_looks_up_only_the_days_the_page_listed(sheets: ServedStore, client: FlaskClient) -> None:
    url = review_url(sheets)
    assert "Kegiatan 26 11" in client.get(url).text
    start_counting(sheets)
    # Returned without a note: every decision is looked up and checked, then refused before any write.
    answer = post_form(client, url, {"status-kiriman1126-1": "Dikembalikan"})
    assert answer.status_code == 400 and "Catatan wajib diisi" in answer.text
    # The pending view lists 28 days (from 3 November), looked up a week wider: September and the October parts
    # before 27 October stay unread.
    touched = titles_touched(sheets)
    assert report_part(LAST) in touched
    assert not touched & {report_part(d) for d in REPORTED[:3]}


def test_a_stored_verification_reads_only_the_days_the_page_listed(sheets: ServedStore, client: FlaskClient) -> None:
    url = review_url(sheets)
    client.get(url)
    start_counting(sheets)
    answer = post_form(client, url, {"status-kiriman1126-1": "Disetujui"})
    assert answer.status_code == 303
    stored = sheets.records("LaporanHarian", where={"id": "kiriman1126-1"}, start=LAST, end=LAST)
    assert stored[0]["verifikasi"] == "Disetujui"
    assert not titles_touched(sheets) & {report_part(d) for d in REPORTED[:3]}


def test_verifying_an_activity_outside_the_days_given_is_refused(sheets: ServedStore) -> None:
    with pytest.raises(Forbidden):
        verification.verify(
            sheets, SUPERVISOR, {"kiriman0910-1": ("Disetujui", "")}, NOW, start=date(2026, 11, 1), end=NOW.date()
        )
    day = REPORTED[0]
    assert verification.verify(sheets, SUPERVISOR, {"kiriman0910-1": ("Disetujui", "")}, NOW, start=day, end=day)


def seed_scores(store: ServedStore) -> None:
    """Skor of the team for W30 (July), W37 (September) and every week from W40 to W48, with the months, and
    SkorUnit of the same weeks: derived spreadsheets of July, September, October and November."""
    weeks = [periods.parse(f"2026-W{n}") for n in (30, 37, *range(40, 49))]
    months = [periods.parse(label) for label in ("2026-07", "2026-09", "2026-10", "2026-11")]
    team = [p for p in PEOPLE if p["nip_atasan"] == SUPERVISOR]
    rows = [
        skor(p["nip"], p["nama"], period, 60.0 + i, predikat="Baik" if period.kind == "Bulan" else None)
        for i, period in enumerate(weeks + months)
        for p in team
    ]
    units = [
        {
            "id": f"{w.label}:KEL-UJI",
            "periode": w.label,
            "jenis_periode": w.kind,
            "unit": "KEL-UJI",
            "pegawai": 2,
            "rata_total": 70.0,
        }
        for w in weeks + months
    ]
    store.upsert_many({"Skor": rows, "SkorUnit": units})


def test_the_team_scores_page_reads_the_weeks_it_shows_once_for_the_team(
    sheets: ServedStore, client: FlaskClient
) -> None:
    seed_scores(sheets)
    token = identity.make_token(SECRET, sheets.records("Pegawai", where={"nip": SUPERVISOR})[0])
    start_counting(sheets)
    page = client.get(f"/team_scores?t={quote(token)}")
    assert page.status_code == 200
    assert "Minggu 23–29 November 2026" in page.text and page.text.count("data:image/png;base64,") == 2
    assert not titles_touched(sheets) & {monthly(DERIVED, "2026-07"), monthly(DERIVED, "2026-09")}
    # Each sheet once, not once per member or per week: Skor and SkorUnit of October (weeks 41 to 44); Skor,
    # SkorUnit, Peringatan and SaranPelatihan of November.
    read = reads_by_title(sheets)
    assert (read[monthly(DERIVED, "2026-10")], read[monthly(DERIVED, "2026-11")]) == (2, 4)


def test_the_weekly_mail_reads_only_the_charted_weeks_and_the_month(sheets: ServedStore, settings: Settings) -> None:
    seed_scores(sheets)
    start_counting(sheets)
    plan = compose.plan_weekly(sheets, settings, "2026-W48", NOW)
    assert {p.nip for p in plan if p.kind == "atasan"} == {SUPERVISOR, HEAD}
    digest = next(p for p in plan if p.kind == "atasan" and p.nip == SUPERVISOR).render()  # the week is read here
    assert "Budi Santoso" in digest.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    touched = titles_touched(sheets)
    assert {monthly(DERIVED, "2026-10"), monthly(DERIVED, "2026-11")} <= touched
    assert not touched & {monthly(DERIVED, "2026-07"), monthly(DERIVED, "2026-09")}


def rating_rows(month: str, submission: str) -> list[dict[str, Any]]:
    values = dict.fromkeys(predikat.BERAKHLAK_KEYS, predikat.RATINGS[1])
    return [
        {
            "id": f"{submission}-{nip}",
            "id_kiriman": submission,
            "periode": month,
            "nip": nip,
            "nama": "Anggota",
            "unit": "KEL-UJI",
            "nip_penilai": SUPERVISOR,
            **values,
            "rating_perilaku": predikat.rating_perilaku(values),
            "diterima_pada": datetime(int(month[:4]), int(month[5:]), 28, 9, 0, tzinfo=WIB),
        }
        for nip in (STAFF_A, STAFF_B)
    ]


def test_a_duplicate_behaviour_rating_reads_back_only_its_month(sheets: ServedStore) -> None:
    sheets.append(
        "PenilaianPerilaku", rating_rows("2026-09", "nilaiSeptember") + rating_rows("2026-10", "nilaiOktober")
    )
    supervisor = sheets.records("Pegawai", where={"nip": SUPERVISOR})[0]
    form = {"id_kiriman": "nilaiNovember1"} | {
        behaviour.field(key, nip): predikat.RATINGS[1] for key in predikat.BERAKHLAK_KEYS for nip in (STAFF_A, STAFF_B)
    }
    month = periods.parse("2026-11")
    assert not behaviour.submit(sheets, supervisor, month, form, NOW).duplicate
    start_counting(sheets)
    again = behaviour.submit(sheets, supervisor, month, form, NOW + timedelta(minutes=1))
    assert again.duplicate and again.count == 2
    touched = titles_touched(sheets)
    assert monthly(INTAKE, "2026-11") in touched
    assert not touched & {monthly(INTAKE, "2026-09"), monthly(INTAKE, "2026-10")}


def test_the_scoring_run_reads_the_behaviour_ratings_of_its_months_only(sheets: ServedStore) -> None:
    sheets.append(
        "PenilaianPerilaku",
        rating_rows("2026-06", "nilaiJuni")
        + rating_rows("2026-10", "nilaiOktober")
        + rating_rows("2026-11", "nilaiNov"),
    )
    start_counting(sheets)
    # What the run of W48 reads: its quarter (from 1 October) up to the week's end.
    data = inputs.read(sheets, date(2026, 10, 1), date(2026, 11, 29), NOW.date(), NOW)
    assert monthly(INTAKE, "2026-06") not in titles_touched(sheets)
    assert sorted(set(data.perilaku["periode"])) == ["2026-10", "2026-11"]
    # The frame store.frame gives, less June: same columns, same rows in the same order.
    everything = sheets.frame("PenilaianPerilaku")
    expected = everything[everything["periode"] != "2026-06"].reset_index(drop=True)
    assert data.perilaku.equals(expected)
    assert [m.label for m in inputs.behaviour_months(date(2026, 10, 1), date(2026, 11, 29))] == [
        "2026-10",
        "2026-11",
        "2026-12",
    ]
    assert [m.label for m in inputs.behaviour_months(date(2026, 3, 30), date(2026, 4, 5))] == [
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]

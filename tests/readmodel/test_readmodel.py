"""The read model: pages on instances that never read a sheet, edits in the sheet within a refresh, the app's own
writes at once on another instance, a refresh that may run again.

Real parts: gspread against the Sheets API test server (it counts every request), the spool and the read model on
the Firestore fake over HTTP. Each "instance" is what one Cloud Functions instance holds: its own Google Sheets
store (and cache), its own spool client and read model (and their caches), one Flask app on them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from functions.readmodel import ReadModel, ReadModelStore
from functions.runtime import Runtime
from functions.settings import Settings
from functions.staff import identity
from functions.store.flush import Policy
from functions.store.google_http import RetryPolicy
from functions.store.gsheets import GSheetsStore
from functions.store.spool_firestore import FirestoreSpool
from functions.store.spooled_store import run_flush
from functions.web import scheduled
from functions.web.app import create_app
from tests.conftest import SECRET, STAFF_A, STAFF_B, SUPERVISOR, employee, target
from tests.sheets_server import SheetsServer, running_server
from tests.support import sheets_client
from tests.support.firestore_fake import FakeFirestore, running_fake
from tests.support.pages import activity_fields, post_form, submission_id
from tests.support.scheduler import Scheduler

PROJECT = "uji-baca"


@dataclass
class Instance:
    store: ReadModelStore
    client: FlaskClient
    runtime: Runtime

    def page(self, path: str) -> str:
        answer = self.client.get(path)
        assert answer.status_code == 200, answer.text
        return answer.text


@dataclass
class World:
    server: SheetsServer
    fake: FakeFirestore
    admin: str
    settings: Settings
    opened: list[Instance]
    offset: float = 0.0  # seconds the simulated wall clock of every instance is ahead

    def clock(self) -> float:
        return time.time() + self.offset

    def instance(self) -> Instance:
        retry = RetryPolicy(deadline=5.0, base_delay=0.01, max_delay=0.05)
        sheets = GSheetsStore(self.admin, api_url=self.server.url, retry=retry)
        spool = FirestoreSpool(PROJECT, self.fake.session(), base_url=self.fake.url)
        store = ReadModelStore(sheets, spool, ReadModel(spool.db, spool.sheets, clock=self.clock))
        runtime = Runtime(settings=self.settings, store=store)
        made = Instance(store, create_app(runtime).test_client(), runtime)
        self.opened.append(made)
        return made

    def sheet_requests(self) -> int:
        totals = self.server.control.quota.totals
        return int(totals["read"] + totals["write"])


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    with running_server() as server, running_fake() as fake:
        made = World(server, fake, sheets_client.new_admin(server.url), settings, [])
        yield made
        for instance in made.opened:
            instance.store.close()


def seed(instance: Instance) -> dict[str, Any]:
    """A supervisor with two staff, their targets; into the sheets, then the first refresh."""
    year = instance.runtime.today().year
    people = [
        employee(SUPERVISOR, "Sri Wahyuni, S.E.", "KEL-UJI", None, jabatan="Sekretaris Kelurahan"),
        employee(STAFF_A, "Budi Santoso", "KEL-UJI", SUPERVISOR),
        employee(STAFF_B, "Dewi Lestari, A.Md.", "KEL-UJI", SUPERVISOR),
    ]
    unit = {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": SUPERVISOR}
    targets = [target(nip, 1, year, "Jumlah warga yang dilayani", "orang", 100) for nip in (STAFF_A, STAFF_B)]
    instance.store.upsert_many({"Unit": [unit], "Pegawai": people, "Target": targets})
    instance.store.refresh(instance.runtime.today())
    return {p["nip"]: p for p in people}


def flush_now(store: ReadModelStore) -> None:
    """The scheduled flush, past its waiting time: what waits in the spool goes into the sheets."""
    report = run_flush(store, Policy(min_groups=1, max_wait=0))
    assert report is not None and report.groups > 0


def link(people: dict[str, Any], nip: str, function: str) -> str:
    return f"/{function}?t={quote(identity.make_token(SECRET, people[nip]))}"


def send_report(instance: Instance, people: dict[str, Any], nip: str, kegiatan: str) -> None:
    """The staff member's form: opened, filled in with one activity today, sent."""
    url = link(people, nip, "submit_report")
    today = instance.runtime.today()
    form = {"id_kiriman": submission_id(instance.page(url)), "aksi": "kirim"}
    form.update(activity_fields(0, today, f"{nip}-{today.year}-1", kegiatan=kegiatan))
    answer = post_form(instance.client, url, form)
    assert answer.status_code == 200 and "laporan Anda sudah tercatat" in answer.text, answer.text


def test_pages_on_an_instance_that_never_read_a_sheet_make_no_sheets_request(world: World) -> None:
    people = seed(world.instance())
    fresh = world.instance()
    before = world.sheet_requests()
    form = fresh.page(link(people, STAFF_A, "submit_report"))
    review = fresh.page(link(people, SUPERVISOR, "review_reports"))
    assert "Budi Santoso" in form and "Jumlah warga yang dilayani" in form
    assert "Budi Santoso" in review and "Dewi Lestari" in review
    assert world.sheet_requests() == before
    assert fresh.store.model.reads > 0  # the pages were read from the model, not from nowhere


def test_a_report_sent_on_one_instance_shows_at_once_on_another_without_sheets_requests(world: World) -> None:
    people = seed(world.instance())
    one, other = world.instance(), world.instance()
    send_report(one, people, STAFF_A, "Pelayanan surat pindah warga")
    before = world.sheet_requests()
    assert "Pelayanan surat pindah warga" in other.page(link(people, STAFF_A, "submit_report"))
    assert "Pelayanan surat pindah warga" in other.page(link(people, SUPERVISOR, "review_reports"))
    assert world.sheet_requests() == before  # the submission waits in the spool; nothing read the sheets


def test_a_verification_on_one_instance_shows_at_once_on_another(world: World) -> None:
    people = seed(world.instance())
    one, other = world.instance(), world.instance()
    send_report(one, people, STAFF_B, "Arsip surat masuk")
    activity = one.store.records("LaporanHarian", where={"nip": STAFF_B}, start=one.runtime.today())[0]["id"]
    review = link(people, SUPERVISOR, "review_reports")
    answer = post_form(one.client, review, {f"status-{activity}": "Dikembalikan", f"catatan-{activity}": "Foto?"})
    assert answer.status_code == 303
    seen = other.store.records("LaporanHarian", where={"nip": STAFF_B}, start=other.runtime.today())
    assert [(r["verifikasi"], r["catatan_verifikasi"]) for r in seen] == [("Dikembalikan", "Foto?")]
    assert "Foto?" in other.page(link(people, STAFF_B, "submit_report"))


def verification_cell_to(world: World, activity: str, status: str) -> None:
    """What a supervisor does in Google Sheets: types a status into the Verifikasi column of the row."""
    gc = sheets_client.client(world.server.url)
    for spreadsheet in list(world.server.control.store.spreadsheets.values()):
        titles = [ws.properties["title"] for ws in spreadsheet.sheets]
        if "LaporanHarian" not in titles:
            continue
        sheet = gc.open_by_key(spreadsheet.id).worksheet("LaporanHarian")
        found = sheet.find(activity, in_column=1)
        if found is not None:
            sheet.update_cell(found.row, sheet.row_values(1).index("Verifikasi") + 1, status)
            return
    raise AssertionError(f"no row {activity}")


def test_a_verifikasi_edit_in_the_sheet_reaches_the_review_page_with_the_next_refresh(world: World) -> None:
    job = world.instance()  # the instance Cloud Scheduler's refresh_read_model and flush_spool run on
    people = seed(job)
    page = world.instance()
    send_report(page, people, STAFF_A, "Rekap data kependudukan")
    flush_now(job.store)
    activity = f"{page.store.records('LaporanHarian', where={'nip': STAFF_A}, start=page.runtime.today())[0]['id']}"
    review = link(people, SUPERVISOR, "review_reports") + "&status=Disetujui"
    assert "Rekap data kependudukan" not in page.page(review)

    verification_cell_to(world, activity, "Disetujui")
    world.offset += 60  # the next scheduled run, a minute later
    job.store.refresh(job.runtime.today())

    before = world.sheet_requests()
    assert "Rekap data kependudukan" in page.page(review)
    assert world.sheet_requests() == before


def test_a_refresh_run_again_changes_nothing(world: World) -> None:
    job = world.instance()
    people = seed(job)
    send_report(world.instance(), people, STAFF_A, "Pendataan warga miskin")
    flush_now(job.store)
    job.store.refresh(job.runtime.today())
    documents = {name: doc["fields"] for name, doc in world.fake.docs.items() if "/kinerja_baca/" in name}

    again = job.store.refresh(job.runtime.today())

    assert (again.sheets_changed, again.parts_written, again.parts_left) == ([], 0, 0)
    assert {name: doc["fields"] for name, doc in world.fake.docs.items() if "/kinerja_baca/" in name} == documents
    fresh = world.instance()
    assert "Pendataan warga miskin" in fresh.page(link(people, STAFF_A, "submit_report"))


def test_a_refresh_leaves_a_document_the_app_patched_after_it_began_reading(world: World) -> None:
    """The race: the refresh read the sheets, then the app verified a report; the refresh must not write the
    older content over the app's patch (it is looked at again by the next run)."""
    job = world.instance()
    people = seed(job)
    app = world.instance()
    send_report(app, people, STAFF_A, "Verifikasi berkas")
    flush_now(job.store)
    activity = app.store.records("LaporanHarian", where={"nip": STAFF_A}, start=app.runtime.today())[0]["id"]
    read = job.store.records

    def read_then_verify(sheet: str, **filters: Any) -> list[dict[str, Any]]:
        rows = read(sheet, **filters)
        if sheet == "LaporanHarian":  # the app's write lands after the refresh has read the sheet
            values = {"verifikasi": "Disetujui", "diverifikasi_oleh": SUPERVISOR, "diverifikasi_pada": now(app)}
            app.store.set_cells("LaporanHarian", activity, values)
        return rows

    job.store.records = read_then_verify  # type: ignore[method-assign]
    report = job.store.refresh(job.runtime.today())
    del job.store.records

    assert report.parts_left == 1
    seen = world.instance().store.records("LaporanHarian", where={"nip": STAFF_A}, start=app.runtime.today())
    assert [r["verifikasi"] for r in seen] == ["Disetujui"]


def now(instance: Instance) -> datetime:
    return instance.runtime.now() - timedelta(seconds=1)


def test_cloud_schedulers_call_refreshes_and_a_store_without_a_read_model_has_nothing_to_do(
    world: World, scheduler: Scheduler, runtime: Runtime
) -> None:
    job = world.instance()
    seed(job)
    unit = {"kode": "KEL-DUA", "nama": "Kelurahan Dua", "jenis": "Kelurahan"}
    job.store.target.upsert("Unit", [unit])  # straight into the sheet, as an operator typing a row there
    assert {u["kode"] for u in world.instance().store.records("Unit")} == {"KEL-UJI"}
    world.offset += 60
    configured = scheduler.configure(job.runtime)
    headers = {"Authorization": scheduler.authorization("refresh_read_model")}
    with Flask(__name__).test_request_context("/refresh_read_model", method="POST", headers=headers):
        answer = scheduled.refresh_read_model(request, configured)
    assert answer.status_code == 200 and json.loads(answer.get_data())["status"] == "selesai"
    assert {u["kode"] for u in world.instance().store.records("Unit")} == {"KEL-UJI", "KEL-DUA"}
    with Flask(__name__).test_request_context("/refresh_read_model", method="POST", headers=headers):
        direct = scheduled.refresh_read_model(request, scheduler.configure(runtime))  # the SQLite store
    assert direct.status_code == 200 and "tidak ada salinan baca" in json.loads(direct.get_data())["hasil"]

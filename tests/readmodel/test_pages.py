"""Every page a person opens at the afternoon peak, on an instance that never read a sheet: no Sheets request; the
weekly scoring reaches the pages without a re-read of the sheets; the refresh's Sheets reads stay bounded.

The demo city is written into the sheets (Sheets API test server, quota lifted while seeding) through a read-model
store, scored once (the weekly job writes Skor, SkorUnit, Peringatan, SaranPelatihan and the Transparansi sheets and
publishes them into the model), the model refreshed; then a fresh instance opens each page and the Sheets requests
it made are counted, with the sheets its Google Sheets store was asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from functions.citizens import kiosk
from functions.demo.seed import DemoSummary, seed_demo
from functions.readmodel.model import MODELLED, REREAD_SECONDS
from functions.scoring import job as scoring_job
from functions.staff import identity
from functions.store.flush import Policy
from functions.store.layout import SHARDS
from functions.store.spooled_store import run_flush
from tests.citizens.test_complaints import complaint_form
from tests.conftest import SECRET
from tests.readmodel import test_readmodel
from tests.readmodel.test_readmodel import Instance, World
from tests.support.pages import csrf_of
from tests.web.public.test_complaint_reply import CODE, PIN

UNLIMITED = dict.fromkeys(
    ("read_per_minute_per_user", "read_per_minute_per_project", "write_per_minute_per_user",
     "write_per_minute_per_project"),
    10**9,
)  # fmt: skip
KIOSK_ID = "01JKIOSK00000000000000000A"
world = test_readmodel.world  # the fixture: Sheets API test server, Firestore fake, instances


def sheets_read(instance: Instance) -> list[str]:
    """The sheets this instance's Google Sheets store is asked for from now on (appended as they are)."""
    seen: list[str] = []
    target = instance.store.target
    for method in ("records", "frame", "count"):
        original = getattr(target, method)

        def wrapped(sheet: str, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            seen.append(sheet)
            return _original(sheet, *args, **kwargs)

        setattr(target, method, wrapped)
    return seen


def read_requests(world: World) -> int:
    return int(world.server.control.quota.totals["read"])


@dataclass
class City:
    job: Instance  # where Cloud Scheduler's jobs run
    demo: DemoSummary


def demo_city(world: World, *, scored: bool = True) -> City:
    world.server.control.limits.update(UNLIMITED)
    job = world.instance()
    demo = seed_demo(job.store, job.runtime.today())
    run_flush(job.store, Policy(min_groups=1, max_wait=0))
    job.store.refresh(job.runtime.today())
    if scored:
        scoring_job.run(job.store, job.runtime.now())
    return City(job, demo)


def link(person: dict[str, Any], function: str) -> str:
    return f"/{function}?t={quote(identity.make_token(SECRET, person))}"


def peak_pages(city: City) -> dict[str, str]:
    store = city.job.store
    staff, boss = city.demo.staff_examples[0], city.demo.supervisor_examples[0]
    heads = {u["nip_kepala"] for u in store.records("Unit")}
    head = next(p for p in store.records("Pegawai") if p["nip"] in heads)
    service = store.records("Layanan")[0]
    kiosk_row = kiosk.issue(store, service, "Loket 1", head["nip"], city.job.runtime.now(), KIOSK_ID)
    complaint = store.records("Aduan")[0]
    since = city.job.runtime.today() - timedelta(days=28)
    returned = next(
        r
        for p in store.records("Pegawai")
        for r in store.records("LaporanHarian", where={"nip": p["nip"]}, start=since)
        if r["verifikasi"] == "Dikembalikan"
    )
    owner = store.records("Pegawai", where={"nip": returned["nip"]})[0]
    return {
        "beranda staf": link(staff, "home"),
        "beranda atasan": link(boss, "home"),
        "beranda kepala unit": link(head, "home"),
        "formulir laporan": link(staff, "submit_report"),
        "formulir laporan, salin kemarin": link(staff, "submit_report") + "&salin=1",
        "formulir laporan, perbaikan": link(owner, "submit_report") + f"&perbaiki={returned['id']}",
        "verifikasi": link(boss, "review_reports"),
        "penilaian perilaku": link(boss, "rate_behaviour"),
        "skor tim": link(boss, "team_scores"),
        "skor satu anggota": link(boss, "team_scores") + f"&nip={staff['nip']}",
        "penanganan pengaduan": link(head, "handle_complaints"),
        "survei": f"/submit_survey?unit={service['unit']}&layanan={service['id']}",
        "survei kios": "/" + kiosk.survey_path(SECRET, kiosk_row),
        "pengaduan": "/submit_complaint",
        "status pengaduan": f"/complaint_status?kode={complaint['kode']}",
        "suara warga": "/suara_warga",
        "suara warga satu layanan": f"/suara_warga?layanan={service['id']}",
        "transparansi": "/transparansi",
    }


def test_every_peak_page_on_an_instance_that_never_read_a_sheet_makes_no_sheets_request(world: World) -> None:
    city = demo_city(world)
    found: dict[str, tuple[int, int, list[str]]] = {}
    texts: dict[str, str] = {}
    for name, path in peak_pages(city).items():
        fresh = world.instance()
        asked = sheets_read(fresh)
        before = world.sheet_requests()
        answer = fresh.client.get(path)
        found[name] = (answer.status_code, world.sheet_requests() - before, sorted(set(asked)))
        texts[name] = answer.text
    assert found == {name: (200, 0, []) for name in found}
    assert 'id="judul-skor"' in texts["beranda staf"] and 'id="belum-ada-skor"' not in texts["beranda staf"]
    assert "Dikembalikan" in texts["formulir laporan, perbaikan"]


def test_a_scoring_run_reaches_the_home_page_without_a_refresh(world: World) -> None:
    city = demo_city(world, scored=False)
    home = link(city.demo.staff_examples[0], "home")
    assert 'id="belum-ada-skor"' in world.instance().page(home)

    scoring_job.run(city.job.store, city.job.runtime.now())  # no refresh after it

    fresh = world.instance()
    before = world.sheet_requests()
    page = fresh.page(home)
    assert 'id="belum-ada-skor"' not in page and 'id="judul-skor"' in page
    assert world.sheet_requests() == before
    nip = city.demo.staff_examples[0]["nip"]
    in_sheet = city.job.store.target.records("Skor", where={"nip": nip})
    assert fresh.store.records("Skor", where={"nip": nip}) == in_sheet != []


def test_the_refresh_reads_the_sheets_it_must_each_minute_and_the_published_ones_once_a_day(world: World) -> None:
    city = demo_city(world)
    job = city.job
    asked = sheets_read(job)
    published = {sheet for sheet, how in MODELLED.items() if how.published}
    minute = world.offset

    reads = []
    for offset in (60.0, 120.0, REREAD_SECONDS + 60.0):
        world.offset = minute + offset
        asked.clear()
        before = read_requests(world)
        job.store.refresh(job.runtime.today())
        reads.append((read_requests(world) - before, set(asked)))

    every_minute = set(MODELLED) - published
    assert [sheets for _n, sheets in reads] == [every_minute, every_minute, set(MODELLED)]
    # A run within the day: at most one request for each whole sheet (several share a spreadsheet), and for the 42
    # days of LaporanHarian at most three months of their parts: bounded by what is kept, never by people or
    # instances (16 in the demo city).
    bound = len(every_minute) - 2 + 3 * SHARDS["LaporanHarian"]
    assert reads[0][0] == reads[1][0] <= bound


def test_the_complaint_status_with_its_pin_on_another_instance_makes_no_sheets_request(world: World) -> None:
    city = demo_city(world, scored=False)
    unit = city.job.store.records("Layanan")[0]["unit"]
    filer = world.instance()
    form_url = f"/submit_complaint?unit={unit}"
    csrf = csrf_of(filer.page(form_url))
    data = {"csrf": csrf, "benih_pin": "benihFormulirUji0000000001", **complaint_form("aduanUji0001", unit=unit)}
    filed = filer.client.post(form_url, data=data)
    code, pin = CODE.search(filed.text), PIN.search(filed.text)
    assert filed.status_code == 200 and code and pin, filed.text[-800:]

    fresh = world.instance()
    asked = sheets_read(fresh)
    before = world.sheet_requests()
    status = fresh.page(f"/complaint_status?kode={code.group(1)}")
    opened = fresh.client.post(
        "/complaint_status", data={"csrf": csrf_of(status), "kode": code.group(1), "pin": pin.group(1)}
    )
    assert opened.status_code == 200 and 'id="form-informasi"' in opened.text
    assert (world.sheet_requests() - before, asked) == (0, [])

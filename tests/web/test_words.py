"""No page and no email of the demo city shows words meant for developers (``tests/support/words.py``): function
names of ``main.py``, ``make`` or ``python -m`` commands, bare ISO week labels, raw status codes, internal ids.

Pages: every page the crawl of ``test_crawl`` reaches (a citizen, a staff member, a supervisor, a head of unit, the
BKPP operator, each person's home page included), the pages that follow a form sent (survey thanks, complaint
tracking code and status, a daily report received and one sent twice with other content, the link resent) and the
error pages (a broken or missing personal link, an unknown address or complaint code, a method not allowed, a bad
period, a page for operators only, a team member not one's own). Emails: every kind of ``compose.KINDS`` (the
supervisor digest, the staff summary, the unit head's report, the daily reminder, the personal links). Both on the
demo freshly seeded and on its first Monday, scored and mailed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from werkzeug.test import TestResponse

from functions.mail import compose, links
from functions.mail.compose import Outgoing
from functions.periods import last_complete_week
from functions.runtime import Runtime
from functions.staff import identity
from functions.web.app import create_app
from tests.support.pages import activity_fields, csrf_of, post_form, submission_id
from tests.support.site import FIRST_MONDAY, MOMENTS, TODAY, crawl, demo_city, link, role_starts
from tests.support.words import developer_words, visible_text

MAIL_NOW = {"segar": datetime.combine(TODAY, FIRST_MONDAY.timetz()), "senin_pertama": FIRST_MONDAY}


@pytest.fixture(params=MOMENTS)
def city(request: pytest.FixtureRequest, runtime: Runtime) -> Iterator[tuple[str, Runtime]]:
    yield request.param, demo_city(runtime, request.param)


def check(found: dict[str, list[str]], where: str, answer: TestResponse) -> None:
    if answer.content_type.startswith("text/html"):
        words = developer_words(visible_text(answer.get_data(as_text=True)))
        if words:
            found[where] = words


@pytest.mark.slow
def test_no_page_reached_by_any_role_shows_developer_words(city: tuple[str, Runtime]) -> None:
    _moment, runtime = city
    client = create_app(runtime).test_client()
    found: dict[str, list[str]] = {}
    roles = role_starts(runtime)
    assert client.get(roles.console_link).status_code == 303  # the console's session cookie
    seen = crawl(client, roles.starts, runtime.settings.base_url, visit=lambda url, a: check(found, url, a))
    assert len(seen) > 50
    assert found == {}, "\n".join(f"{where}: {w}" for where, words in found.items() for w in words)


def test_no_page_after_a_form_is_sent_shows_developer_words(city: tuple[str, Runtime]) -> None:
    _moment, runtime = city
    client = create_app(runtime).test_client()
    store = runtime.store
    found: dict[str, list[str]] = {}
    service = next(s for s in store.records("Layanan") if s.get("aktif") is not False)
    survey_url = f"/submit_survey?layanan={service['id']}"
    page = client.get(survey_url).text
    answers = {u: "3" for u in re.findall(r'name="(u[0-9])" value="3"', page)}
    thanks = post_form(client, survey_url, {"id_kiriman": submission_id(page), **answers})
    assert thanks.status_code == 200, thanks.text[-500:]
    check(found, "survei: terima kasih", thanks)

    page = client.get("/submit_complaint").text
    complaint = {
        "id_kiriman": submission_id(page),
        "kategori": "Pelayanan",
        "unit": service["unit"],
        "uraian": "Antrean di loket tidak bergerak selama dua jam pada pagi hari.",
        "privasi": "Biasa",
    }
    done = post_form(client, "/submit_complaint", complaint)
    assert done.status_code == 200, done.text[-500:]
    check(found, "pengaduan: kode pelacakan", done)
    code = re.search(r"ADU-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", done.text)
    assert code
    check(found, "pengaduan: status", client.get(f"/complaint_status?kode={code.group(0)}"))

    staff = role_starts(runtime).staff
    check(found, "kirim ulang tautan", post_form(client, "/resend_link", {"nip": staff["nip"]}))

    report = link(runtime, staff, identity.report_url)
    page = client.get(report).text
    target = re.search(r'<option value="([^"]+)"[^>]*>', page[page.index('name="id_target-0"') :])
    assert target
    fields = {"id_kiriman": submission_id(page), **activity_fields(0, runtime.today(), target.group(1))}
    sent = client.post(report, data={"csrf": csrf_of(page), **fields})
    assert sent.status_code == 200, sent.text[-500:]
    check(found, "laporan: diterima", sent)
    again = client.post(report, data={"csrf": csrf_of(page), **fields, "kuantitas-0": "4"})
    assert again.status_code == 409
    check(found, "laporan: dikirim dua kali dengan isi lain", again)
    assert found == {}, "\n".join(f"{where}: {w}" for where, words in found.items() for w in words)


def test_no_error_page_shows_developer_words(city: tuple[str, Runtime]) -> None:
    _moment, runtime = city
    client = create_app(runtime).test_client()
    roles = role_starts(runtime)
    others = [p for p in runtime.store.records("Pegawai") if p.get("nip_atasan") != roles.supervisor["nip"]]
    scores = link(runtime, roles.supervisor, identity.scores_url)
    review = link(runtime, roles.supervisor, identity.review_url)
    requests = {
        "tautan rusak": ("GET", "/submit_report?t=rusak"),
        "tanpa tautan": ("GET", "/review_reports"),
        "alamat tidak ada": ("GET", "/tidak-ada"),
        "metode tidak didukung": ("DELETE", "/submit_report"),
        "kode pengaduan tidak dikenal": ("GET", "/complaint_status?kode=ADU-AAAA-BBBB-CCCC"),
        "periode IKM salah": ("GET", "/ikm?periode=minggu-lalu"),
        "minggu salah": ("GET", f"{review}&minggu=kemarin"),
        "bukan anggota tim": ("GET", f"{scores}&nip={others[0]['nip']}"),
        "lembar tanpa sesi operator": ("GET", "/lembar/"),
        "kotak keluar tanpa sesi operator": ("GET", "/kotak-keluar/"),
    }
    found: dict[str, list[str]] = {}
    for name, (method, url) in requests.items():
        answer = client.open(url, method=method)
        assert answer.status_code >= 400, name
        check(found, name, answer)
    assert found == {}, "\n".join(f"{where}: {w}" for where, words in found.items() for w in words)


def emails(runtime: Runtime, moment: str) -> list[Outgoing]:
    """One run of every kind of email on the demo."""
    now = MAIL_NOW[moment]
    store, settings = runtime.store, runtime.settings
    weekly = compose.weekly(store, settings, last_complete_week(now.date()).label, now)
    workday = date(2026, 12, 3) if moment == "segar" else now.date()
    reminders = compose.reminders(store, settings, workday, now)
    people = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in people if p.get("nip_atasan")}
    chosen = [p for p in people if p["nip"] in supervisors][:3] + [p for p in people if p.get("peran")][:2]
    sent_links = [item.render() for item in links.plan_links(settings, chosen, supervisors, "Operator Uji", now)]
    return [*weekly, *reminders, *sent_links]


def test_no_email_of_any_kind_shows_developer_words(city: tuple[str, Runtime]) -> None:
    moment, runtime = city
    found: dict[str, list[str]] = {}
    kinds = set()
    for out in emails(runtime, moment):
        kinds.add(out.kind)
        text = out.message.get_body(("plain",))
        html = out.message.get_body(("html",))
        assert text is not None and html is not None
        words = developer_words(str(out.message["Subject"]))
        words += developer_words(text.get_content())
        words += developer_words(visible_text(html.get_content()))
        if words:
            found.setdefault(out.kind, words)
    assert kinds == set(compose.KINDS)
    assert found == {}, "\n".join(f"{where}: {w}" for where, words in found.items() for w in words)

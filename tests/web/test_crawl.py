"""Every page a person can reach answers: a crawl of the links of the landing page and of each role's pages, on the
demo city freshly seeded and on its first Monday (scored and mailed), fails on any 4xx or 5xx.

Roles: a citizen (the landing page), a staff member, a supervisor, a head of unit handling complaints, and the BKPP
operator (console, sheets, exports, outbox). Links are followed within the site, GET only, each address once.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import date, datetime, time
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from flask.testing import FlaskClient

from functions.demo.seed import operators_of, seed_demo
from functions.mail import jobs
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.scoring import job
from functions.staff import identity
from functions.web.app import create_app

TODAY = date(2026, 12, 4)  # a Friday: the demo's four weeks end the day before
FIRST_MONDAY = datetime.combine(date(2026, 12, 7), time(7, 0), tzinfo=WIB)
HREF = re.compile(r'href="([^"]+)"')
LIMIT = 1500  # addresses per crawl: the viewer's filters and pages would go on for long


def crawl(client: FlaskClient, starts: list[str], base: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = deque(starts)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        answer = client.get(url)
        seen[url] = answer.status_code
        if answer.status_code != 200 or not answer.content_type.startswith("text/html"):
            continue
        for raw in HREF.findall(answer.get_data(as_text=True)):
            target = urljoin(url, unescape(raw))
            if target.startswith(base):
                target = target[len(base) :]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue  # another site (wa.me), mailto:, an anchor
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                queue.append(target)
    return seen


@pytest.fixture(params=["segar", "senin_pertama"])
def city(request: pytest.FixtureRequest, runtime: Runtime) -> Runtime:
    seed_demo(runtime.store, TODAY)
    if request.param == "senin_pertama":
        job.run_recent(runtime.store, FIRST_MONDAY, 4)
        jobs.weekly(runtime, FIRST_MONDAY)
    return runtime


@pytest.mark.slow
def test_every_page_reachable_from_the_landing_page_and_each_role_answers(city: Runtime) -> None:
    store, settings = city.store, city.settings
    client = create_app(city).test_client()
    people = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in people if p.get("nip_atasan")}
    heads = {u["nip_kepala"] for u in store.records("Unit")}
    staff = next(p for p in people if p["nip"] not in supervisors and not p.get("peran"))
    supervisor = next(p for p in people if p["nip"] in supervisors and p["nip"] not in heads)
    head = next(p for p in people if p["nip"] in heads)
    base = settings.base_url

    def link(person: dict, make: object) -> str:
        return make(base, identity.make_token(settings.secret_key, person))[len(base) :]  # type: ignore[operator]

    operator = operators_of(store)[0]
    assert client.get(link(operator, identity.console_url)).status_code == 303  # the console's session cookie
    starts = [
        "/",
        link(staff, identity.report_url),
        link(staff, identity.complaints_url),
        link(supervisor, identity.review_url),
        link(supervisor, identity.behaviour_url),
        link(supervisor, identity.scores_url),
        link(head, identity.complaints_url),
        "/operator_console",
    ]
    seen = crawl(client, starts, base)
    failing = {url: status for url, status in seen.items() if status >= 400}
    assert failing == {}
    assert len(seen) > 50  # the crawl went somewhere
    for page in ("/ikm", "/resend_link", "/submit_complaint", "/complaint_status", "/lembar/", "/kotak-keluar/",
                 "/suara_warga"):  # fmt: skip
        assert any(url.split("?")[0] == page for url in seen), page

"""Crawling the site as people reach it: from the landing page and each role's personal links, on the demo city.

``crawl`` follows links within the site, GET only, each address once; ``role_starts`` gives the starting addresses
of a citizen (the landing page), a staff member, a supervisor, a head of unit handling complaints (each one's home
page and pages) and the BKPP operator (whose console session it opens on the client). ``demo_city`` seeds the demo,
and for the first Monday after it scores and mails the weeks, as the schedule would.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, time
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from functions.demo.seed import operators_of, seed_demo
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.staff import identity

TODAY = date(2026, 12, 4)  # a Friday: the demo's four weeks end the day before
FIRST_MONDAY = datetime.combine(date(2026, 12, 7), time(7, 0), tzinfo=WIB)
HREF = re.compile(r'href="([^"]+)"')
LIMIT = 1500  # addresses per crawl: the viewer's filters and pages would go on for long
MOMENTS = ("segar", "senin_pertama")  # freshly seeded; its first Monday, scored and mailed


def demo_city(runtime: Runtime, moment: str) -> Runtime:
    from functions.mail import jobs
    from functions.scoring import job

    seed_demo(runtime.store, TODAY)
    if moment == "senin_pertama":
        job.run_recent(runtime.store, FIRST_MONDAY, 4)
        jobs.weekly(runtime, FIRST_MONDAY)
    return runtime


def crawl(
    client: FlaskClient, starts: list[str], base: str, visit: Callable[[str, TestResponse], None] | None = None
) -> dict[str, int]:
    """Status of every address reached; ``visit`` sees each answer."""
    seen: dict[str, int] = {}
    queue = deque(starts)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen:
            continue
        answer = client.get(url)
        seen[url] = answer.status_code
        if visit is not None:
            visit(url, answer)
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


def people_of_roles(runtime: Runtime) -> dict[str, dict[str, Any]]:
    """One person of each role: staff (no team, no operator role), supervisor (not a head), head of unit."""
    store = runtime.store
    people = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in people if p.get("nip_atasan")}
    heads = {u["nip_kepala"] for u in store.records("Unit")}
    return {
        "staff": next(p for p in people if p["nip"] not in supervisors and not p.get("peran")),
        "supervisor": next(p for p in people if p["nip"] in supervisors and p["nip"] not in heads),
        "head": next(p for p in people if p["nip"] in heads),
    }


def link(runtime: Runtime, person: dict[str, Any], make: Callable[[str, str], str]) -> str:
    """A person's link to one page, as an address within the site."""
    base = runtime.settings.base_url
    return make(base, identity.make_token(runtime.settings.secret_key, person))[len(base) :]


def role_starts(client: FlaskClient, runtime: Runtime) -> list[str]:
    """The addresses each role starts from; the BKPP operator's console session is opened on ``client``."""
    roles = people_of_roles(runtime)
    operator = operators_of(runtime.store)[0]
    assert client.get(link(runtime, operator, identity.console_url)).status_code == 303  # the session cookie
    staff, supervisor, head = roles["staff"], roles["supervisor"], roles["head"]
    return [
        "/",
        link(runtime, staff, identity.home_url),
        link(runtime, supervisor, identity.home_url),
        link(runtime, head, identity.home_url),
        link(runtime, staff, identity.report_url),
        link(runtime, staff, identity.complaints_url),
        link(runtime, supervisor, identity.review_url),
        link(runtime, supervisor, identity.behaviour_url),
        link(runtime, supervisor, identity.scores_url),
        link(runtime, head, identity.complaints_url),
        "/operator_console",
        f"/operator_console?bagian=tautan&unit={head['unit']}",  # a unit's people, chosen in a form
        f"/operator_console?bagian=slip&unit={head['unit']}",  # their printable slips
    ]

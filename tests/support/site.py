"""The pages of the site as people reach them: where each role starts, and a crawl of the links from there.

``tests/web/test_crawl.py`` checks that every address answers, ``tests/web/test_words.py`` that none shows words
meant for developers, and ``tests/web/test_a11y.py`` opens one address of each kind of page in a browser (axe-core,
no sideways scrolling at 320 px). All start from :func:`role_starts`, so a new page linked from any role's pages is
checked by all of them without a change here. :func:`demo_city` seeds the demo, and for its first Monday scores and
mails the weeks, as the schedule would.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from functions.demo.seed import operators_of, seed_demo
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.staff import identity

TODAY = date(2026, 12, 4)  # a Friday: the demo's four weeks end the day before
FIRST_MONDAY = datetime.combine(date(2026, 12, 7), time(7, 0), tzinfo=WIB)
MOMENTS = ("segar", "senin_pertama")  # freshly seeded; its first Monday, scored and mailed
HREF = re.compile(r'href="([^"]+)"')
LIMIT = 1500  # addresses per crawl: the viewer's filters and pages would go on for long
# Query keys that only choose the data a page shows, not the kind of page: a person's link, a unit, a month...
DATA_KEYS = frozenset({"t", "nip", "layanan", "unit", "bulan", "halaman", "kode", "minggu", "status"})
DIGITS = re.compile(r"[0-9]+")  # in a path: the time and NIP of an outbox message, not its kind


def demo_city(runtime: Runtime, moment: str) -> Runtime:
    """The demo city seeded on :data:`TODAY`; on ``senin_pertama`` also scored and mailed on its first Monday."""
    from functions.mail import jobs
    from functions.scoring import job

    seed_demo(runtime.store, TODAY)
    if moment == "senin_pertama":
        job.run_recent(runtime.store, FIRST_MONDAY, 4)
        jobs.weekly(runtime, FIRST_MONDAY)
    return runtime


@dataclass(frozen=True)
class Visit:
    status: int
    content_type: str


@dataclass(frozen=True)
class Roles:
    """The people of the demo city whose links start the crawl, and the addresses they start from."""

    staff: dict[str, Any]
    supervisor: dict[str, Any]
    head: dict[str, Any]
    operator: dict[str, Any]
    starts: list[str]
    console_link: str  # the operator's personal link: opening it starts the console's session


def link(runtime: Runtime, person: dict[str, Any], make: Callable[[str, str], str]) -> str:
    """A person's link to one page, as an address within the site."""
    base = runtime.settings.base_url
    return make(base, identity.make_token(runtime.settings.secret_key, person))[len(base) :]


def role_starts(runtime: Runtime) -> Roles:
    """A citizen (the landing page), a staff member, a supervisor (not a head), a head of unit handling complaints
    (each one's home page and pages), and the BKPP operator (console, sheets, exports, outbox)."""
    store = runtime.store
    people = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in people if p.get("nip_atasan")}
    heads = {u["nip_kepala"] for u in store.records("Unit")}
    staff = next(p for p in people if p["nip"] not in supervisors and not p.get("peran"))
    supervisor = next(p for p in people if p["nip"] in supervisors and p["nip"] not in heads)
    head = next(p for p in people if p["nip"] in heads)
    operator = operators_of(store)[0]
    starts = [
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
    return Roles(staff, supervisor, head, operator, starts, link(runtime, operator, identity.console_url))


def crawl(
    client: FlaskClient,
    starts: list[str],
    base: str,
    once_per_kind: bool = False,
    visit: Callable[[str, TestResponse], None] | None = None,
) -> dict[str, Visit]:
    """Every address reachable from ``starts`` by the links of HTML pages, within the site, GET only, once each;
    with ``once_per_kind`` only the first address of each kind of page (:func:`kind_of`), and the links on it.
    ``visit`` sees each answer."""
    seen: dict[str, Visit] = {}
    kinds: set[str] = set()
    queue = deque(starts)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        if url in seen or (once_per_kind and kind_of(url) in kinds):
            continue
        kinds.add(kind_of(url))
        answer = client.get(url)
        seen[url] = Visit(answer.status_code, answer.content_type)
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


def kind_of(url: str) -> str:
    """The kind of page an address opens: its path with numbers blanked, and its query without the values of the
    keys that only pick the data (:data:`DATA_KEYS`)."""
    parts = urlsplit(url)
    path = DIGITS.sub("*", parts.path)
    query = sorted((k, "*" if k in DATA_KEYS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return path + ("?" + urlencode(query) if query else "")


def one_of_each_kind(seen: dict[str, Visit]) -> list[str]:
    """The first address crawled of each kind of HTML page that answered 200, in crawl order."""
    kinds: dict[str, str] = {}
    for url, visit in seen.items():
        if visit.status == 200 and visit.content_type.startswith("text/html"):
            kinds.setdefault(kind_of(url), url)
    return list(kinds.values())

"""The pages of the site as people reach them: where each role starts, and a crawl of the links from there.

``tests/web/test_crawl.py`` checks that every address answers; ``tests/web/test_a11y.py`` opens one address of each
kind of page in a browser (axe-core, no sideways scrolling at 320 px). Both start from :func:`role_starts`, so a new
page linked from any role's pages is checked by both without a change here.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from flask.testing import FlaskClient

from functions.demo.seed import operators_of
from functions.runtime import Runtime
from functions.staff import identity

HREF = re.compile(r'href="([^"]+)"')
LIMIT = 1500  # addresses per crawl: the viewer's filters and pages would go on for long
# Query keys that pick whose or which data a page shows, not which page it is: two addresses that differ only in
# these are the same kind of page (the report form of two people, the poster of two services, page 2 and 3).
DATA_KEYS = frozenset({"t", "nip", "layanan", "unit", "bulan", "halaman", "kode", "minggu", "status"})
DIGITS = re.compile(r"[0-9]+")  # in a path: the time and NIP of an outbox message, not its kind


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


def role_starts(runtime: Runtime) -> Roles:
    """A citizen (the landing page), a staff member, a supervisor (not a head), a head of unit handling complaints,
    and the BKPP operator (console, sheets, exports, outbox)."""
    store, settings = runtime.store, runtime.settings
    people = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in people if p.get("nip_atasan")}
    heads = {u["nip_kepala"] for u in store.records("Unit")}
    staff = next(p for p in people if p["nip"] not in supervisors and not p.get("peran"))
    supervisor = next(p for p in people if p["nip"] in supervisors and p["nip"] not in heads)
    head = next(p for p in people if p["nip"] in heads)
    operator = operators_of(store)[0]
    base = settings.base_url

    def link(person: dict[str, Any], make: Any) -> str:
        return str(make(base, identity.make_token(settings.secret_key, person)))[len(base) :]

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
    return Roles(staff, supervisor, head, operator, starts, link(operator, identity.console_url))


def crawl(client: FlaskClient, starts: list[str], base: str, once_per_kind: bool = False) -> dict[str, Visit]:
    """Every address reachable from ``starts`` by the links of HTML pages, within the site, GET only, once each;
    with ``once_per_kind`` only the first address of each kind of page (:func:`kind_of`), and the links on it."""
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

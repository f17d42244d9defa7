"""Every page a person can reach answers: a crawl of the links of the landing page and of each role's pages, on the
demo city freshly seeded and on its first Monday (scored and mailed), fails on any 4xx or 5xx.

Roles (``tests/support/site.py``, shared with the words and accessibility tests): a citizen (the landing page), a
staff member, a supervisor, a head of unit handling complaints, and the BKPP operator (console, sheets, exports,
outbox). Links are followed within the site, GET only, each address once.
"""

from __future__ import annotations

import pytest

from functions.runtime import Runtime
from functions.web.app import create_app
from tests.support.site import MOMENTS, crawl, demo_city, role_starts


@pytest.fixture(params=MOMENTS)
def city(request: pytest.FixtureRequest, runtime: Runtime) -> Runtime:
    return demo_city(runtime, request.param)


@pytest.mark.slow
def test_every_page_reachable_from_the_landing_page_and_each_role_answers(city: Runtime) -> None:
    client = create_app(city).test_client()
    roles = role_starts(city)
    assert client.get(roles.console_link).status_code == 303  # the console's session cookie
    seen = crawl(client, roles.starts, city.settings.base_url)
    failing = {url: visit.status for url, visit in seen.items() if visit.status >= 400}
    assert failing == {}
    assert len(seen) > 50  # the crawl went somewhere
    for page in ("/ikm", "/resend_link", "/submit_complaint", "/complaint_status", "/lembar/", "/kotak-keluar/",
                 "/suara_warga"):  # fmt: skip
        assert any(url.split("?")[0] == page for url in seen), page

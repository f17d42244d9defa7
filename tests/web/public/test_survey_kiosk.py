"""Surveys at a busy counter: a kiosk link on a tablet is limited per kiosk, a plain form per address.

A simulated clock drives the limiters (``RateLimiter.clock``); every request comes from one address (the test
client's 127.0.0.1), like an office's Wi-Fi behind one public address. Defaults: 10 plain surveys a minute per
address, 20 kiosk surveys a minute per kiosk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient

from functions.citizens import kiosk
from functions.citizens.ikm import UNSUR
from functions.runtime import Runtime
from functions.web import ratelimit
from functions.web.app import create_app
from tests.support.pages import csrf_of, submission_id
from tests.support.towns import DOCTOR, SERVICE, URL

# Four queues of 15 citizens, one every 4 s (15 within a minute), 150 s apart: 60 surveys in 506 s (under 10 minutes).
SCHEDULE = [start + 4.0 * n for start in (0.0, 150.0, 300.0, 450.0) for n in range(15)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(runtime: Runtime) -> Clock:
    fake = Clock()
    for kind in (ratelimit.SURVEY, ratelimit.KIOSK):
        ratelimit.limiter_of(runtime, kind).clock = fake
    return fake


@pytest.fixture
def client(runtime: Runtime, services: dict[str, Any]) -> FlaskClient:
    return create_app(runtime).test_client()


@pytest.fixture
def booth(runtime: Runtime, services: dict[str, Any]) -> dict[str, Any]:
    service = runtime.store.records("Layanan", where={"id": SERVICE})[0]
    return kiosk.issue(runtime.store, service, "Tablet loket 1", DOCTOR, runtime.now(), "kiosUji0001abcd")


def kiosk_url(runtime: Runtime, booth: dict[str, Any]) -> str:
    return "/" + kiosk.survey_path(runtime.settings.secret_key, booth)


ANSWERS = {u.key: "3" for u in UNSUR}


def send(client: FlaskClient, url: str) -> Any:
    """A citizen opens the form (an empty one with a fresh id) and sends every unsur answered."""
    page = client.get(url)
    assert page.status_code == 200, page.text[:300]
    return client.post(url, data={"csrf": csrf_of(page.text), "id_kiriman": submission_id(page.text), **ANSWERS})


def run_schedule(client: FlaskClient, url: str, clock: Clock) -> Iterator[tuple[int, Any]]:
    for n, moment in enumerate(SCHEDULE):
        clock.now = 1000.0 + moment
        yield n, send(client, url)


def test_a_kiosk_link_takes_60_surveys_in_10_minutes_from_one_address(
    client: FlaskClient, runtime: Runtime, booth: dict[str, Any], clock: Clock
) -> None:
    assert SCHEDULE[-1] < 600 and len(SCHEDULE) == 60
    for n, answer in run_schedule(client, kiosk_url(runtime, booth), clock):
        assert answer.status_code == 200 and 'id="terima-kasih"' in answer.text, n
    assert runtime.store.count("Survei") == 60
    # The kiosk's surveys did not use up the address: a citizen's own phone on the same Wi-Fi still gets through.
    assert send(client, URL).status_code == 200


def test_a_plain_form_from_one_address_is_still_limited(
    client: FlaskClient, runtime: Runtime, clock: Clock, services: dict[str, Any]
) -> None:
    results = [answer.status_code for _, answer in run_schedule(client, URL, clock)]
    assert results[:10] == [200] * 10
    assert results[10] == 429  # the 11th within one minute from the same address
    assert runtime.store.count("Survei") == results.count(200) < 60


def test_a_kiosk_is_limited_per_kiosk(
    client: FlaskClient, runtime: Runtime, booth: dict[str, Any], clock: Clock
) -> None:
    url = kiosk_url(runtime, booth)
    for _ in range(runtime.settings.kiosk_rate_limit):
        assert send(client, url).status_code == 200
    refused = send(client, url)  # all at the same simulated second
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    clock.now += 61
    assert send(client, url).status_code == 200


def test_the_kiosk_form_clears_itself_after_the_thanks(
    client: FlaskClient, runtime: Runtime, booth: dict[str, Any], clock: Clock
) -> None:
    url = kiosk_url(runtime, booth)
    form = client.get(url).text
    assert 'id="mode-kios"' in form and 'autocomplete="off"' in form
    thanks = client.post(url, data={"csrf": csrf_of(form), "id_kiriman": submission_id(form), **ANSWERS,
                                    "saran": "Ruang tunggu nyaman."})  # fmt: skip
    assert 'id="terima-kasih"' in thanks.text
    refresh = re.search(r'<meta http-equiv="refresh" content="(\d+);url=([^"]+)">', thanks.text)
    assert refresh and int(refresh.group(1)) <= 10
    next_url = "/" + refresh.group(2).replace("&amp;", "&")
    assert next_url == url and f'href="{refresh.group(2)}"' in thanks.text  # a link too, for a tap
    again = client.get(next_url).text
    assert not re.search(r'value="\d" checked', again) and "Ruang tunggu nyaman." not in again
    assert submission_id(again) != submission_id(form)
    assert thanks.headers["Cache-Control"] == "no-store"  # the back button shows no answers


def test_a_plain_thanks_page_does_not_refresh(client: FlaskClient, clock: Clock) -> None:
    assert "http-equiv" not in send(client, URL).text


def tampered(token: str) -> str:
    return token[:-2] + ("AA" if not token.endswith("AA") else "BB")


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_tampered_or_revoked_kiosk_link_is_refused(
    client: FlaskClient, runtime: Runtime, booth: dict[str, Any], clock: Clock, method: str
) -> None:
    token = kiosk.token(runtime.settings.secret_key, booth)
    moved = kiosk.token(runtime.settings.secret_key, booth | {"layanan": "PKM-UJI-IMUN"})
    urls = [
        f"/submit_survey?layanan={SERVICE}&kios={tampered(token)}",
        f"/submit_survey?layanan=PKM-UJI-IMUN&kios={token}",  # the link taken to another service
        f"/submit_survey?layanan={SERVICE}&kios={moved}",
        f"/submit_survey?layanan={SERVICE}&kios=",
    ]
    good = kiosk_url(runtime, booth)
    csrf = csrf_of(client.get(good).text)
    for url in urls:
        answer = client.get(url) if method == "GET" else client.post(url, data={"csrf": csrf, **ANSWERS})
        assert answer.status_code == 403 and "Tautan kios ini tidak berlaku" in answer.text, url
    kiosk.revoke(runtime.store, booth, runtime.now())
    answer = client.get(good) if method == "GET" else client.post(good, data={"csrf": csrf, **ANSWERS})
    assert answer.status_code == 403 and "dicabut" in answer.text
    assert runtime.store.count("Survei") == 0

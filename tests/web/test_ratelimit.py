"""The per-client sliding-window rate limit of the public forms."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Request
from werkzeug.test import EnvironBuilder

from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.ratelimit import (
    COMPLAINT,
    KIOSK,
    STATUS,
    SURVEY,
    RateLimiter,
    TooManyRequests,
    check,
    client_address,
    limiter_of,
)


def test_allows_limit_hits_per_window_and_refuses_the_next_with_retry_after() -> None:
    limiter = RateLimiter(limit=3, window_seconds=60)
    for moment in (0.0, 10.0, 20.0):
        limiter.hit("10.0.0.1", now=moment)
    with pytest.raises(TooManyRequests) as err:
        limiter.hit("10.0.0.1", now=30.0)
    assert err.value.status == 429
    assert err.value.retry_after == 31  # the oldest hit leaves the window at 60 s
    assert "Terlalu banyak kiriman" in err.value.message and "Tunggu 31 detik" in err.value.message


def test_a_refused_hit_is_not_counted() -> None:
    limiter = RateLimiter(limit=1, window_seconds=60)
    limiter.hit("a", now=0.0)
    for moment in (1.0, 2.0, 59.0):
        with pytest.raises(TooManyRequests):
            limiter.hit("a", now=moment)
    limiter.hit("a", now=60.0)


def test_retry_after_is_at_least_one_second() -> None:
    limiter = RateLimiter(limit=1, window_seconds=60)
    limiter.hit("a", now=0.0)
    with pytest.raises(TooManyRequests) as err:
        limiter.hit("a", now=59.999)
    assert err.value.retry_after == 1


def test_old_hits_are_forgotten_as_the_window_slides() -> None:
    limiter = RateLimiter(limit=2, window_seconds=60)
    limiter.hit("a", now=0.0)
    limiter.hit("a", now=30.0)
    with pytest.raises(TooManyRequests):
        limiter.hit("a", now=59.0)
    limiter.hit("a", now=60.0)  # the hit at 0 s has left the window
    with pytest.raises(TooManyRequests):
        limiter.hit("a", now=61.0)
    limiter.hit("a", now=90.0)  # the hit at 30 s has left too


def test_clients_are_counted_separately() -> None:
    limiter = RateLimiter(limit=2, window_seconds=60)
    for client in ("10.0.0.1", "10.0.0.2"):
        limiter.hit(client, now=0.0)
        limiter.hit(client, now=1.0)
    with pytest.raises(TooManyRequests):
        limiter.hit("10.0.0.1", now=2.0)
    limiter.hit("10.0.0.3", now=2.0)


def test_idle_clients_are_dropped_when_the_table_is_full() -> None:
    limiter = RateLimiter(limit=1, window_seconds=60, max_clients=2)
    limiter.hit("a", now=0.0)
    limiter.hit("b", now=30.0)
    limiter.hit("c", now=61.0)  # table full: "a" is idle and goes, "b" stays
    assert set(limiter._hits) == {"b", "c"}
    with pytest.raises(TooManyRequests):
        limiter.hit("b", now=62.0)


def test_a_table_full_of_recent_clients_drops_the_oldest() -> None:
    limiter = RateLimiter(limit=5, window_seconds=60, max_clients=2)
    limiter.hit("a", now=0.0)
    limiter.hit("b", now=1.0)
    limiter.hit("c", now=2.0)  # both recent: "a", seen longest ago, goes
    assert set(limiter._hits) == {"b", "c"}


def request(remote: str | None = "203.0.113.9", forwarded: str | None = None) -> Request:
    headers = [("X-Forwarded-For", forwarded)] if forwarded is not None else []
    environ = EnvironBuilder(path="/", headers=headers).get_environ()
    environ["REMOTE_ADDR"] = remote
    return Request(environ)


@pytest.mark.parametrize(
    "remote, forwarded, behind_proxy, expected",
    [
        ("203.0.113.9", None, False, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.7", False, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.7", True, "198.51.100.7"),
        # The client may send its own X-Forwarded-For; only the entry the front end appends counts.
        ("203.0.113.9", "1.2.3.4, 198.51.100.7", True, "198.51.100.7"),
        ("203.0.113.9", " 6.6.6.6 , 198.51.100.7 ", True, "198.51.100.7"),
        ("203.0.113.9", "", True, "203.0.113.9"),
        ("203.0.113.9", None, True, "203.0.113.9"),
        (None, None, False, "unknown"),
    ],
)
def test_x_forwarded_for_is_used_only_behind_a_proxy(
    remote: str | None, forwarded: str | None, behind_proxy: bool, expected: str
) -> None:
    assert client_address(request(remote, forwarded), behind_proxy) == expected


def test_runtime_builds_its_limiter_from_the_settings(settings: Settings, store: SQLiteStore) -> None:
    assert limiter_of(Runtime(settings=settings, store=store)).limit == Settings.rate_limit == 10
    assert limiter_of(Runtime(settings=replace(settings, rate_limit=3), store=store)).limit == 3


@pytest.mark.parametrize("environment, separate", [("local", False), ("production", True)])
def test_runtime_trusts_x_forwarded_for_only_in_production(
    settings: Settings, store: SQLiteStore, environment: str, separate: bool
) -> None:
    runtime = Runtime(settings=replace(settings, environment=environment, rate_limit=1), store=store)
    check(runtime, request("169.254.1.1", "198.51.100.7"))
    second = request("169.254.1.1", "198.51.100.8")
    if separate:
        check(runtime, second)
    else:
        with pytest.raises(TooManyRequests):
            check(runtime, second)


def test_blocked_tells_the_wait_at_the_limit_and_counts_nothing() -> None:
    # Limits on failures (wrong PINs) check before a try and count after it failed.
    limiter = RateLimiter(limit=2, window_seconds=60)
    assert limiter.blocked("a", now=0.0) is None
    limiter.hit("a", now=0.0)
    limiter.hit("a", now=10.0)
    assert limiter.blocked("a", now=30.0) == 31  # the hit of 0 s leaves the window at 60 s
    assert limiter.blocked("a", now=30.0) == 31  # asking again counted nothing
    assert limiter.blocked("a", now=60.0) is None
    assert limiter.blocked("b", now=30.0) is None


def test_each_form_kind_has_its_own_limit(settings: Settings, store: SQLiteStore) -> None:
    runtime = Runtime(settings=replace(settings, rate_limit=2), store=store)
    caller = request("203.0.113.9")
    for _ in range(2):
        check(runtime, caller, SURVEY)
    with pytest.raises(TooManyRequests):
        check(runtime, caller, SURVEY)
    check(runtime, caller, COMPLAINT)  # surveys at the office do not use up the complaint form
    check(runtime, caller, STATUS)


def test_a_kiosk_is_counted_by_its_id_with_its_own_limit(settings: Settings, store: SQLiteStore) -> None:
    runtime = Runtime(settings=replace(settings, rate_limit=1, kiosk_rate_limit=3), store=store)
    caller = request("203.0.113.9")
    for _ in range(3):
        check(runtime, caller, SURVEY, kiosk="tablet-1")
    with pytest.raises(TooManyRequests):
        check(runtime, caller, SURVEY, kiosk="tablet-1")
    check(runtime, caller, SURVEY, kiosk="tablet-2")  # another kiosk on the same address
    check(runtime, caller, SURVEY)  # and the address itself
    assert limiter_of(runtime, KIOSK).limit == 3 and limiter_of(runtime, SURVEY).limit == 1


def test_a_limiter_follows_its_clock() -> None:
    moment = [0.0]
    limiter = RateLimiter(limit=1, window_seconds=60, clock=lambda: moment[0])
    limiter.hit("a")
    with pytest.raises(TooManyRequests):
        limiter.hit("a")
    moment[0] = 60.0
    limiter.hit("a")

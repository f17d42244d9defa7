"""Concurrent form POSTs over keep-alive HTTP, as a browser would send them (CSRF cookie and field first).

Shared by the report and survey benchmarks: each client opens a form page once for its CSRF cookie and
field, then posts its submissions and records each latency.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.support.pages import csrf_of

CLIENTS = 20
PER_CLIENT = 150
# (client number, submission number) -> (path with query, form fields without the CSRF field)
Request = Callable[[int, int], tuple[str, dict[str, str]]]


@dataclass
class SubmitFigures:
    submissions: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    stored: int
    failures: int


def post_load(
    port: int, form_page: str, request: Request, clients: int, per_client: int
) -> tuple[float, list[float], int]:
    """(seconds, sorted latencies, failures) of ``clients`` x ``per_client`` POSTs."""
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", form_page)
        page = conn.getresponse()
        csrf = csrf_of(page.read().decode())
        cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
        mine: list[float] = []
        bad = 0
        for k in range(per_client):
            path, fields = request(n, k)
            start = time.perf_counter()
            conn.request(
                "POST",
                path,
                body=urlencode({"csrf": csrf, **fields}),
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            answer = conn.getresponse()
            answer.read()
            mine.append(time.perf_counter() - start)
            bad += answer.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            failures.append(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began, sorted(latencies), sum(failures)


def figures(seconds: float, latencies: list[float], failures: int, stored: int) -> SubmitFigures:
    total = len(latencies)
    return SubmitFigures(
        submissions=total,
        seconds=seconds,
        per_second=total / seconds,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[int(total * 0.99) - 1] * 1000,
        stored=stored,
        failures=failures,
    )

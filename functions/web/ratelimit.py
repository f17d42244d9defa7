"""Per-client rate limits for the public forms (429 with an Indonesian message), one limit per form kind.

Each kind of form (``SURVEY``, ``COMPLAINT``, ``STATUS``, ``LINK``; forms that name none share ``GENERAL``) has its
own limiter, so citizens filling in surveys on an office's Wi-Fi do not use up the complaint form's limit. A client
is its address (``KINERJA_RATE_LIMIT`` a minute), except a kiosk (a tablet at a service counter with a signed kiosk
link, ``citizens.kiosk``), which is counted by its kiosk id (``KINERJA_KIOSK_RATE_LIMIT`` a minute) instead.

A sliding window kept in memory by each process: on Cloud Functions every instance keeps
its own, which bounds a burst per instance; put Cloud Armor in front for a global limit.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import deque
from collections.abc import Callable

from flask import Request

from functions.errors import KinerjaError
from functions.runtime import Runtime


class TooManyRequests(KinerjaError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Terlalu banyak kiriman dari perangkat Anda. Tunggu {retry_after} detik, lalu coba lagi.")
        self.retry_after = retry_after


SURVEY, COMPLAINT, STATUS, LINK, GENERAL = "survei", "pengaduan", "status_pengaduan", "tautan", "umum"
KIOSK = "kios"  # surveys sent from a kiosk link, counted per kiosk


class RateLimiter:
    def __init__(
        self,
        limit: int,
        window_seconds: float = 60.0,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_clients = max_clients
        self.clock = clock  # seconds; a test may set a simulated clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str, now: float | None = None) -> None:
        """Count one request of a client; raise TooManyRequests past the limit."""
        moment = self.clock() if now is None else now
        with self._lock:
            if client not in self._hits and len(self._hits) >= self.max_clients:
                self._forget_idle(moment)
                while len(self._hits) >= self.max_clients:
                    # Still full of recent clients: drop the one seen longest ago.
                    oldest = min(self._hits, key=lambda c: self._hits[c][-1] if self._hits[c] else 0.0)
                    del self._hits[oldest]
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= moment - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                raise TooManyRequests(max(1, int(hits[0] + self.window - moment) + 1))
            hits.append(moment)

    def blocked(self, client: str, now: float | None = None) -> int | None:
        """Seconds until a client at the limit may be counted again, or None when it is under it. Counts nothing:
        for limits on failures only (wrong PINs), checked before the attempt and counted after it failed."""
        moment = self.clock() if now is None else now
        with self._lock:
            recent = [t for t in self._hits.get(client, ()) if t > moment - self.window]
        if len(recent) < self.limit:
            return None
        return max(1, int(recent[-self.limit] + self.window - moment) + 1)

    def _forget_idle(self, moment: float) -> None:
        for client in [c for c, h in self._hits.items() if not h or h[-1] <= moment - self.window]:
            del self._hits[client]


def client_address(request: Request, behind_proxy: bool) -> str:
    """The caller's address. Behind Google's front end, the last X-Forwarded-For entry: the one
    the front end appended; entries before it were sent by the client and prove nothing."""
    if behind_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or "unknown"
    return request.remote_addr or "unknown"


_LIMITERS: weakref.WeakKeyDictionary[Runtime, dict[str, RateLimiter]] = weakref.WeakKeyDictionary()
_LIMITERS_LOCK = threading.Lock()


def limiter_of(runtime: Runtime, kind: str = GENERAL) -> RateLimiter:
    """The limiter of one form kind of a runtime in this process: ``KINERJA_RATE_LIMIT`` a minute per address, or
    ``KINERJA_KIOSK_RATE_LIMIT`` a minute per kiosk for ``KIOSK``."""
    with _LIMITERS_LOCK:
        limiters = _LIMITERS.setdefault(runtime, {})
        limiter = limiters.get(kind)
        if limiter is None:
            limit = runtime.settings.kiosk_rate_limit if kind == KIOSK else runtime.settings.rate_limit
            limiter = limiters[kind] = RateLimiter(limit)
        return limiter


def check(runtime: Runtime, request: Request, kind: str = GENERAL, kiosk: str | None = None) -> None:
    """Count a public submission of the caller for one form kind; 429 past the limit. A submission from a kiosk
    (``kiosk``: its id, already verified) counts against that kiosk's limit, not its address's. The caller's
    address comes from X-Forwarded-For only in production, behind Google's front end."""
    if kiosk is not None:
        limiter_of(runtime, KIOSK).hit(kiosk)
        return
    behind_proxy = runtime.settings.environment == "production"
    limiter_of(runtime, kind).hit(client_address(request, behind_proxy))

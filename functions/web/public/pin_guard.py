"""Limits on wrong PINs of the complaint conversation: per tracking code and per client address.

A wrong PIN (or an unknown code: the answer never tells which) is counted after it failed; before each try the
code's and the address's counts are checked, so that once at a limit even the right PIN waits (else a guesser
would learn the PIN from the one try that is not refused). Kept in memory per process like the public forms'
limit (``functions.web.ratelimit``); with PINs of 40 random bits a per-instance limit is enough.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

from flask import Request

from functions.errors import KinerjaError
from functions.runtime import Runtime
from functions.web.ratelimit import RateLimiter, TooManyRequests, client_address

WINDOW_SECONDS = 15 * 60
PER_CODE = 5  # wrong PINs for one tracking code in the window
PER_ADDRESS = 10  # wrong PINs from one address in the window, whatever the codes


class TooManyWrongPins(KinerjaError):
    status = 429

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(
            f"PIN: terlalu banyak PIN yang salah. Demi keamanan, tunggu {minutes} menit, lalu coba lagi. "
            "Tidak ada yang disimpan."
        )
        self.retry_after = retry_after


_GUARDS: weakref.WeakKeyDictionary[Runtime, tuple[RateLimiter, RateLimiter]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _guards(runtime: Runtime) -> tuple[RateLimiter, RateLimiter]:
    with _LOCK:
        found = _GUARDS.get(runtime)
        if found is None:
            found = _GUARDS[runtime] = (
                RateLimiter(PER_CODE, WINDOW_SECONDS),
                RateLimiter(PER_ADDRESS, WINDOW_SECONDS),
            )
        return found


def _keys(runtime: Runtime, request: Request, code: str) -> tuple[str, str]:
    return code[:40], client_address(request, runtime.settings.environment == "production")


def check(runtime: Runtime, request: Request, code: str) -> None:
    """Raise TooManyWrongPins when the code or the address is at its limit."""
    waits = [
        wait
        for limiter, key in zip(_guards(runtime), _keys(runtime, request, code), strict=True)
        if (wait := limiter.blocked(key)) is not None
    ]
    if waits:
        raise TooManyWrongPins(max(waits))


def failed(runtime: Runtime, request: Request, code: str) -> None:
    """Count one wrong PIN against the code and the address."""
    for limiter, key in zip(_guards(runtime), _keys(runtime, request, code), strict=True):
        # A parallel try may have reached the limit since the check: the next check refuses.
        with contextlib.suppress(TooManyRequests):
            limiter.hit(key)

"""The runtime of one process: settings and the store they name, built once.

Cloud Functions entry points call ``get_runtime()``; the local app and the tests build a
``Runtime`` from explicit settings and pass it in.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import Request

from functions.ratelimit import RateLimiter, client_address
from functions.settings import Settings
from functions.store import Store, open_store


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    store: Store
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(Settings.rate_limit))

    def __post_init__(self) -> None:
        if self.limiter.limit != self.settings.rate_limit:
            object.__setattr__(self, "limiter", RateLimiter(self.settings.rate_limit))

    def check_rate(self, request: Request) -> None:
        """Count a public submission of the caller; 429 past the limit."""
        behind_proxy = self.settings.environment == "production"
        self.limiter.hit(client_address(request, behind_proxy))

    def now(self) -> datetime:
        """The current time in the city's time zone."""
        return datetime.now(self.settings.tz).replace(microsecond=0)

    def today(self) -> date:
        return self.now().date()

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        return cls(settings=settings, store=open_store(settings))


@functools.cache
def get_runtime() -> Runtime:
    """The process-wide runtime for Cloud Functions entry points, from the environment."""
    from functions.logs import configure

    settings = Settings.from_env()
    configure(settings.log_format)
    return Runtime.from_settings(settings)

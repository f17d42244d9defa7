"""The runtime of one process: settings, the store they name, and the city's clock, built once.

Cloud Functions entry points call ``get_runtime()``; the local app and the tests build a
``Runtime`` from explicit settings and pass it in. Domain jobs take it too; what only the web needs
(the rate limiter of the public forms) lives in ``functions.web``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from functions.readmodel import with_read_model
from functions.settings import Settings
from functions.store import Store, open_store


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: per-runtime state (rate limits) keys on it
class Runtime:
    settings: Settings
    store: Store

    def now(self) -> datetime:
        """The current time in the city's time zone."""
        return datetime.now(self.settings.tz).replace(microsecond=0)

    def today(self) -> date:
        return self.now().date()

    def begin_request(self) -> None:
        """A request starts: a store with a read model reads its manifest again (other instances' writes)."""
        begin = getattr(self.store, "begin_request", None)
        if callable(begin):
            begin()

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        return cls(settings=settings, store=with_read_model(open_store(settings), settings))


def get_runtime() -> Runtime:
    """The process-wide runtime for Cloud Functions entry points (one call per request), from the environment."""
    runtime = _process_runtime()
    runtime.begin_request()
    return runtime


@functools.cache
def _process_runtime() -> Runtime:
    from functions.logs import configure

    settings = Settings.from_env()
    configure(settings.log_format)
    return Runtime.from_settings(settings)

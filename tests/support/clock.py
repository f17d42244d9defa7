"""A runtime whose clock a test sets, for pages whose answer depends on the day (the BerAKHLAK rating window)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from functions.runtime import Runtime


@dataclass
class Clock:
    """The moment it is (an aware datetime in the city's zone); a test moves it on."""

    moment: datetime


@dataclass(frozen=True, eq=False)
class ClockedRuntime(Runtime):
    """``Runtime`` whose ``now()`` is its clock's moment."""

    clock: Clock = field(default_factory=lambda: Clock(datetime.now()))

    def now(self) -> datetime:
        return self.clock.moment


def at(runtime: Runtime, moment: datetime) -> ClockedRuntime:
    """The same settings and store as ``runtime``, with a clock standing at ``moment``."""
    return ClockedRuntime(settings=runtime.settings, store=runtime.store, clock=Clock(moment))

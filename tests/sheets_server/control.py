"""The control object of a running server: data, quota counters, clock, limits, injected faults and delay.

Tests hold it directly (``server.control``); anything else drives it over HTTP:

* ``GET /_control`` returns :meth:`Control.stats`.
* ``POST /_control`` with a JSON object of commands, applied in this order, returns the stats afterwards::

    {"reset": true}                                   forget all spreadsheets, counters, faults and the delay
    {"reset_counters": true}                          forget counters only
    {"limits": {"write_per_minute_per_user": 5}}      change limits (names as in limits.Limits)
    {"advance_clock": 61}                             move the server's clock forward, in seconds
    {"delay": 0.5}                                    sleep this long before answering every API request
    {"delay": [0.2, 0.8]}                             ... or a time drawn evenly from this range, per request
    {"fail_next": {"count": 2, "status": 503, "kind": "write"}}
                                                      answer the next matching API requests with that error
                                                      (kind: read, write, drive or omitted for any)
"""

from __future__ import annotations

import random
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from .limits import Clock, Limits, Quota
from .model import Store


@dataclass
class Fault:
    status: int
    remaining: int
    kind: str | None


class Control:
    def __init__(
        self, limits: Limits | None = None, clock: Clock | Callable[[], float] | None = None, seed: int = 42
    ) -> None:
        self.limits = limits or Limits()
        if clock is None or isinstance(clock, Clock):
            self.clock = clock or Clock()
        else:
            self.clock = _CallableClock(clock)
        self.store = Store(self.limits, self.clock, seed)
        self.quota = Quota(self.limits, self.clock)
        self.delay: float | list[float] = 0.0
        self.log: deque[dict[str, Any]] = deque(maxlen=10_000)
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    # -- faults and delay ----------------------------------------------------------------------------------------

    def fail_next(self, count: int = 1, status: int = 429, kind: str | None = None) -> None:
        """Answer the next ``count`` API requests (of ``kind`` read/write/drive, or any) with ``status``."""
        if kind not in (None, "read", "write", "drive"):
            raise ValueError(f"kind must be read, write, drive or None, not {kind!r}")
        with self._lock:
            self._faults.append(Fault(int(status), int(count), kind))

    def take_fault(self, kind: str) -> int | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.kind in (None, kind):
                    fault.remaining -= 1
                    status = fault.status
                    self._faults = [f for f in self._faults if f.remaining > 0]
                    return status
        return None

    def set_delay(self, seconds: float | Sequence[float]) -> None:
        self.delay = [float(s) for s in seconds] if isinstance(seconds, (list, tuple)) else float(seconds)

    def pause(self) -> float:
        """Seconds to sleep before this request: the delay, or a draw from its range."""
        if isinstance(self.delay, list):
            return random.uniform(*self.delay)
        return self.delay

    # -- time, limits, counters ----------------------------------------------------------------------------------

    def advance_clock(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def set_limits(self, **changes: Any) -> None:
        self.limits.update(changes)

    def record(self, entry: dict[str, Any]) -> None:
        self.log.append(entry)

    def reset(self, data: bool = True) -> None:
        """Forget counters, faults and the delay; with ``data`` also every spreadsheet."""
        self.quota.reset()
        self.log.clear()
        with self._lock:
            self._faults = []
        self.delay = 0.0
        if data:
            self.store.reset()

    def stats(self) -> dict[str, Any]:
        """Requests admitted and refused by kind, per user and minute, the peaks, pending faults, the delay."""
        stats = self.quota.stats()
        with self._lock:
            stats["pending_faults"] = [vars(f).copy() for f in self._faults]
        stats["delay"] = self.delay
        stats["spreadsheets"] = len(self.store.spreadsheets)
        return stats

    def apply(self, commands: dict[str, Any]) -> None:
        """Apply the JSON commands of ``POST /_control`` (see the module docstring)."""
        known = {"reset", "reset_counters", "limits", "advance_clock", "delay", "fail_next"}
        unknown = set(commands) - known
        if unknown:
            raise ValueError(f"unknown commands {sorted(unknown)}; known: {sorted(known)}")
        if commands.get("reset"):
            self.reset(data=True)
        if commands.get("reset_counters"):
            self.reset(data=False)
        if "limits" in commands:
            self.set_limits(**commands["limits"])
        if "advance_clock" in commands:
            self.advance_clock(float(commands["advance_clock"]))
        if "delay" in commands:
            self.set_delay(commands["delay"])
        if "fail_next" in commands:
            spec = commands["fail_next"]
            spec = {"count": spec} if isinstance(spec, int) else dict(spec)
            self.fail_next(int(spec.get("count", 1)), int(spec.get("status", 429)), spec.get("kind"))


class _CallableClock(Clock):
    """Wraps a plain ``() -> float`` so tests can pass any time source."""

    def __init__(self, source: Callable[[], float]) -> None:
        super().__init__()
        self._source = source

    def now(self) -> float:
        return self._source() + self._offset


blueprint = Blueprint("control", __name__)


def current() -> Control:
    return current_app.extensions["sheets_server"]


@blueprint.get("/_control")
def show() -> Response:
    return jsonify(current().stats())


@blueprint.post("/_control")
def change() -> tuple[Response, int] | Response:
    commands = request.get_json(silent=True)
    if not isinstance(commands, dict):
        return jsonify({"error": 'send a JSON object, e.g. {"fail_next": {"count": 1, "status": 503}}'}), 400
    try:
        current().apply(commands)
    except (TypeError, ValueError) as err:
        return jsonify({"error": str(err)}), 400
    return jsonify(current().stats())

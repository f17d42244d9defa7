"""Google's limits: per-minute request quotas per user and per project, cells per workbook, characters per cell.

The quota counts requests in fixed clock minutes (``floor(now / 60)``), which is how the Sheets API's per-minute
quotas refill; ``rolling_window`` makes it stricter: at most the limit in any 60 seconds. Either way the stats
report both peaks. A batch request is one request. The clock is injectable so tests can move time, not wait.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import CELL_LIMIT, CHAR_LIMIT, ApiError, rate_limited

KINDS = ("read", "write", "drive")


@dataclass
class Limits:
    read_per_minute_per_user: int = 60
    write_per_minute_per_user: int = 60
    read_per_minute_per_project: int = 300
    write_per_minute_per_project: int = 300
    max_cells: int = 10_000_000
    max_cell_chars: int = 50_000
    project_number: str = "123456789012"
    rolling_window: bool = False

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown limits {sorted(unknown)}; known: {sorted(names)}")
        for name, value in changes.items():
            setattr(self, name, value)


class Clock:
    """Wall-clock time plus an offset that tests advance; ``start`` pins a manual clock instead."""

    def __init__(self, start: float | None = None) -> None:
        self._start = start
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            base = self._start if self._start is not None else time.time()
            return base + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def minute(self) -> int:
        return int(self.now() // 60)


class Quota:
    """Counts admitted and refused requests per user, kind and minute; refuses what is over the limit."""

    def __init__(self, limits: Limits, clock: Clock) -> None:
        self.limits = limits
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._per_user: dict[tuple[int, str, str], int] = defaultdict(int)
            self._per_project: dict[tuple[int, str], int] = defaultdict(int)
            self._recent: dict[tuple[str, str], deque[float]] = defaultdict(deque)
            self.totals: dict[str, int] = dict.fromkeys(KINDS, 0)
            self.refused: dict[str, int] = dict.fromkeys(KINDS, 0)
            self.rolling_peak: dict[str, int] = dict.fromkeys(KINDS, 0)

    def admit(self, user: str, kind: str) -> None:
        """Count one request, or raise Google's 429 when the user's or the project's minute is used up."""
        now = self.clock.now()
        minute = int(now // 60)
        with self._lock:
            recent = self._recent[(user, kind)]
            while recent and recent[0] <= now - 60:
                recent.popleft()
            if kind in ("read", "write"):
                user_limit = getattr(self.limits, f"{kind}_per_minute_per_user")
                project_limit = getattr(self.limits, f"{kind}_per_minute_per_project")
                used = len(recent) if self.limits.rolling_window else self._per_user[(minute, user, kind)]
                if used >= user_limit:
                    self.refused[kind] += 1
                    raise rate_limited(kind, True, user_limit, self.limits.project_number)
                if self._per_project[(minute, kind)] >= project_limit:
                    self.refused[kind] += 1
                    raise rate_limited(kind, False, project_limit, self.limits.project_number)
            self._per_user[(minute, user, kind)] += 1
            self._per_project[(minute, kind)] += 1
            self.totals[kind] += 1
            recent.append(now)
            self.rolling_peak[kind] = max(self.rolling_peak[kind], len(recent))

    def stats(self) -> dict[str, Any]:
        with self._lock:
            per_minute = [
                {"minute": minute, "user": user, "kind": kind, "count": count}
                for (minute, user, kind), count in sorted(self._per_user.items())
            ]
            peak = dict.fromkeys(KINDS, 0)
            for (_minute, _user, kind), count in self._per_user.items():
                peak[kind] = max(peak[kind], count)
            project_peak = dict.fromkeys(KINDS, 0)
            for (_minute, kind), count in self._per_project.items():
                project_peak[kind] = max(project_peak[kind], count)
            return {
                "requests": dict(self.totals),
                "refused": dict(self.refused),
                "per_minute": per_minute,
                "max_per_minute_per_user": peak,
                "max_per_minute_per_project": project_peak,
                "max_in_any_60_seconds_per_user": dict(self.rolling_peak),
                "minute": self.clock.minute(),
                "limits": asdict(self.limits),
            }


def check_cells(current: int, added: int, limits: Limits, prefix: str = "") -> None:
    if added > 0 and current + added > limits.max_cells:
        raise ApiError(400, prefix + CELL_LIMIT.format(limit=limits.max_cells))


def check_chars(length: int, limits: Limits, prefix: str = "") -> None:
    if length > limits.max_cell_chars:
        raise ApiError(400, prefix + CHAR_LIMIT.format(limit=limits.max_cell_chars))

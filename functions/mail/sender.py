"""Sending email exactly once: the Terkirim sheet, retries with backoff, the provider's limits.

Each message has a key (period, kind, recipient NIP). A key already in Terkirim is skipped,
so a re-run, or a run after a crash halfway, sends each email once. A message the server
refuses is retried with capped, jittered backoff; what still fails is reported at the end and
left out of Terkirim, so the next run sends it. The provider's limits (``functions.mail.limits``)
are respected by stopping cleanly: each message goes through the sending account with the most
of its day left, at most ``minute_limit`` a minute each (waiting when every account is at it); an
account the server says has used up its day is not used again this run; the rest wait for the next
run (or the next day). A planned message (``compose.Planned``) is rendered only once it is due, so
neither a skipped nor a deferred message is rendered, and only one rendered message is held at a time.
"""

from __future__ import annotations

import logging
import random
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from functions import periods
from functions.mail import limits
from functions.mail.compose import KINDS, Outgoing, Planned
from functions.mail.transport import MailError, Transport, open_transports
from functions.rules.workdays import Calendar
from functions.settings import Settings
from functions.store import Store

log = logging.getLogger(__name__)
MINUTE = 60.0


@dataclass
class SendReport:
    planned: int = 0
    sent: int = 0
    already_sent: int = 0
    deferred: int = 0  # left for the next run by the daily limit
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, reason): sent again next run
    dry_run: bool = False
    by_account: dict[int, int] = field(default_factory=dict)  # account number -> emails it sent this run
    notes: list[str] = field(default_factory=list)  # for the operator: a week given up, reminders dropped

    def as_dict(self) -> dict[str, object]:
        return {
            "direncanakan": self.planned,
            "terkirim": self.sent,
            "sudah_terkirim": self.already_sent,
            "ditunda_batas_harian": self.deferred,
            "gagal": [k for k, _ in self.failed],
            "uji_coba": self.dry_run,
            "per_akun": {str(k): v for k, v in sorted(self.by_account.items())},
            "catatan": self.notes,
        }

    def summary(self, deferred: str = "menunggu hari berikutnya karena batas harian") -> str:
        verb = "akan dikirim (uji coba, tidak ada yang dikirim)" if self.dry_run else "terkirim"
        text = f"{self.sent} email {verb}, {self.already_sent} sudah terkirim sebelumnya"
        if self.deferred:
            text += f", {self.deferred} {deferred}"
        if self.failed:
            text += f", {len(self.failed)} gagal dan akan dikirim ulang pada proses berikutnya"
        return " ".join([text + ".", *self.notes])


@dataclass
class _Accounts:
    """The run's sending accounts: their transports, today's budget, the minute windows, those done for today."""

    transports: Mapping[int, Transport]
    budget: limits.Budget
    minute_limit: int
    clock: Callable[[], float]
    sleep: Callable[[float], None]
    done: set[int] = field(default_factory=set)
    recent: dict[int, deque[float]] = field(default_factory=dict)

    def pick(self, kind: str) -> int | None:
        """The account with the most of its day left for ``kind``, waiting first when all such are at their
        minute limit; None when none has any left."""
        while True:
            open_ = [a for a in self.transports if a not in self.done and self.budget.left(a, kind) > 0]
            if not open_:
                return None
            ready = [a for a in open_ if self._wait(a) == 0]
            if ready:
                return max(ready, key=lambda a: (self.budget.left(a, kind), -a))
            self.sleep(min(self._wait(a) for a in open_))

    def _wait(self, account: int) -> float:
        """Seconds until ``account`` may send again under the minute limit (0: now)."""
        if not self.minute_limit:
            return 0.0
        window = self.recent.setdefault(account, deque())
        now = self.clock()
        while window and now - window[0] >= MINUTE:
            window.popleft()
        return 0.0 if len(window) < self.minute_limit else MINUTE - (now - window[0])

    def spend(self, account: int, kind: str) -> None:
        self.budget.spend(account, kind)
        if self.minute_limit:
            self.recent.setdefault(account, deque()).append(self.clock())


def send(
    store: Store,
    transport: Transport | Mapping[int, Transport],
    outgoing: Sequence[Outgoing | Planned],
    now: Callable[[], datetime],
    daily_limit: int | limits.Budget,
    dry_run: bool = False,
    retries: int = 3,
    base_delay: float = 1.0,
    max_delay: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
    minute_limit: int = 0,
    clock: Callable[[], float] = time.monotonic,
) -> SendReport:
    """Send what is not in Terkirim yet, within the limits. ``transport``: one (account 1) or one per account by
    number; ``daily_limit``: per account, nothing kept for reminders, or the budget of ``limits.today_budget``."""
    report = SendReport(planned=len(outgoing), dry_run=dry_run)
    labels = sorted({o.periode for o in outgoing})
    done = {r["id"] for p in labels for r in store.records("Terkirim", where={"periode": p}, start=_first_day(p))}
    if isinstance(daily_limit, int):
        today = now().date()
        daily_limit = limits.budget(store.records("Terkirim", start=today, end=today), daily_limit, 0)
    transports = transport if isinstance(transport, Mapping) else {1: transport}
    accounts = _Accounts(transports, daily_limit, 0 if dry_run else minute_limit, clock, sleep)  # a trial never waits
    for item in outgoing:
        if item.key in done:
            report.already_sent += 1
            continue
        account = accounts.pick(item.kind)
        if account is None:
            report.deferred += 1
            continue
        ready = item.render() if isinstance(item, Planned) else item
        error = None if dry_run else _deliver(transports[account], ready, retries, base_delay, max_delay, sleep)
        while error is not None and error.quota:
            log.warning("mail account %d has used its day (the server says so); key=%s waits", account, item.key)
            accounts.done.add(account)
            account = accounts.pick(item.kind)
            if account is None:
                break
            error = _deliver(transports[account], ready, retries, base_delay, max_delay, sleep)
        if account is None:
            report.deferred += 1
            continue
        if error is not None:
            report.failed.append((item.key, str(error)))
            continue
        accounts.spend(account, item.kind)
        report.sent += 1
        report.by_account[account] = report.by_account.get(account, 0) + 1
        if dry_run:
            continue
        store.append(
            "Terkirim",
            [
                {
                    "id": item.key,
                    "periode": item.periode,
                    "jenis": KINDS[item.kind],
                    "nip": item.nip,
                    "message_id": str(ready.message["Message-ID"]),
                    "dikirim_pada": now(),
                    "akun": account,
                }
            ],
        )
        done.add(item.key)
    log.info("mail run: %s", report.as_dict())
    return report


def send_through_settings(
    store: Store,
    settings: Settings,
    outgoing: Sequence[Outgoing | Planned],
    now: Callable[[], datetime],
    dry_run: bool = False,
    weekly_waiting: bool = False,
) -> SendReport:
    """``send`` through the settings' accounts and limits, their transports opened for these messages and closed
    after them; ``weekly_waiting``: the week's mail is not all sent (reminders get only their share)."""
    calendar = Calendar.from_store(store, settings.tz)
    budget = limits.today_budget(store, settings, now(), calendar.is_workday, weekly_waiting)
    transports = open_transports(settings)
    try:
        return send(store, transports, outgoing, now, budget, dry_run=dry_run, minute_limit=settings.mail_minute_limit)
    finally:
        for transport in {id(t): t for t in transports.values()}.values():
            close = getattr(transport, "close", None)
            if close is not None:
                close()


def _first_day(label: str) -> date:
    """The first day of a period (a week, or a day for reminders): no email of it is sent before, so Terkirim is
    read from there on (on Google Sheets: only the months since, not every month of Terkirim)."""
    try:
        return date.fromisoformat(label)
    except ValueError:
        return periods.parse(label).start


def _deliver(
    transport: Transport, item: Outgoing, retries: int, base: float, cap: float, sleep: Callable[[float], None]
) -> MailError | None:
    """Send one message; None on success, else the error (no address in it). A quota answer is not retried."""
    for attempt in range(retries + 1):
        try:
            transport.send(item.message)
            return None
        except MailError as err:
            if err.quota:
                return err
            if not err.transient or attempt == retries:
                log.warning("mail not sent: key=%s transient=%s", item.key, err.transient)
                return err
            delay = min(cap, base * 2**attempt) * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not security)
            sleep(delay)
    return MailError("tidak terkirim", transient=True)

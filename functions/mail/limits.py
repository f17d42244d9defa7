"""The mail provider's limits, as rules in one place: each sending account's day, the share of it kept for the
daily reminders, the hour after which a reminder is dropped, and the days a week's mail may take.

- Each sending account (``Settings.mail_accounts``) sends at most ``KINERJA_MAIL_DAILY_LIMIT`` emails a calendar
  day in the city's time zone, counted from **Terkirim** (its ``akun`` column; distinct ids, so a re-run or a second
  instance counts nothing twice). The provider counts too (Google Workspace: 2,000 a user a day, its SMTP relay
  10,000, over a rolling 24 hours; DOMAIN.md section 10): when it answers that an account's day is used up
  (``MailError.quota``), that account sends nothing more this run and the message waits for the next day.
- On a working day, until the reminders are dropped, ``KINERJA_MAIL_REMINDER_SHARE`` percent of each account's day is
  kept for the reminders (due before e-Kinerja's daily deadline, ``functions.rules.ekinerja_deadline``: by default
  from 15:59): the weekly emails and the link emails never use it. While the week's mail is still waiting, the
  reminders use only that share, so they never delay a digest or a summary, whenever they run; once it is all sent
  they may use the rest of the day. A reminder not sent by 18:00, or by e-Kinerja's deadline when that is earlier,
  is dropped: it would reach the person after the working day, or too late to protect the allowance.
- The weekly emails of a week go out from the Monday after it, every day, digests of supervisors and unit heads
  first, until all are sent; what is still unsent after seven days (:data:`WEEK_DAYS`) is given up, never mixed
  into the next week's mail.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from functions import periods
from functions.rules import ekinerja_deadline
from functions.settings import Settings
from functions.store import Row, Store

REMINDER_DEADLINE = ekinerja_deadline.WORKDAY_END  # the latest drop; e-Kinerja's deadline may make it earlier
WEEK_DAYS = 7
REMINDER_JENIS = "Pengingat Harian"  # Terkirim.jenis of the kind "pengingat"


def reserve(settings: Settings) -> int:
    """Emails of each account's working day kept for the reminders until 18:00."""
    return settings.mail_daily_limit * settings.mail_reminder_share // 100


def reminders_open(now: datetime, is_workday: Callable[[date], bool], until: time = REMINDER_DEADLINE) -> bool:
    """Reminders may still go: a working day, before ``until`` (18:00, or e-Kinerja's deadline when earlier; ``now``
    in the city's time zone)."""
    return is_workday(now.date()) and now.time() < until


@dataclass
class Budget:
    """What each account may still send today: ``limit`` less what it sent, less the reminders' share still kept."""

    limit: int
    kept: int  # of each account's day for reminders still to come (0 on a day off and from 18:00)
    sent: Counter[int] = field(default_factory=Counter)
    reminders: Counter[int] = field(default_factory=Counter)
    weekly_waiting: bool = False  # the week's mail is not all sent: reminders get their share only

    def left(self, account: int, kind: str) -> int:
        share_left = max(0, self.kept - self.reminders[account])
        free = self.limit - self.sent[account]
        if kind != "pengingat":
            return max(0, free - share_left)
        return max(0, min(free, share_left) if self.weekly_waiting else free)

    def spend(self, account: int, kind: str) -> None:
        self.sent[account] += 1
        if kind == "pengingat":
            self.reminders[account] += 1


def budget(rows_today: Iterable[Row], limit: int, kept: int) -> Budget:
    """The budget from today's Terkirim rows; a row without ``akun`` (from before accounts) counts for account 1."""
    found = Budget(limit=limit, kept=kept)
    seen: set[str] = set()
    for row in rows_today:
        if row["id"] in seen:
            continue
        seen.add(row["id"])
        account = int(row.get("akun") or 1)
        found.sent[account] += 1
        if row.get("jenis") == REMINDER_JENIS:
            found.reminders[account] += 1
    return found


def today_budget(
    store: Store, settings: Settings, now: datetime, is_workday: Callable[[date], bool], weekly_waiting: bool = False
) -> Budget:
    until = ekinerja_deadline.from_store(store).dropped
    kept = reserve(settings) if reminders_open(now, is_workday, until) else 0
    today = now.date()
    found = budget(store.records("Terkirim", start=today, end=today), settings.mail_daily_limit, kept)
    found.weekly_waiting = weekly_waiting
    return found


# -- the week's window -----------------------------------------------------------------------------


def first_day(week: periods.Period) -> date:
    """The day a week's mail starts: the Monday after it."""
    return week.end + timedelta(days=1)


def is_given_up(week: periods.Period, today: date) -> bool:
    """The week's seven days of sending are over: what is unsent is given up."""
    return today >= first_day(week) + timedelta(days=WEEK_DAYS)


# -- the plan ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    emails: int
    days: list[int]  # weekly emails that can go on each day from the Monday after the week, day 1 first
    needed: int | None  # days until every email is sent; None: not within WEEK_DAYS

    @property
    def in_week(self) -> int:
        return sum(self.days[:WEEK_DAYS])

    @property
    def given_up(self) -> int:
        return max(0, self.emails - self.in_week)

    @property
    def days_without_limit(self) -> int:
        """Days needed if nothing were given up (days past the seventh repeat its weekday pattern)."""
        total, day = 0, 0
        while total < self.emails:
            total += self.days[day % WEEK_DAYS]
            day += 1
        return day


def capacity(emails: int, settings: Settings, monday: date, is_workday: Callable[[date], bool]) -> Capacity:
    """How many weekly emails can go on each of the seven days from ``monday``: every account's limit, less the
    reminders' share on working days (the weekly run is at 06:00, before the reminders)."""
    accounts = len(settings.mail_accounts)
    per_day = [
        accounts * (settings.mail_daily_limit - (reserve(settings) if is_workday(monday + timedelta(days=n)) else 0))
        for n in range(WEEK_DAYS)
    ]
    total, needed = 0, None
    for n, amount in enumerate(per_day, start=1):
        total += amount
        if total >= emails:
            needed = n
            break
    return Capacity(emails=emails, days=per_day, needed=0 if emails == 0 else needed)


def minutes_per_day(settings: Settings) -> int:
    """Minutes one day's sending takes at ``KINERJA_MAIL_MINUTE_LIMIT`` (0: no minute limit)."""
    if not settings.mail_minute_limit:
        return 0
    return math.ceil(settings.mail_daily_limit / settings.mail_minute_limit)

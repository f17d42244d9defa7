"""e-Kinerja BKN's daily deadline for Progres Harian, and the daily reminder's hours that follow it.

The rule, in this one place (README "e-Kinerja BKN"; the deadline is not published in a stable place, so it is the
Konfigurasi value ``ekinerja_batas_harian``, default 23:59 of the same day):

- A day's Progres Harian is due on that day at the deadline (``HH:MM`` in the city's time zone, up to its last
  second: 23:59 means until 23:59:59). After it an entry is late (*lewat batas*).
- The reminder is due ``pengingat_menit_sebelum_batas`` minutes before the deadline (default 480: 15:59 for 23:59),
  but not later than :data:`LATEST_DUE` (17:00), so that it reaches people at work with time to act.
- A reminder not sent by the deadline or by 18:00 (:data:`WORKDAY_END`), whichever comes first, is dropped: after the
  deadline it can no longer protect the allowance, and after 18:00 it reaches the person at home. e-Kinerja's
  default deadline (23:59) is later than 18:00; the reminders still go within the working day, and the page
  "Salin ke e-Kinerja" shows the time left until the deadline itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from functions.rules import config
from functions.store import Store

WORKDAY_END = time(18, 0)  # reminders are dropped from here at the latest
LATEST_DUE = time(17, 0)  # a reminder is due at the latest here


def deadline(day: date, at: time, tz: tzinfo) -> datetime:
    """The last moment of ``day``'s Progres Harian: ``at`` of that day, up to its last second."""
    return datetime.combine(day, at, tz) + timedelta(seconds=59 - at.second)


def time_left(now: datetime, due: datetime) -> str:
    """How far ``now`` is from ``due`` in words: '3 jam 20 menit lagi', '45 menit lagi', 'lewat batas'.

    Whole minutes, rounded down; under a minute left: 'kurang dari 1 menit lagi'.
    """
    if now > due:
        return "lewat batas"
    minutes = int((due - now).total_seconds()) // 60
    if minutes == 0:
        return "kurang dari 1 menit lagi"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "hari"), (hours, "jam"), (mins, "menit")) if n]
    return " ".join(parts) + " lagi"


@dataclass(frozen=True)
class ReminderHours:
    """A working day's reminder: due from ``due``, dropped from ``dropped``; ``deadline`` is e-Kinerja's."""

    deadline: time
    due: time
    dropped: time

    def open(self, moment: time) -> bool:
        return self.due <= moment < self.dropped


def reminder_hours(at: time, minutes_before: int) -> ReminderHours:
    """The reminder's hours for an e-Kinerja deadline ``at`` (see the module's rule)."""
    dropped = min(at, WORKDAY_END)
    start = datetime.combine(date.min, time(0, 0))
    due_minutes = max(0, at.hour * 60 + at.minute - minutes_before)
    due = min((start + timedelta(minutes=due_minutes)).time(), LATEST_DUE)
    if due >= dropped:  # a deadline at or before the due time: remind from midnight until the deadline
        due = time(0, 0)
    return ReminderHours(deadline=at, due=due, dropped=dropped)


def deadline_time(store: Store) -> time:
    value: time = config.get(store, "ekinerja_batas_harian")
    return value


def from_store(store: Store) -> ReminderHours:
    return reminder_hours(deadline_time(store), config.get(store, "pengingat_menit_sebelum_batas"))

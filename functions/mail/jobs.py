"""The mail jobs: the weekly emails and the daily reminder, for HTTP functions, CLI and scheduler.

The weekly job runs every day: it sends what is left of the last complete week's mail within the day's limits
(``functions.mail.limits``), and on the first day of a week's mail it reports what the week before left unsent
(given up after its seven days). The reminder job sends within the reminder's hours of the day, which follow
e-Kinerja's daily deadline (``functions.rules.ekinerja_deadline``: by default from 15:59, nothing from 18:00).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime

from functions import periods
from functions.errors import ValidationError
from functions.mail import compose, limits, sender
from functions.rendering import format_number
from functions.rules import ekinerja_deadline
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.store import scheduled_job

log = logging.getLogger(__name__)


def weekly(runtime: Runtime, now: datetime, week_label: str | None = None, dry_run: bool = False) -> sender.SendReport:
    """Send the weekly emails of a week (default: the last complete one) not sent yet, each once."""
    week = _week(week_label, now.date()) if week_label else periods.last_complete_week(now.date())
    with scheduled_job(runtime.store):
        outgoing = compose.plan_weekly(runtime.store, runtime.settings, week.label, now)
        report = _send(runtime, outgoing, dry_run)
        if week_label is None and now.date() == limits.first_day(week):
            report.notes += given_up_note(runtime, week.previous(), now)
        return report


def progress(runtime: Runtime, week: periods.Period, now: datetime) -> tuple[int, Counter[str]]:
    """The week's emails sent, and those not sent by Terkirim.jenis (as the week's plan stands today)."""
    store = runtime.store
    planned = compose.plan_weekly(store, runtime.settings, week.label, now)
    sent = {r["id"] for r in store.records("Terkirim", where={"periode": week.label}, start=limits.first_day(week))}
    return len(sent), Counter(compose.KINDS[p.kind] for p in planned if p.key not in sent)


def given_up_note(runtime: Runtime, week: periods.Period, now: datetime) -> list[str]:
    """What the week's mail left unsent after its seven days, for the operator; logged without addresses. Nothing
    for a week of which nothing was sent (the programme had not started)."""
    sent, left = progress(runtime, week, now)
    if not sent or not left:
        return []
    log.warning("weekly mail given up after %d days: week=%s unsent=%s", limits.WEEK_DAYS, week.label, dict(left))
    return [
        f"Email {periods.text(week)} yang belum terkirim setelah {limits.WEEK_DAYS} hari "
        f"dibatalkan: {kinds_text(left)}. Lihat python -m functions send --rencana untuk menambah kapasitas."
    ]


def kinds_text(counts: Counter[str]) -> str:
    """'12 email (4 Ringkasan Atasan, 8 Ringkasan Pegawai)'."""
    parts = ", ".join(f"{format_number(v)} {kind}" for kind, v in sorted(counts.items()))
    return f"{format_number(sum(counts.values()))} email ({parts})"


def reminders(runtime: Runtime, now: datetime, dry_run: bool = False) -> sender.SendReport:
    """Remind staff whose day is not ready for e-Kinerja (nothing reported, or activities without evidence or RHK):
    only on a working day, within the reminder's hours (before them nothing yet; after them dropped)."""
    with scheduled_job(runtime.store):
        calendar = Calendar.from_store(runtime.store, runtime.settings.tz)
        if not calendar.is_workday(now.date()):
            return sender.SendReport(dry_run=dry_run)
        hours = ekinerja_deadline.from_store(runtime.store)
        if now.time() < hours.due:
            note = f"Pengingat hari ini dikirim mulai pukul {hours.due:%H.%M}, sebelum batas e-Kinerja."
            return sender.SendReport(dry_run=dry_run, notes=[note])
        if not limits.reminders_open(now, calendar.is_workday, hours.dropped):
            note = f"Sudah lewat pukul {hours.dropped:%H.%M}: pengingat hari ini tidak dikirim lagi."
            return sender.SendReport(dry_run=dry_run, notes=[note])
        outgoing = compose.plan_reminders(runtime.store, runtime.settings, now.date(), now)
        if not outgoing:
            return sender.SendReport(dry_run=dry_run)
        _, waiting = progress(runtime, periods.last_complete_week(now.date()), now)
        store, settings = runtime.store, runtime.settings
        return sender.send_through_settings(
            store, settings, outgoing, runtime.now, dry_run=dry_run, weekly_waiting=bool(waiting)
        )


REMINDERS_DEFERRED = (
    f"tidak terkirim karena batas harian (pengingat yang belum terkirim pukul {limits.REMINDER_DEADLINE:%H.%M}, "
    "atau sebelumnya pada batas e-Kinerja, dibatalkan)"
)


def _week(label: str, today: date) -> periods.Period:
    """A complete ISO week; ValidationError naming ``periode`` otherwise.

    A month would go out under weekly subjects, and the emails of a week not over yet would be
    recorded in Terkirim, and so skipped by the run after the week ends.
    """
    latest = periods.last_complete_week(today).label
    try:
        week: periods.Period | None = periods.parse(label)
    except ValidationError:
        week = None
    if week is None or week.kind != "Minggu":
        raise ValidationError(
            {"periode": f"Periode: email dikirim per minggu; tulis minggu seperti {latest}, bukan {label!r}."}
        )
    if week.end >= today:
        raise ValidationError(
            {"periode": f"Periode: minggu {week.label} belum selesai; minggu terakhir yang bisa dikirim {latest}."}
        )
    if limits.is_given_up(week, today):
        raise ValidationError(
            {
                "periode": f"Periode: email minggu {week.label} sudah lewat {limits.WEEK_DAYS} hari pengiriman dan "
                f"dibatalkan; minggu yang masih dikirim {latest}."
            }
        )
    return week


def _send(runtime: Runtime, outgoing: list[compose.Planned], dry_run: bool) -> sender.SendReport:
    return sender.send_through_settings(runtime.store, runtime.settings, outgoing, runtime.now, dry_run=dry_run)

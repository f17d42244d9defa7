"""The mail jobs: the weekly emails and the daily reminder, for HTTP functions, CLI and scheduler."""

from __future__ import annotations

from datetime import date, datetime

from functions import periods
from functions.errors import ValidationError
from functions.mail import compose, sender
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.store import scheduled_job


def weekly(runtime: Runtime, now: datetime, week_label: str | None = None, dry_run: bool = False) -> sender.SendReport:
    """Send the weekly emails of a week (default: the last complete one), each once."""
    week = _week(week_label, now.date()) if week_label else periods.last_complete_week(now.date())
    with scheduled_job(runtime.store):
        outgoing = compose.plan_weekly(runtime.store, runtime.settings, week.label, now)
        return _send(runtime, outgoing, dry_run)


def reminders(runtime: Runtime, now: datetime, dry_run: bool = False) -> sender.SendReport:
    """Remind staff who have not reported today; nothing on a day off."""
    with scheduled_job(runtime.store):
        if not Calendar.from_store(runtime.store, runtime.settings.tz).is_workday(now.date()):
            return sender.SendReport(dry_run=dry_run)
        outgoing = compose.plan_reminders(runtime.store, runtime.settings, now.date(), now)
        return _send(runtime, outgoing, dry_run)


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
    return week


def _send(runtime: Runtime, outgoing: list[compose.Planned], dry_run: bool) -> sender.SendReport:
    return sender.send_through_settings(runtime.store, runtime.settings, outgoing, runtime.now, dry_run=dry_run)

"""The mail jobs: the weekly emails and the daily reminder, for HTTP functions, CLI and scheduler."""

from __future__ import annotations

from datetime import datetime

from functions import periods
from functions.mail import compose, sender
from functions.mail.transport import open_transport
from functions.runtime import Runtime
from functions.workdays import Calendar


def weekly(runtime: Runtime, now: datetime, week_label: str | None = None, dry_run: bool = False) -> sender.SendReport:
    """Send the weekly emails of a week (default: the last complete one), each once."""
    week = periods.parse(week_label) if week_label else periods.last_complete_week(now.date())
    outgoing = compose.weekly(runtime.store, runtime.settings, week.label, now)
    return _send(runtime, outgoing, dry_run)


def reminders(runtime: Runtime, now: datetime, dry_run: bool = False) -> sender.SendReport:
    """Remind staff who have not reported today; nothing on a day off."""
    if not Calendar.from_store(runtime.store, runtime.settings.tz).is_workday(now.date()):
        return sender.SendReport(dry_run=dry_run)
    outgoing = compose.reminders(runtime.store, runtime.settings, now.date(), now)
    return _send(runtime, outgoing, dry_run)


def _send(runtime: Runtime, outgoing: list[compose.Outgoing], dry_run: bool) -> sender.SendReport:
    transport = open_transport(runtime.settings)
    try:
        return sender.send(
            runtime.store, transport, outgoing, runtime.now, runtime.settings.mail_daily_limit, dry_run=dry_run
        )
    finally:
        close = getattr(transport, "close", None)
        if close is not None:
            close()

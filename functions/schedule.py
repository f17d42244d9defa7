"""The one schedule of the scheduled jobs, in Asia/Jakarta.

Used by the local server's scheduler (APScheduler, inside ``make run``) and by the deploy,
which creates one Cloud Scheduler job per entry calling the HTTP function of the same name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

    from functions.runtime import Runtime

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Jakarta"


@dataclass(frozen=True)
class Job:
    name: str  # the Cloud Scheduler job's name
    function: str  # the HTTP function it calls (main.py)
    cron: str  # minute hour day-of-month month day-of-week, in TIMEZONE
    description: str


JOBS: tuple[Job, ...] = (
    Job("skor-mingguan", "compute_scores", "0 5 * * 1", "Senin 05.00: skor minggu lalu, peringatan, saran pelatihan."),
    Job("email-mingguan", "send_weekly_reports", "0 6 * * 1", "Senin 06.00: email ringkasan minggu lalu."),
    Job(
        "pengingat-harian",
        "send_reminders",
        "0 16 * * 1-5",
        "Hari kerja 16.00: pengingat kepada pegawai yang belum melapor hari ini.",
    ),
)


def _run_local(runtime: Runtime, function: str) -> None:
    """Run one job in this process, the way its HTTP function would."""
    try:
        if function == "compute_scores":
            from functions.scoring import job

            job.run(runtime.store, runtime.now())
        elif function == "send_weekly_reports":
            from functions.mail import jobs

            jobs.weekly(runtime, runtime.now())
        elif function == "send_reminders":
            from functions.mail import jobs

            jobs.reminders(runtime, runtime.now())
        else:
            raise ValueError(f"unknown scheduled function {function!r}")
    except Exception:
        log.exception("scheduled job failed: %s", function)


def start_local(runtime: Runtime, start: bool = True) -> BackgroundScheduler:
    """A background scheduler running every job of ``JOBS`` in this process."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    scheduler = BackgroundScheduler(timezone=TIMEZONE)
    for item in JOBS:
        scheduler.add_job(
            _make(runtime, item.function),
            CronTrigger.from_crontab(item.cron, timezone=TIMEZONE),
            id=item.name,
            name=item.description,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    if start:
        scheduler.start()
    return scheduler


def _make(runtime: Runtime, function: str) -> Callable[[], None]:
    return lambda: _run_local(runtime, function)

"""The one schedule of the scheduled jobs, in Asia/Jakarta.

Used by the local server's scheduler (APScheduler, inside ``make run``) and by the deploy,
which creates one Cloud Scheduler job per entry calling the HTTP function of the same name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    from functions.runtime import Runtime

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Jakarta"
CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")  # crontab's day-of-week numbers, 0-7


@dataclass(frozen=True)
class Job:
    name: str  # the Cloud Scheduler job's name
    function: str  # the HTTP function it calls (main.py)
    cron: str  # minute hour day-of-month month day-of-week, in TIMEZONE
    description: str


JOBS: tuple[Job, ...] = (
    Job(
        "antrean-kiriman",
        "flush_spool",
        "* * * * *",
        "Tiap menit: kiriman yang menunggu di antrean disimpan ke Google Sheets secara berkelompok.",
    ),
    Job(
        "salinan-baca",
        "refresh_read_model",
        "* * * * *",
        "Tiap menit: salinan baca halaman (Firestore) diperbarui dari Google Sheets.",
    ),
    Job("skor-mingguan", "compute_scores", "0 5 * * 1", "Senin 05.00: skor minggu lalu, peringatan, saran pelatihan."),
    Job(
        "email-mingguan",
        "send_weekly_reports",
        "0 6 * * *",
        "Tiap hari 06.00: email ringkasan minggu lalu (Senin, lalu sisanya dalam batas harian sampai Minggu).",
    ),
    Job(
        "pengingat-harian",
        "send_reminders",
        "*/15 * * * 1-5",
        "Hari kerja tiap 15 menit: pengingat dikirim sekali sebelum batas e-Kinerja (bawaan mulai 15.59, jadi 16.00) "
        "kepada pegawai yang laporan hari ini belum ada atau belum lengkap; lewat 18.00 tidak dikirim lagi.",
    ),
)


def _run_local(runtime: Runtime, function: str) -> None:
    """Run one job in this process, the way its HTTP function would."""
    try:
        if function == "compute_scores":
            from functions.scoring import job

            job.run(runtime.store, runtime.now())
        elif function == "flush_spool":
            from functions.store.flush import Policy
            from functions.store.spooled_store import run_flush

            run_flush(runtime.store, Policy.from_settings(runtime.settings))
        elif function == "refresh_read_model":
            from functions.readmodel.store import run_refresh

            run_refresh(runtime.store, runtime.today())
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


def trigger(cron: str) -> CronTrigger:
    """APScheduler's trigger for a crontab line in TIMEZONE, with the days Cloud Scheduler means.

    APScheduler 3 counts day-of-week numbers from Monday (``CronTrigger.from_crontab("0 5 * * 1")``
    fires on Tuesdays); crontab counts from Sunday. The numbers are turned into day names first.
    """
    from apscheduler.triggers.cron import CronTrigger

    minute, hour, day, month, weekday = cron.split()
    weekday = re.sub(r"(?<![/\d])\d+", lambda m: CRON_DAYS[int(m.group())], weekday)
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=TIMEZONE)


def start_local(runtime: Runtime, start: bool = True) -> BackgroundScheduler:
    """A background scheduler running every job of ``JOBS`` in this process."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone=TIMEZONE)
    for item in JOBS:
        scheduler.add_job(
            _make(runtime, item.function),
            trigger(item.cron),
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

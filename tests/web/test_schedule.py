"""The one schedule (functions/web/schedule.py): valid crons in Asia/Jakarta, the local scheduler, its jobs.

Fire times are computed from fixed moments with APScheduler's own triggers. The jobs run in
this process on the small town of ``test_scoring_job`` (weeks 2026-W09 and W10 filled in) with a
clock fixed on Monday 9 March 2026, 07:00 WIB.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger

import main
from functions.mail.transport import KEY_HEADER, list_messages, read_message
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web import schedule
from functions.web.app import FUNCTIONS
from tests.scoring.test_job import AFTER_W10, build_town, fill_w09, fill_w10

THURSDAY = datetime(2026, 11, 26, 12, 0, tzinfo=WIB)
NEXT_MONDAY = datetime(2026, 11, 30, tzinfo=WIB)


@dataclass(frozen=True)
class Clocked(Runtime):
    at: datetime = AFTER_W10

    def now(self) -> datetime:
        return self.at


def trigger(function: str) -> CronTrigger:
    return schedule.trigger(next(j for j in schedule.JOBS if j.function == function).cron)


def fire_times(function: str, after: datetime, count: int) -> list[datetime]:
    cron, times, previous = trigger(function), [], None
    moment = after
    for _ in range(count):
        fire = cron.get_next_fire_time(previous, moment)
        assert fire is not None
        times.append(fire)
        previous, moment = fire, fire + timedelta(seconds=1)
    return times


@pytest.mark.parametrize("job", schedule.JOBS, ids=lambda j: j.name)
def test_every_job_has_a_valid_cron_in_jakarta_time_and_an_http_function(job: schedule.Job) -> None:
    cron = CronTrigger.from_crontab(job.cron, timezone=schedule.TIMEZONE)
    assert str(cron.timezone) == "Asia/Jakarta"
    assert callable(getattr(main, job.function, None)), f"main.py has no function {job.function}"
    assert job.function in FUNCTIONS  # the local server serves it too
    assert job.description and job.name.islower() and " " not in job.name


@pytest.mark.parametrize(
    ("weekday", "days"),
    [("1", [0]), ("1-5", [0, 1, 2, 3, 4]), ("0", [6]), ("7", [6]), ("6,0", [5, 6]), ("*", [0, 1, 2, 3, 4, 5, 6])],
)
def test_day_of_week_numbers_mean_what_they_mean_in_crontab(weekday: str, days: list[int]) -> None:
    # APScheduler 3's own from_crontab counts from Monday: "1" would be Tuesday.
    cron, previous, moment, seen = schedule.trigger(f"0 5 * * {weekday}"), None, NEXT_MONDAY, set()
    for _ in range(14):
        fire = cron.get_next_fire_time(previous, moment)
        assert fire is not None
        seen.add(fire.weekday())
        previous, moment = fire, fire + timedelta(seconds=1)
    assert sorted(seen) == days


def test_job_names_and_functions_are_unique() -> None:
    assert len({j.name for j in schedule.JOBS}) == len({j.function for j in schedule.JOBS}) == len(schedule.JOBS)


def test_on_monday_the_scores_are_computed_before_the_emails_go_out() -> None:
    scores = fire_times("compute_scores", THURSDAY, 3)
    mondays = [t for t in fire_times("send_weekly_reports", THURSDAY, 3 * 7) if t.weekday() == 0]
    for score, mail in zip(scores, mondays, strict=True):
        assert score.weekday() == 0 and score.date() == mail.date()
        assert score < mail
    assert scores[0] == NEXT_MONDAY.replace(hour=5)
    assert mondays[0] == NEXT_MONDAY.replace(hour=6)


def test_the_weekly_emails_go_on_every_day_at_six_within_the_daily_limit() -> None:
    times = fire_times("send_weekly_reports", NEXT_MONDAY, 8)
    assert [t.date() for t in times] == [(NEXT_MONDAY + timedelta(days=n)).date() for n in range(8)]
    assert {(t.hour, t.minute) for t in times} == {(6, 0)}


def test_the_reminder_runs_every_quarter_hour_on_working_days_only() -> None:
    """The job decides from Konfigurasi (e-Kinerja's deadline) when the day's reminders are due; it runs every 15
    minutes of a working day, 96 a day, so that the default due time 15:59 is met at 16:00."""
    times = fire_times("send_reminders", NEXT_MONDAY, 96 * 5 + 1)
    assert [t.weekday() for t in times[::96]] == [0, 1, 2, 3, 4, 0]
    assert times[0] == NEXT_MONDAY and times[95] == NEXT_MONDAY.replace(hour=23, minute=45)
    assert NEXT_MONDAY.replace(hour=16) in times
    assert times[-1].date() == (NEXT_MONDAY + timedelta(days=7)).date()


def test_start_local_registers_every_job_with_its_trigger_in_jakarta_time(runtime: Runtime) -> None:
    scheduler = schedule.start_local(runtime, start=False)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {j.name for j in schedule.JOBS}
    assert not scheduler.running
    for item in schedule.JOBS:
        job = jobs[item.name]
        assert job.name == item.description
        assert str(job.trigger.timezone) == "Asia/Jakarta"
        fire = job.trigger.get_next_fire_time(None, THURSDAY)
        assert fire == trigger(item.function).get_next_fire_time(None, THURSDAY)
    assert jobs["skor-mingguan"].trigger.get_next_fire_time(None, THURSDAY) == NEXT_MONDAY.replace(hour=5)


def test_a_started_scheduler_knows_each_next_run_in_jakarta_time(runtime: Runtime) -> None:
    scheduler = schedule.start_local(runtime, start=False)
    scheduler.start(paused=True)  # computes the next run times, runs nothing
    try:
        now = datetime.now(WIB)
        for job in scheduler.get_jobs():
            fire = job.next_run_time
            assert str(fire.tzinfo) == "Asia/Jakarta" and now < fire <= now + timedelta(days=7)
            assert fire == trigger(next(j.function for j in schedule.JOBS if j.name == job.id)).get_next_fire_time(
                None, now
            )
        assert scheduler.get_job("skor-mingguan").next_run_time.strftime("%a %H:%M") == "Mon 05:00"
    finally:
        scheduler.shutdown(wait=False)


# -- running the jobs in this process --------------------------------------------------------------


@pytest.fixture
def town(settings: Settings, store: SQLiteStore) -> Clocked:
    build_town(store)
    fill_w09(store)
    fill_w10(store)
    return Clocked(settings=settings, store=store)


def test_the_local_jobs_score_the_week_then_write_its_emails_to_the_outbox(town: Clocked) -> None:
    outbox: Path = town.settings.outbox_dir
    schedule._run_local(town, "compute_scores")
    scored = town.store.records("Skor", where={"periode": "2026-W10"})
    assert len(scored) == town.store.count("Pegawai")

    schedule._run_local(town, "send_weekly_reports")
    names = [entry.name for entry in list_messages(outbox)]
    keys = sorted(str(read_message(outbox, name)[KEY_HEADER]) for name in names)
    assert keys and {k.split(":")[0] for k in keys} == {"2026-W10"}
    assert keys == sorted(r["id"] for r in town.store.records("Terkirim"))
    assert {k.split(":")[1] for k in keys} == {"atasan", "kepala_unit", "pegawai"}

    schedule._run_local(town, "send_weekly_reports")  # a second call sends nothing more
    assert len(list_messages(outbox)) == len(names)


def test_the_local_reminder_job_writes_reminders_on_a_working_day_only(town: Clocked) -> None:
    from dataclasses import replace

    schedule._run_local(replace(town, at=datetime(2026, 3, 10, 16, 0, tzinfo=WIB)), "send_reminders")  # Tuesday
    reminded = list_messages(town.settings.outbox_dir)
    assert reminded and {m.kind for m in reminded} == {"pengingat"}
    schedule._run_local(replace(town, at=datetime(2026, 3, 19, 16, 0, tzinfo=WIB)), "send_reminders")  # Nyepi
    assert len(list_messages(town.settings.outbox_dir)) == len(reminded)


def test_a_failing_job_is_logged_and_does_not_stop_the_scheduler(
    town: Clocked, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="functions.web.schedule"):
        schedule._run_local(town, "no_such_function")
    assert "scheduled job failed: no_such_function" in caplog.text

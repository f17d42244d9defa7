"""The scheduled endpoints over HTTP: only the scheduler's credential runs a job, locally too; periods in range."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from functions import periods
from functions.runtime import Runtime
from functions.web.app import create_app
from tests.support.scheduler import Scheduler

FUNCTIONS = {
    "compute_scores": "score",
    "send_weekly_reports": "send",
    "send_reminders": "remind",
    "flush_spool": "flush",
    "refresh_read_model": "refresh",
}
WRITTEN = ("Skor", "SkorUnit", "Peringatan", "SaranPelatihan", "Terkirim")


def written(runtime: Runtime) -> dict[str, int]:
    return {sheet: runtime.store.count(sheet) for sheet in WRITTEN}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_local_call_without_the_credential_is_403_naming_the_command_and_runs_nothing(
    runtime: Runtime, city: dict[str, Any], function: str, method: str
) -> None:
    before = written(runtime)
    answer = create_app(runtime).test_client().open(f"/{function}?periode=1900-W01", method=method)
    assert answer.status_code == 403 and answer.is_json
    message = answer.get_json()["galat"]
    assert "tidak dijalankan lewat HTTP" in message and message.endswith(f"python -m functions {FUNCTIONS[function]}")
    assert written(runtime) == before


def test_a_local_call_with_a_token_but_no_scheduler_account_is_refused(
    runtime: Runtime, city: dict[str, Any], scheduler: Scheduler
) -> None:
    answer = scheduler.client(create_app(runtime)).get("/compute_scores?periode=2026-W10")
    assert answer.status_code == 403 and runtime.store.count("Skor") == 0


def test_the_schedulers_call_runs_the_job(runtime: Runtime, city: dict[str, Any], scheduler: Scheduler) -> None:
    client = scheduler.client(create_app(scheduler.configure(runtime)))
    week = periods.last_complete_week(runtime.today()).label
    answer = client.post(f"/compute_scores?periode={week}")
    assert answer.status_code == 200 and answer.get_json()["minggu"] == week
    assert runtime.store.count("Skor") > 0


def test_a_token_for_another_function_does_not_open_this_one(
    runtime: Runtime, city: dict[str, Any], scheduler: Scheduler
) -> None:
    client = create_app(scheduler.configure(runtime)).test_client()
    headers = {"Authorization": scheduler.authorization("send_reminders")}
    assert client.post("/compute_scores?periode=2026-W10", headers=headers).status_code == 403
    assert runtime.store.count("Skor") == 0


@pytest.mark.parametrize(
    "function, label",
    [
        ("compute_scores", "1900-W01"),  # was: 63 score rows for 1900
        ("compute_scores", "2019-W52"),
        ("compute_scores", "NEXT2-W01"),
        ("send_weekly_reports", "1900-W01"),
        ("send_weekly_reports", "NEXT2-W01"),
        ("compute_scores", "٢٠٢٦-W10"),
        ("compute_scores", "2026-W1_0"),
    ],
)
def test_a_periode_out_of_range_or_not_plain_is_400_naming_it_and_runs_nothing(
    runtime: Runtime, city: dict[str, Any], scheduler: Scheduler, function: str, label: str
) -> None:
    label = label.replace("NEXT2", str(date.today().year + 2))
    client = scheduler.client(create_app(scheduler.configure(runtime)))
    answer = client.get(f"/{function}", query_string={"periode": label})
    assert answer.status_code == 400 and answer.is_json
    fields = answer.get_json()["isian"]
    assert list(fields) == ["periode"] and fields["periode"].startswith("Periode: ")
    assert written(runtime) == dict.fromkeys(WRITTEN, 0)


@pytest.mark.parametrize("method", ["HEAD", "PUT", "DELETE"])
def test_other_methods_than_get_and_post_run_nothing_and_say_what_is_allowed(
    runtime: Runtime, city: dict[str, Any], scheduler: Scheduler, method: str
) -> None:
    client = scheduler.client(create_app(scheduler.configure(runtime)))
    answer = client.open("/compute_scores?periode=2026-W10", method=method)
    assert answer.status_code == 405 and answer.headers["Allow"] == "GET, POST"
    assert runtime.store.count("Skor") == 0


def test_a_json_answer_is_not_to_be_framed(runtime: Runtime) -> None:
    answer = create_app(runtime).test_client().get("/flush_spool")
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"

"""Each email exactly once (functions/mail/sender.py, jobs.py, web/scheduled.py) against a real SMTP server.

The tiny city of ``conftest`` with the derived sheets of 2026-W48 (``seed_week``) has eight weekly
emails: two supervisor digests, a unit head report and five staff summaries. The server is aiosmtpd
on a loopback port (``tests/support/smtp.py``), reached through ``SMTPTransport``; ``refuse_from`` makes it
refuse every message after the first few. The clock is fixed (``Clocked``), so a test can move to
the next day; backoff sleeps are injected, so nothing waits.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from flask.testing import FlaskClient

from functions.mail import compose, jobs, sender
from functions.mail.transport import KEY_HEADER, MailError, SMTPTransport
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store import Store
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.mail.test_compose import NOW, WEEK, seed_week
from tests.support.scheduler import Scheduler
from tests.support.smtp import SMTPServer, running_smtp

EMAILS = 8  # 2 supervisor digests, 1 unit head report, 5 staff summaries
NEVER = sys.maxsize  # refuse_from(NEVER): accept everything again


@dataclass(frozen=True)
class Clocked(Runtime):
    """A runtime whose clock says ``at``: Monday 30 November 2026, 06:00 WIB unless told otherwise."""

    at: datetime = NOW

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def server() -> Iterator[SMTPServer]:
    """A plain SMTP server on a loopback port (no TLS, no login), accepting until told to refuse."""
    with running_smtp() as smtp:
        yield smtp


@pytest.fixture
def runtime(settings: Settings, store: SQLiteStore, city: dict[str, Any], server: SMTPServer) -> Clocked:
    """The city with its week scored, sending through SMTP to ``server``."""
    seed_week(store)
    smtp = replace(settings, mail_transport="smtp", smtp_host=server.host, smtp_port=server.port, smtp_security="none")
    return Clocked(settings=smtp, store=store)


def keys_received(server: SMTPServer) -> Counter[str]:
    return Counter(str(m[KEY_HEADER]) for m in server.messages)


def terkirim(store: Store) -> list[str]:
    return [r["id"] for r in store.records("Terkirim")]


def planned(runtime: Runtime) -> list[str]:
    return [o.key for o in compose.weekly(runtime.store, runtime.settings, WEEK.label, NOW)]


def send_week(runtime: Runtime, sleep: Callable[[float], None], **options: Any) -> sender.SendReport:
    """The weekly send as ``jobs.weekly`` does it, with the backoff's sleep injected."""
    outgoing = compose.weekly(runtime.store, runtime.settings, WEEK.label, runtime.now())
    transport = SMTPTransport(runtime.settings)  # connects on the first send, as in jobs
    try:
        return sender.send(
            runtime.store, transport, outgoing, runtime.now, runtime.settings.mail_daily_limit, sleep=sleep, **options
        )
    finally:
        transport.close()


def no_sleep(seconds: float) -> None:
    """Backoff without waiting."""


# -- exactly once ----------------------------------------------------------------------------------


@pytest.mark.parametrize("accepted", [0, 3, 7])
def test_a_permanent_refusal_is_reported_and_the_next_run_sends_only_the_rest(
    runtime: Clocked,
    server: SMTPServer,
    accepted: int,
) -> None:
    server.refuse_from(accepted, 550)
    first = jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert (first.planned, first.sent, len(first.failed)) == (EMAILS, accepted, EMAILS - accepted)
    assert len(server.received) == accepted
    failed = [key for key, _ in first.failed]
    assert set(terkirim(runtime.store)) == set(keys_received(server))
    assert not set(failed) & set(terkirim(runtime.store))
    assert all("kode 550" in reason and "@" not in reason for _, reason in first.failed)
    assert f"{EMAILS - accepted} gagal dan akan dikirim ulang" in first.summary()

    server.refuse_from(NEVER)
    second = jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert (second.sent, second.already_sent, second.failed) == (EMAILS - accepted, accepted, [])
    received = keys_received(server)
    assert sorted(received) == sorted(planned(runtime)) and set(received.values()) == {1}
    assert sorted(terkirim(runtime.store)) == sorted(received)

    third = jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert (third.sent, third.already_sent) == (0, EMAILS)
    assert len(server.received) == EMAILS


def test_a_transient_refusal_is_retried_then_reported_and_the_next_run_sends_the_rest(
    runtime: Clocked,
    server: SMTPServer,
) -> None:
    server.refuse_from(5, 451)
    delays: list[float] = []
    first = send_week(runtime, delays.append)
    assert (first.sent, len(first.failed)) == (5, 3)
    assert len(delays) == 3 * 3  # three retries of each of the three refused
    assert all("kode 451" in reason and "akan dicoba lagi" in reason for _, reason in first.failed)
    assert len(terkirim(runtime.store)) == 5

    server.refuse_from(NEVER)
    second = send_week(runtime, no_sleep)
    assert (second.sent, second.already_sent, second.failed) == (3, 5, [])
    received = keys_received(server)
    assert sorted(received) == sorted(planned(runtime)) and set(received.values()) == {1}
    assert sorted(terkirim(runtime.store)) == sorted(received)
    assert send_week(runtime, no_sleep).sent == 0
    assert len(server.received) == EMAILS


class CrashAfter:
    """The SMTP transport, until the process is stopped before the message after the first ``n``."""

    def __init__(self, settings: Settings, n: int, stop: BaseException) -> None:
        self.inner = SMTPTransport(settings)
        self.n, self.stop, self.closed = n, stop, False

    def send(self, message: EmailMessage) -> None:
        if self.n == 0:
            raise self.stop
        self.inner.send(message)
        self.n -= 1

    def close(self) -> None:
        self.closed = True
        self.inner.close()


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), SystemExit(1)], ids=["ctrl-c", "exit"])
def test_a_run_stopped_halfway_then_run_again_sends_each_email_once(
    runtime: Clocked,
    server: SMTPServer,
    monkeypatch: pytest.MonkeyPatch,
    stop: BaseException,
) -> None:
    crashing = CrashAfter(runtime.settings, 4, stop)
    monkeypatch.setattr(sender, "open_transports", lambda settings: {1: crashing})
    with pytest.raises(type(stop)):
        jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert crashing.closed
    assert len(server.received) == 4 and len(terkirim(runtime.store)) == 4

    monkeypatch.undo()
    report = jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert (report.sent, report.already_sent) == (EMAILS - 4, 4)
    received = keys_received(server)
    assert sorted(received) == sorted(planned(runtime)) and set(received.values()) == {1}
    assert sorted(terkirim(runtime.store)) == sorted(received)


def test_terkirim_records_what_was_sent_without_the_address(runtime: Clocked, server: SMTPServer) -> None:
    jobs.weekly(runtime, runtime.now(), WEEK.label)
    by_key = {str(m[KEY_HEADER]): m for m in server.messages}
    for row in runtime.store.records("Terkirim"):
        periode, kind, nip = row["id"].split(":")
        assert (row["periode"], row["nip"], row["jenis"]) == (periode, nip, compose.KINDS[kind])
        assert row["message_id"] == str(by_key[row["id"]]["Message-ID"])
        assert row["dikirim_pada"] == NOW
        assert not [v for v in row.values() if "@contoh.go.id" in str(v)]


# -- retries ---------------------------------------------------------------------------------------


def test_transient_errors_are_retried_with_increasing_capped_delays_then_counted_once(
    runtime: Clocked,
    server: SMTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sender.random, "uniform", lambda low, high: high)  # no jitter: the nominal delays
    server.refuse_from(0, 451)
    delays: list[float] = []

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        if len(delays) == 5:
            server.refuse_from(NEVER)  # the server recovers while we wait

    report = send_week(runtime, sleep, retries=6, base_delay=1.0, max_delay=5.0)
    assert delays == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert (report.sent, report.failed) == (EMAILS, [])
    assert set(keys_received(server).values()) == {1} and len(server.received) == EMAILS
    assert len(terkirim(runtime.store)) == EMAILS


def test_backoff_is_jittered_below_its_nominal_delay(runtime: Clocked, server: SMTPServer) -> None:
    server.refuse_from(0, 451)
    delays: list[float] = []
    item = compose.weekly(runtime.store, runtime.settings, WEEK.label, NOW)[:1]
    with SMTPTransport(runtime.settings) as transport:
        report = sender.send(
            runtime.store,
            transport,
            item,
            runtime.now,
            100,
            retries=5,
            base_delay=0.5,
            max_delay=3.0,
            sleep=delays.append,
        )
    assert len(report.failed) == 1 and len(delays) == 5
    for attempt, delay in enumerate(delays):
        nominal = min(3.0, 0.5 * 2**attempt)
        assert nominal / 2 <= delay <= nominal


class Flaky:
    """Fails ``times`` times with ``error``, then delivers."""

    def __init__(self, times: int, error: MailError) -> None:
        self.times, self.error, self.delivered = times, error, 0

    def send(self, message: EmailMessage) -> None:
        if self.times:
            self.times -= 1
            raise self.error
        self.delivered += 1

    def close(self) -> None:
        """Nothing to release."""


def test_a_permanent_error_is_not_retried(runtime: Clocked) -> None:
    item = compose.weekly(runtime.store, runtime.settings, WEEK.label, NOW)[:1]
    delays: list[float] = []
    report = sender.send(
        runtime.store, Flaky(1, MailError("ditolak", False, 550)), item, runtime.now, 100, sleep=delays.append
    )
    assert delays == [] and [k for k, _ in report.failed] == [item[0].key]


# -- the daily limit -------------------------------------------------------------------------------


def test_the_daily_limit_defers_the_rest_to_the_next_day(runtime: Clocked, server: SMTPServer) -> None:
    monday = replace(runtime, settings=replace(runtime.settings, mail_daily_limit=3))
    order = planned(monday)
    first = jobs.weekly(monday, monday.now(), WEEK.label)
    assert (first.sent, first.deferred, first.failed) == (3, EMAILS - 3, [])
    assert "menunggu hari berikutnya karena batas harian" in first.summary()
    assert [str(m[KEY_HEADER]) for m in server.messages] == order[:3]  # supervisors and the head first

    again = jobs.weekly(replace(monday, at=NOW + timedelta(hours=10)), NOW + timedelta(hours=10), WEEK.label)
    assert (again.sent, again.already_sent, again.deferred) == (0, 3, EMAILS - 3)
    assert len(server.received) == 3

    tuesday = replace(monday, at=NOW + timedelta(days=1))
    second = jobs.weekly(tuesday, tuesday.now(), WEEK.label)
    assert (second.sent, second.already_sent, second.deferred) == (3, 3, EMAILS - 6)
    assert [str(m[KEY_HEADER]) for m in server.messages] == order[:6]

    wednesday = replace(monday, at=NOW + timedelta(days=2))
    third = jobs.weekly(wednesday, wednesday.now(), WEEK.label)
    assert (third.sent, third.deferred) == (2, 0)
    received = keys_received(server)
    assert sorted(received) == sorted(order) and set(received.values()) == {1}


def test_a_dry_run_sends_nothing_and_writes_no_terkirim_rows(runtime: Clocked, server: SMTPServer) -> None:
    report = jobs.weekly(runtime, runtime.now(), WEEK.label, dry_run=True)
    assert (report.planned, report.sent, report.dry_run) == (EMAILS, EMAILS, True)
    assert "uji coba, tidak ada yang dikirim" in report.summary()
    assert server.received == [] and server.connections == 0
    assert runtime.store.count("Terkirim") == 0
    assert jobs.weekly(runtime, runtime.now(), WEEK.label).sent == EMAILS


def test_reminders_go_once_a_day_and_not_on_a_day_off(runtime: Clocked, server: SMTPServer) -> None:
    afternoon = replace(runtime, at=datetime(2026, 12, 1, 16, 0, tzinfo=WIB))  # Tuesday
    first = jobs.reminders(afternoon, afternoon.now())
    assert first.sent == len(server.received) > 0 and first.failed == []
    assert jobs.reminders(afternoon, afternoon.now()).sent == 0
    christmas = replace(runtime, at=datetime(2026, 12, 25, 16, 0, tzinfo=WIB))
    assert jobs.reminders(christmas, christmas.now()).planned == 0
    assert len(server.received) == first.sent


# -- the HTTP functions ----------------------------------------------------------------------------


def signed(runtime: Clocked, scheduler: Scheduler) -> FlaskClient:
    """Cloud Scheduler's calls: each request carries its token (locally, a call without one is refused)."""
    return scheduler.client(create_app(scheduler.configure(runtime)))


def test_send_weekly_reports_answers_with_the_counts(
    runtime: Clocked, server: SMTPServer, scheduler: Scheduler
) -> None:
    client = signed(runtime, scheduler)
    answer = client.get(f"/send_weekly_reports?periode={WEEK.label}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["status"] == "selesai"
    assert (body["direncanakan"], body["terkirim"], body["sudah_terkirim"], body["gagal"]) == (EMAILS, EMAILS, 0, [])
    assert body["ringkasan"] == f"{EMAILS} email terkirim, 0 sudah terkirim sebelumnya."
    again = client.post(f"/send_weekly_reports?periode={WEEK.label}").get_json()
    assert (again["terkirim"], again["sudah_terkirim"]) == (0, EMAILS)
    assert len(server.received) == EMAILS


def test_send_weekly_reports_answers_207_when_some_failed(
    runtime: Clocked, server: SMTPServer, scheduler: Scheduler
) -> None:
    server.refuse_from(6, 550)
    answer = signed(runtime, scheduler).get(f"/send_weekly_reports?periode={WEEK.label}")
    assert answer.status_code == 207
    body = answer.get_json()
    assert body["terkirim"] == 6 and len(body["gagal"]) == 2
    assert set(body["gagal"]) == set(planned(runtime)) - set(terkirim(runtime.store))
    assert "@" not in answer.get_data(as_text=True)


def test_send_weekly_reports_dry_run_sends_nothing(runtime: Clocked, server: SMTPServer, scheduler: Scheduler) -> None:
    answer = signed(runtime, scheduler).get(f"/send_weekly_reports?periode={WEEK.label}&uji_coba=1")
    assert answer.status_code == 200
    assert answer.get_json()["uji_coba"] is True and answer.get_json()["terkirim"] == EMAILS
    assert server.received == [] and runtime.store.count("Terkirim") == 0


def test_send_weekly_reports_without_periode_sends_the_last_complete_week(
    runtime: Clocked,
    server: SMTPServer,
    scheduler: Scheduler,
) -> None:
    body = signed(runtime, scheduler).get("/send_weekly_reports").get_json()
    assert body["terkirim"] == EMAILS
    assert {k.split(":")[0] for k in keys_received(server)} == {WEEK.label}


@pytest.mark.parametrize(
    ("periode", "says"),
    [
        ("minggu-lalu", "tulis minggu seperti 2026-W48"),
        ("2026-W60", "tulis minggu seperti 2026-W48"),
        ("2026-11", "email dikirim per minggu"),  # a month would go out under weekly subjects
        ("2026-W49", "minggu 2026-W49 belum selesai"),  # and would be recorded as sent before it is over
    ],
)
def test_send_weekly_reports_refuses_a_periode_that_is_not_a_complete_week(
    runtime: Clocked,
    server: SMTPServer,
    periode: str,
    says: str,
    scheduler: Scheduler,
) -> None:
    answer = signed(runtime, scheduler).get(f"/send_weekly_reports?periode={periode}")
    assert answer.status_code == 400
    assert says in answer.get_json()["isian"]["periode"]
    assert server.received == [] and runtime.store.count("Terkirim") == 0


@pytest.mark.parametrize("path", ["/send_weekly_reports", "/send_reminders"])
def test_the_mail_functions_accept_only_get_and_post(runtime: Clocked, path: str, scheduler: Scheduler) -> None:
    answer = signed(runtime, scheduler).put(path)
    assert answer.status_code == 405 and "GET atau POST" in answer.get_json()["galat"]


def test_send_reminders_answers_with_the_counts(runtime: Clocked, server: SMTPServer, scheduler: Scheduler) -> None:
    tuesday = replace(runtime, at=datetime(2026, 12, 1, 16, 0, tzinfo=WIB))
    client = signed(tuesday, scheduler)
    trial = client.get("/send_reminders?uji_coba=1").get_json()
    assert trial["uji_coba"] is True and trial["terkirim"] > 0 and server.received == []
    answer = client.post("/send_reminders")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["terkirim"] == trial["terkirim"] == len(server.received)
    assert {k.split(":")[0] for k in keys_received(server)} == {"2026-12-01"}
    assert client.get("/send_reminders").get_json()["sudah_terkirim"] == body["terkirim"]


def test_send_reminders_on_a_sunday_sends_nothing(runtime: Clocked, server: SMTPServer, scheduler: Scheduler) -> None:
    sunday = replace(runtime, at=datetime(2026, 11, 29, 16, 0, tzinfo=WIB))
    body = signed(sunday, scheduler).get("/send_reminders").get_json()
    assert (body["direncanakan"], body["terkirim"]) == (0, 0)
    assert server.connections == 0


def test_an_unreachable_server_fails_every_email_and_records_none(runtime: Clocked) -> None:
    from tests.support.servers import free_port

    closed = replace(runtime, settings=replace(runtime.settings, smtp_port=free_port()))
    delays: list[float] = []
    report = send_week(closed, delays.append)
    assert report.sent == 0 and len(report.failed) == EMAILS and len(delays) == 3 * EMAILS
    assert all("Tidak dapat tersambung" in reason for _, reason in report.failed)
    assert closed.store.count("Terkirim") == 0


# -- rendering only what is sent -------------------------------------------------------------------


def test_only_the_emails_about_to_be_sent_are_rendered(
    runtime: Clocked, server: SMTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    render = compose._compose

    def counting(*args: Any) -> compose.Outgoing:
        rendered.append(args[1])
        return render(*args)

    monkeypatch.setattr(compose, "_compose", counting)
    limited = replace(runtime, settings=replace(runtime.settings, mail_daily_limit=3))
    jobs.weekly(limited, limited.now(), WEEK.label)
    assert len(rendered) == 3  # the deferred five are not rendered
    jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert len(rendered) == EMAILS  # nor the three already sent
    jobs.weekly(runtime, runtime.now(), WEEK.label)
    assert len(rendered) == EMAILS and len(server.received) == EMAILS

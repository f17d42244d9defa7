"""The mail provider's limits over simulated days (functions/mail/limits.py, sender.py, jobs.py).

A real SMTP server on loopback (``tests/support/smtp.py``) holds each sending account to a daily limit, answering
``550 5.4.5 Daily sending quota exceeded`` past it, like Google Workspace; ``new_day()`` turns its day. The days are
simulated by the runtime's clock: each day the weekly job runs at 06:00 and, on working days, the reminders at
16:00, as the schedule does. Expected counts are worked out by hand in each test's docstring or comments.

The tiny city of ``conftest`` has eight weekly emails for 2026-W48 in this order: two supervisor digests (the head,
who supervises the supervisor and one employee, and the supervisor), one unit head report, five staff summaries.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from functions.demo.seed import seed_demo
from functions.errors import ValidationError
from functions.mail import compose, jobs, limits, rencana
from functions.mail.transport import KEY_HEADER
from functions.rules.workdays import WIB
from functions.runtime import Runtime
from functions.settings import Settings
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.mail.test_compose import NOW, WEEK, seed_week
from tests.support.smtp import QUOTA_REPLY, SMTPServer, running_smtp

MONDAY = NOW.date()  # 30 November 2026, the first day of 2026-W48's mail
ACCOUNTS = {"relay1@kota.go.id": "sandi-pertama", "relay2@kota.go.id": "sandi-kedua"}
DIGEST_KINDS = {"atasan", "kepala_unit"}


@dataclass(frozen=True)
class Clocked(Runtime):
    at: datetime = NOW

    def now(self) -> datetime:
        return self.at


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), WIB)


def smtp(settings: Settings, server: SMTPServer, limit: int, accounts: int = 1, share: int = 20) -> Settings:
    (user, password), *more = ACCOUNTS.items()
    second = more[0] if accounts == 2 else ("", "")
    return replace(
        settings,
        mail_transport="smtp",
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_security="none",
        smtp_user=user,
        smtp_password=password,
        smtp_user_2=second[0],
        smtp_password_2=second[1],
        mail_daily_limit=limit,
        mail_reminder_share=share,
    )


def kind_of(key: str) -> str:
    return key.split(":")[1]


@dataclass
class Day:
    """What the server accepted on one simulated day, by kind, in order."""

    keys: list[str]
    weekly: list[jobs.sender.SendReport]
    reminders: list[jobs.sender.SendReport]

    @property
    def kinds(self) -> Counter[str]:
        return Counter(kind_of(k) for k in self.keys)


def simulate(runtime: Clocked, server: SMTPServer, days: int, start: date = MONDAY, remind: bool = True) -> list[Day]:
    """Run the schedule's mail jobs over ``days`` days, turning the server's day at each midnight."""
    from functions.rules.workdays import Calendar

    calendar = Calendar.from_store(runtime.store, runtime.settings.tz)
    found = []
    for n in range(days):
        day = start + timedelta(days=n)
        server.new_day()
        before = len(server.received)
        morning = replace(runtime, at=at(day, 6))
        weekly = [jobs.weekly(morning, morning.now())]
        reminders = []
        if remind and calendar.is_workday(day):
            afternoon = replace(runtime, at=at(day, 16))
            reminders.append(jobs.reminders(afternoon, afternoon.now()))
        keys = [str(m[KEY_HEADER]) for m in server.messages[before:]]
        found.append(Day(keys, weekly, reminders))
    return found


def received_keys(server: SMTPServer) -> Counter[str]:
    return Counter(str(m[KEY_HEADER]) for m in server.messages)


# -- the demo city at 40 emails a day --------------------------------------------------------------


@pytest.fixture
def demo(settings: Settings, store: SQLiteStore) -> SQLiteStore:
    """The demo city seeded on Monday 30 November 2026, its week 2026-W48 scored at 05:00 as the schedule does."""
    from functions.scoring import job

    seed_demo(store, MONDAY)
    job.run(store, at(MONDAY, 5))
    return store


@pytest.fixture
def quota_server() -> Iterator[SMTPServer]:
    with running_smtp(accounts=ACCOUNTS, daily_limit=40) as server:
        yield server


def test_at_forty_a_day_the_demo_weeks_mail_goes_once_each_digests_on_monday_despite_reminders(
    settings: Settings, demo: SQLiteStore, quota_server: SMTPServer
) -> None:
    """The demo city's week: 24 supervisor digests, 8 unit head reports, 64 staff summaries (96); nobody reports in
    the simulated days, so 64 reminders are due each working day (Monday 30 November to Friday 4 December).

    Limit 40 a day, 20% kept for reminders on working days: 8. The weekly run at 06:00 may use 40 - 8 = 32, which
    is exactly the 32 digests on Monday; the reminders at 16:00 may use what is left: 8. Tuesday and Wednesday:
    32 staff summaries and 8 reminders each (64 summaries in all). Thursday and Friday: no weekly email left, 40
    reminders each. The weekend: nothing. Reminders not sent by 18:00 are dropped, never sent the next day.
    """
    runtime = Clocked(settings=smtp(settings, quota_server, 40), store=demo)
    days = simulate(runtime, quota_server, 7)
    weekly = [{k: v for k, v in d.kinds.items() if k != "pengingat"} for d in days]
    assert weekly == [{"atasan": 24, "kepala_unit": 8}, {"pegawai": 32}, {"pegawai": 32}, {}, {}, {}, {}]
    assert [d.kinds["pengingat"] for d in days] == [8, 8, 8, 40, 40, 0, 0]
    # Digests first: every digest went before the first staff summary, all on Monday.
    monday = days[0].keys
    assert {kind_of(k) for k in monday if kind_of(k) != "pengingat"} == DIGEST_KINDS
    # Each weekly email once, and Terkirim says what the server has.
    received = received_keys(quota_server)
    weekly_keys = [k for k in received if k.startswith(WEEK.label)]
    assert len(weekly_keys) == 96 and set(received.values()) == {1}
    assert sorted(r["id"] for r in demo.records("Terkirim")) == sorted(received)
    # Reminders belong to their own day: each day's reminders carry that day, none a day late.
    for n, day in enumerate(days):
        assert {k.split(":")[0] for k in day.keys if kind_of(k) == "pengingat"} <= {str(MONDAY + timedelta(days=n))}
    assert quota_server.quota_refusals == 0  # our own count kept within the provider's
    # Monday's reminder run says the rest wait no longer than 18:00.
    assert days[0].reminders[0].deferred == 64 - 8


def test_reminders_run_before_the_weekly_mail_take_only_their_share(
    settings: Settings, demo: SQLiteStore, quota_server: SMTPServer
) -> None:
    """The reminders run at 07:00 on Monday, before the weekly run (retried at 09:00 after a failure, say): a city
    whose e-Kinerja deadline is 10:00, reminded 180 minutes before it. The week's mail is all waiting, so they get
    only their share, 8 of the 64 due; the weekly run then still has its 40 - 8 = 32 for the 32 digests."""
    demo.upsert("Konfigurasi", [{"kunci": "ekinerja_batas_harian", "nilai": "10:00"}])
    demo.upsert("Konfigurasi", [{"kunci": "pengingat_menit_sebelum_batas", "nilai": "180"}])
    runtime = Clocked(settings=smtp(settings, quota_server, 40), store=demo)
    quota_server.new_day()
    early = replace(runtime, at=at(MONDAY, 7))
    assert jobs.reminders(early, early.now()).sent == 8
    late_morning = replace(runtime, at=at(MONDAY, 9))
    assert jobs.weekly(late_morning, late_morning.now()).sent == 32
    kinds = Counter(kind_of(k) for k in received_keys(quota_server))
    assert kinds == {"atasan": 24, "kepala_unit": 8, "pengingat": 8}


# -- the tiny city ---------------------------------------------------------------------------------


@pytest.fixture
def week(store: SQLiteStore, city: dict[str, Any]) -> list[str]:
    """The eight keys of 2026-W48 in sending order."""
    seed_week(store)
    return [p.key for p in compose.plan_weekly(store, Settings(secret_key="k" * 40), WEEK.label, NOW)]


def test_two_accounts_share_the_days_sending_and_terkirim_says_which_sent_what(
    settings: Settings, store: SQLiteStore, week: list[str]
) -> None:
    """Two accounts at 3 a day, nothing kept for reminders: Monday 6 emails, alternately through account 1 and 2
    (each goes through the account with the most of its day left, the first on a tie); Tuesday the last 2."""
    with running_smtp(accounts=ACCOUNTS, daily_limit=3) as server:
        runtime = Clocked(settings=smtp(settings, server, 3, accounts=2, share=0), store=store)
        days = simulate(runtime, server, 2, remind=False)
        assert [d.keys for d in days] == [week[:6], week[6:]]
        assert days[0].weekly[0].by_account == {1: 3, 2: 3} and days[1].weekly[0].by_account == {1: 1, 2: 1}
        relay1, relay2 = ACCOUNTS
        assert [r.account for r in server.received] == [relay1, relay2] * 4
        rows = {r["id"]: r["akun"] for r in store.records("Terkirim")}
        assert [rows[k] for k in week] == [1, 2] * 4
        assert server.quota_refusals == 0


def test_the_providers_quota_answer_ends_an_accounts_day_and_loses_nothing(
    settings: Settings, store: SQLiteStore, week: list[str]
) -> None:
    """We think the account may send 10 a day, the provider says 3: Monday 3 go, the fourth is answered
    550 5.4.5, which is not a failure: that message and the four after it wait (5 deferred, none failed), and the
    account is not tried again that run (one refusal). Tuesday 3 (and the seventh refused: a second refusal),
    Wednesday 2: all eight, each once."""
    with running_smtp(accounts=ACCOUNTS, daily_limit=3) as server:
        runtime = Clocked(settings=smtp(settings, server, 10, share=0), store=store)
        days = simulate(runtime, server, 1, remind=False)
        monday = days[0].weekly[0]
        assert (monday.sent, monday.deferred, monday.failed) == (3, 5, [])
        assert server.quota_refusals == 1
        days += simulate(runtime, server, 2, start=MONDAY + timedelta(days=1), remind=False)
        assert server.quota_refusals == 2
        assert [d.keys for d in days] == [week[:3], week[3:6], week[6:]]
        assert received_keys(server) == Counter(week)
        assert sorted(r["id"] for r in store.records("Terkirim")) == sorted(week)


def test_a_quota_answer_moves_the_message_to_the_other_account(
    settings: Settings, store: SQLiteStore, week: list[str]
) -> None:
    """Two accounts we think may send 10 each, the provider allows 2 each: 1, 2, 1, 2 go; the fifth, through
    account 1, is refused and goes through account 2, which is refused too: 4 sent, 4 deferred, 2 refusals."""
    with running_smtp(accounts=ACCOUNTS, daily_limit=2) as server:
        runtime = Clocked(settings=smtp(settings, server, 10, accounts=2, share=0), store=store)
        (monday,) = simulate(runtime, server, 1, remind=False)
        assert (monday.weekly[0].sent, monday.weekly[0].deferred, monday.weekly[0].failed) == (4, 4, [])
        assert monday.keys == week[:4] and server.quota_refusals == 2
        assert QUOTA_REPLY.startswith("550 5.4.5")


def test_a_week_still_unsent_after_seven_days_is_given_up_and_reported_never_mixed_into_the_next(
    settings: Settings, store: SQLiteStore, week: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """One email a day: Monday 30 November to Sunday 6 December send the first seven of 2026-W48. On Monday 7
    December the weekly run sends 2026-W49's first email, not the eighth of 2026-W48, which is given up: the run's
    note, a log line without addresses and the plan say so."""
    with running_smtp(accounts=ACCOUNTS, daily_limit=1) as server:
        runtime = Clocked(settings=smtp(settings, server, 1, share=0), store=store)
        days = simulate(runtime, server, 7, remind=False)
        assert [d.keys for d in days] == [[k] for k in week[:7]]
        with caplog.at_level(logging.WARNING, logger="functions.mail.jobs"):
            (next_monday,) = simulate(runtime, server, 1, start=MONDAY + timedelta(days=7), remind=False)
        assert [k.split(":")[0] for k in next_monday.keys] == ["2026-W49"]
        assert week[7] not in received_keys(server)
        note = "Email Minggu 23–29 November 2026 yang belum terkirim setelah 7 hari dibatalkan: 1 email (1 Ringkasan "
        assert next_monday.weekly[0].notes[0].startswith(note + "Pegawai)")
        logged = [r.getMessage() for r in caplog.records if "given up" in r.getMessage()]
        assert logged == ["weekly mail given up after 7 days: week=2026-W48 unsent={'Ringkasan Pegawai': 1}"]
        assert "@" not in logged[0]
        later = replace(runtime, at=at(MONDAY + timedelta(days=7), 12))
        with pytest.raises(ValidationError) as refused:
            jobs.weekly(later, later.now(), WEEK.label)
        assert "sudah lewat 7 hari pengiriman dan dibatalkan" in refused.value.fields["periode"]
        plan = rencana.from_store(later, later.now())
        assert (
            "Minggu 23–29 November 2026: 7 terkirim; 1 email (1 Ringkasan Pegawai) dibatalkan setelah 7 hari." in plan
        )


def test_a_reminder_not_sent_by_six_in_the_evening_is_dropped(
    settings: Settings, store: SQLiteStore, city: dict[str, Any]
) -> None:
    """Tuesday 1 December, limit 4, half (2) kept for reminders; 2026-W48's mail is all still waiting, so the 16:00
    run sends only the share: 2 of the 5 due (the tiny city's five, none reported), 3 wait; at 17:59 nothing is
    left of the share; from 18:00 the job sends nothing and says the rest are dropped."""
    with running_smtp(accounts=ACCOUNTS, daily_limit=100) as server:
        runtime = Clocked(settings=smtp(settings, server, 4, share=50), store=store)
        tuesday = MONDAY + timedelta(days=1)
        first = jobs.reminders(replace(runtime, at=at(tuesday, 16)), at(tuesday, 16))
        assert (first.planned, first.sent, first.deferred) == (5, 2, 3)
        assert "3 tidak terkirim karena batas harian" in first.summary(jobs.REMINDERS_DEFERRED)
        assert jobs.reminders(replace(runtime, at=at(tuesday, 17, 59)), at(tuesday, 17, 59)).sent == 0
        late = jobs.reminders(replace(runtime, at=at(tuesday, 18)), at(tuesday, 18))
        assert (late.planned, late.sent) == (0, 0)
        assert late.notes == ["Sudah lewat pukul 18.00: pengingat hari ini tidak dikirim lagi."]
        assert len(server.received) == 2


def test_the_reminders_hours_follow_e_kinerjas_deadline(
    settings: Settings, store: SQLiteStore, city: dict[str, Any]
) -> None:
    """Tuesday 1 December, a limit of 100. With the default deadline 23:59 and 480 minutes, the reminders are due
    from 15:59: the 15:45 run sends nothing and says when; the 16:00 run sends the tiny city's five (none reported);
    the 16:15 run sends nothing again (each once). A city whose deadline is 16:30, reminded 60 minutes before: due
    from 15:30, dropped at the deadline 16:30 (earlier than 18:00): Wednesday's 16:30 run says so."""
    with running_smtp(accounts=ACCOUNTS, daily_limit=100) as server:
        runtime = Clocked(settings=smtp(settings, server, 100), store=store)
        tuesday = MONDAY + timedelta(days=1)
        early = jobs.reminders(replace(runtime, at=at(tuesday, 15, 45)), at(tuesday, 15, 45))
        assert (early.planned, early.sent) == (0, 0)
        assert early.notes == ["Pengingat hari ini dikirim mulai pukul 15.59, sebelum batas e-Kinerja."]
        assert jobs.reminders(replace(runtime, at=at(tuesday, 16)), at(tuesday, 16)).sent == 5
        again = jobs.reminders(replace(runtime, at=at(tuesday, 16, 15)), at(tuesday, 16, 15))
        assert (again.sent, again.already_sent) == (0, 5)
        store.upsert("Konfigurasi", [{"kunci": "ekinerja_batas_harian", "nilai": "16:30"}])
        store.upsert("Konfigurasi", [{"kunci": "pengingat_menit_sebelum_batas", "nilai": "60"}])
        wednesday = tuesday + timedelta(days=1)
        assert jobs.reminders(replace(runtime, at=at(wednesday, 15, 29)), at(wednesday, 15, 29)).sent == 0
        assert jobs.reminders(replace(runtime, at=at(wednesday, 15, 30)), at(wednesday, 15, 30)).sent == 5
        late = jobs.reminders(replace(runtime, at=at(wednesday, 16, 30)), at(wednesday, 16, 30))
        assert late.notes == ["Sudah lewat pukul 16.30: pengingat hari ini tidak dikirim lagi."]
        assert len(server.received) == 10


# -- the staff summary on the page only ----------------------------------------------------------


def test_page_only_sends_no_staff_summary_and_the_page_can_still_show_it(
    settings: Settings, store: SQLiteStore, week: list[str]
) -> None:
    """Konfigurasi ringkasan_pegawai = halaman: of the eight, only the two digests and the head's report (3) go;
    the staff summary is still there for the home page."""
    store.upsert("Konfigurasi", [{"kunci": "ringkasan_pegawai", "nilai": "halaman", "keterangan": None}])
    with running_smtp() as server:
        runtime = Clocked(settings=replace(smtp(settings, server, 100), smtp_user="", smtp_password=""), store=store)
        report = jobs.weekly(runtime, NOW, WEEK.label)
        assert (report.planned, report.sent) == (3, 3)
        assert sorted(received_keys(server)) == sorted(week[:3])
    staff = week[3].split(":")[2]
    person = store.records("Pegawai", where={"nip": staff})[0]
    token = identity.make_token(settings.secret_key, person)
    page = create_app(Clocked(settings=settings, store=store)).test_client().get(f"/home?t={token}")
    assert page.status_code == 200 and 'id="skor-total"' in page.text  # the summary, on the person's home page


# -- the budget ------------------------------------------------------------------------------------


def test_the_budget_counts_each_terkirim_row_once_per_account_and_keeps_the_reminders_share() -> None:
    """Limit 10, 3 kept for reminders; account 1 sent 4 (one of them twice in the sheet, counted once) of which 1
    reminder, account 2 sent 2 reminders: account 1 may send 10 - 4 - (3 - 1) = 4 weekly emails and 6 reminders;
    account 2: 10 - 2 - 1 = 7 weekly, 8 reminders (all that is left once the week's mail is sent). An old row
    without an account counts for account 1."""
    rows = [
        {"id": "a", "akun": 1, "jenis": "Ringkasan Pegawai"},
        {"id": "a", "akun": 1, "jenis": "Ringkasan Pegawai"},
        {"id": "b", "akun": None, "jenis": "Ringkasan Atasan"},
        {"id": "c", "akun": 1, "jenis": limits.REMINDER_JENIS},
        {"id": "d", "akun": 1, "jenis": "Tautan Pribadi"},
        {"id": "e", "akun": 2, "jenis": limits.REMINDER_JENIS},
        {"id": "f", "akun": 2, "jenis": limits.REMINDER_JENIS},
    ]
    budget = limits.budget(rows, 10, 3)
    assert (budget.left(1, "pegawai"), budget.left(1, "pengingat")) == (4, 6)
    assert (budget.left(2, "atasan"), budget.left(2, "pengingat")) == (7, 8)
    # While the week's mail waits, the reminders get only what is left of their share: 3 - 1 and 3 - 2.
    budget.weekly_waiting = True
    assert (budget.left(1, "pengingat"), budget.left(2, "pengingat")) == (2, 1)
    assert (budget.left(1, "pegawai"), budget.left(2, "atasan")) == (4, 7)


class Clock:
    """A monotonic clock that moves only when the sender sleeps."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds


@pytest.mark.parametrize(("accounts", "waits"), [(1, [60.0, 60.0]), (2, [60.0])])
def test_the_minute_limit_paces_each_account(
    settings: Settings, store: SQLiteStore, week: list[str], accounts: int, waits: list[float]
) -> None:
    """Two a minute per account, the first five of the week into the outbox. One account: 2 at once, a minute's
    wait, 2, a minute, 1. Two accounts: 4 at once (two each), a minute, 1."""
    from functions.mail import sender
    from functions.mail.transport import OutboxTransport

    outbox = OutboxTransport(settings.outbox_dir)
    clock = Clock()
    planned = compose.plan_weekly(store, settings, WEEK.label, NOW)[:5]
    transports: dict[int, Any] = {n: outbox for n in range(1, accounts + 1)}
    report = sender.send(store, transports, planned, lambda: NOW, 100, sleep=clock.sleep, minute_limit=2, clock=clock)
    assert (report.sent, clock.slept) == (5, waits)
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 5

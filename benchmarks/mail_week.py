"""A week of mail for the 15,000-staff city within the provider's daily limits, over simulated days.

``run()`` uses three processes, as ``benchmarks.mail`` does, and reuses its city:

- ``python -m benchmarks.mail city DIR``: the city (15,000 employees, 300 units, about 1,900 supervisors, the
  derived sheets of 2026-W48) in a fresh SQLite store.
- ``python -m benchmarks.mail_week smtp LIMIT``: an aiosmtpd server on a loopback port that, like Google
  Workspace, holds each login to ``LIMIT`` messages a day and answers ``550 5.4.5 Daily sending quota exceeded``
  past it; ``day N`` on its standard input turns its day. It remembers the day each message (by its
  ``X-Kinerja-Kunci``) arrived on, and nothing else.
- ``python -m benchmarks.mail_week week DIR PORT``: the schedule, day by day from Monday 30 November to Sunday 6
  December 2026, with the runtime's clock set to each moment: the weekly job at 06:00 (every day), the day's
  reports of nine in ten employees at 15:00 (working days), the reminders at 16:00 and again at 18:00 (dropped).
  Before each day it asks (through the parent) the server to turn its day.

The settings are those of a city with two sending accounts (two relay users) at ``KINERJA_MAIL_DAILY_LIMIT`` =
:data:`LIMIT` and 20% kept for reminders; the server allows :data:`SERVER_LIMIT` a day each, a little less, as when
the provider counts messages the application did not send: so the 550 answer is met every day.
"""

from __future__ import annotations

import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import mail
from functions.runtime import Runtime

LIMIT = 2_000
SERVER_LIMIT = 1_950
SHARE = 20
DAYS = 7
REPORTING = 0.9  # of the staff report on a working day before the reminders
MONDAY = date(2026, 11, 30)
ACCOUNTS = {"relay1@semarangkota.go.id": "sandi-relay-1", "relay2@semarangkota.go.id": "sandi-relay-2"}
QUOTA_REPLY = "550 5.4.5 Daily sending quota exceeded"
KINDS = ("atasan", "kepala_unit", "pegawai", "pengingat")


@dataclass(frozen=True)
class Clocked(Runtime):
    at: datetime = datetime(2026, 11, 30, 6, 0, tzinfo=mail.WIB)

    def now(self) -> datetime:
        return self.at


# -- the server ------------------------------------------------------------------------------------


class QuotaServer:
    """aiosmtpd handler: a daily limit per login, the day each key arrived on."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.day = 0
        self.today: Counter[str] = Counter()
        self.arrived: dict[str, list[int]] = defaultdict(list)
        self.refusals: Counter[int] = Counter()
        self.lock = threading.Lock()

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        with self.lock:
            if self.today[_login(session)] >= self.limit:
                self.refusals[self.day] += 1
                return QUOTA_REPLY
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        match = mail.KEY_RE.search(raw[:4096])
        key = match.group(1).decode() if match else "?"
        with self.lock:
            self.today[_login(session)] += 1
            self.arrived[key].append(self.day)
        return "250 2.0.0 OK"


def _login(session: Any) -> str:
    login = getattr(session.auth_data, "login", b"")
    return login.decode() if isinstance(login, bytes) else ""


def serve_smtp(limit: int) -> None:
    """Print the port; 'day N' turns the day (answers 'ok'); 'stop' prints what arrived as JSON."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.support.servers import free_port

    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> AuthResult:
        ok = ACCOUNTS.get(auth.login.decode()) == auth.password.decode()
        return AuthResult(success=ok, handled=False, auth_data=auth if ok else None)

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd warns on each login that it sets login_data
    handler = QuotaServer(limit)
    port = free_port()
    controller = Controller(
        handler, hostname=mail.HOST, port=port, server_hostname=mail.HOST, authenticator=check, auth_require_tls=False
    )
    controller.start()
    print(port, flush=True)
    for line in sys.stdin:
        if line.startswith("day "):
            with handler.lock:
                handler.day, handler.today = int(line.split()[1]), Counter()
            print("ok", flush=True)
        else:
            break
    controller.stop()
    print(json.dumps({"arrived": handler.arrived, "refusals": handler.refusals}), flush=True)


# -- the week --------------------------------------------------------------------------------------


def _settings(folder: Path, port: int) -> Any:
    from functions.settings import Settings

    (first, first_pw), (second, second_pw) = ACCOUNTS.items()
    return Settings(
        data_dir=folder,
        secret_key=mail.SECRET,
        base_url="https://kinerja.semarangkota.go.id",
        mail_from="Pantau Kinerja <kinerja@semarangkota.go.id>",
        mail_transport="smtp",
        smtp_host=mail.HOST,
        smtp_port=port,
        smtp_security="none",
        smtp_user=first,
        smtp_password=first_pw,
        smtp_user_2=second,
        smtp_password_2=second_pw,
        mail_daily_limit=LIMIT,
        mail_reminder_share=SHARE,
    )


def _reports(rng: random.Random, people: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """One activity from nine in ten employees, received at 15:00, with its evidence and RHK (ready for e-Kinerja:
    no reminder for them)."""
    at = datetime(day.year, day.month, day.day, 15, tzinfo=mail.WIB)
    return [
        {key: p[key] for key in ("nip", "nama", "unit")}
        | dict(id=f"w{day:%m%d}{p['nip']}", id_kiriman=f"w{day:%m%d}{p['nip']}", tanggal=day, diterima_pada=at)
        | dict(kegiatan="Melayani warga", id_target=f"{p['nip']}-2026-1", indikator="Jumlah warga yang dilayani")
        | dict(kuantitas=3, satuan="orang", durasi_menit=60, verifikasi="Disetujui")
        | dict(bukti_dukung="https://drive.contoh.go.id/bukti")
        for p in people
        if rng.random() < REPORTING
    ]


def week(folder: Path, port: int) -> dict[str, Any]:
    """The seven days; per day the emails by kind and account (from Terkirim), the reminders due, sent and
    dropped, the seconds it took; then what is left of the week."""
    from functions.mail import jobs
    from functions.rules.workdays import Calendar
    from functions.store.sqlite import SQLiteStore

    settings = _settings(folder, port)
    store = SQLiteStore(settings.sqlite_path)
    runtime = Clocked(settings=settings, store=store)
    calendar = Calendar.from_store(store, settings.tz)
    people = [p for p in store.records("Pegawai") if p.get("aktif") is not False]
    rng = random.Random(42)
    days = []
    for n in range(DAYS):
        day = MONDAY + timedelta(days=n)
        print(f"day {n}", flush=True)
        assert sys.stdin.readline().strip() == "go"
        began = time.perf_counter()
        moment = datetime(day.year, day.month, day.day, 6, tzinfo=mail.WIB)
        weekly = jobs.weekly(Clocked(settings=settings, store=store, at=moment), moment)
        figures: dict[str, Any] = dict(day=day.isoformat(), weekly_deferred=weekly.deferred, notes=weekly.notes)
        if calendar.is_workday(day):
            store.append("LaporanHarian", _reports(rng, people, day))
            four = moment.replace(hour=16)
            due = jobs.reminders(replace_at(runtime, four), four)
            six = moment.replace(hour=18)
            late = jobs.reminders(replace_at(runtime, six), six)
            figures |= dict(reminders_due=due.planned, reminders_sent=due.sent, after_six=late.sent)
        figures["seconds"] = time.perf_counter() - began
        sent = store.records("Terkirim", start=day, end=day)
        figures["by_kind"] = Counter(r["id"].split(":")[1] for r in sent)
        figures["by_account"] = Counter(str(r["akun"]) for r in sent)
        figures["failed"] = len(weekly.failed)
        days.append(figures)
    end = datetime(2026, 12, 6, 23, 59, tzinfo=mail.WIB)
    sent_total, unsent = jobs.progress(replace_at(runtime, end), mail.WEEK, end)
    result = dict(days=days, sent=sent_total, unsent=sum(unsent.values()), terkirim=store.count("Terkirim"))
    result |= dict(peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, load=os.getloadavg()[0])
    store.close()
    return result


def replace_at(runtime: Clocked, moment: datetime) -> Clocked:
    return Clocked(settings=runtime.settings, store=runtime.store, at=moment)


# -- the parent ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFigures:
    emails: int  # of the week, planned
    days: list[dict[str, Any]]
    received_weekly: int
    twice: int  # keys the server received more than once
    given_up: int  # of the week's emails still unsent at the end of its seventh day
    lost: int  # recorded in Terkirim but never received by the server
    digests_after_monday: int
    reminders_late: int  # received on another day than their own
    refusals: list[int]  # 550 answers per day
    seconds: float
    peak_mib: float
    load: float


def run() -> WeekFigures:
    with tempfile.TemporaryDirectory() as folder:
        build = [sys.executable, "-m", "benchmarks.mail", "city", folder]
        city = subprocess.run(build, capture_output=True, text=True, check=True)
        assert json.loads(city.stdout)["employees"] == mail.EMPLOYEES
        smtp = [sys.executable, "-m", "benchmarks.mail_week"]
        server = subprocess.Popen([*smtp, "smtp", str(SERVER_LIMIT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)  # fmt: skip
        simulation = None
        try:
            assert server.stdout is not None and server.stdin is not None
            port = server.stdout.readline().strip()
            began = time.perf_counter()
            simulation = subprocess.Popen([*smtp, "week", folder, port], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          text=True)  # fmt: skip
            assert simulation.stdout is not None and simulation.stdin is not None
            for line in simulation.stdout:
                if not line.startswith("day "):
                    result = json.loads(line)
                    break
                server.stdin.write(line)
                server.stdin.flush()
                assert server.stdout.readline().strip() == "ok"
                simulation.stdin.write("go\n")
                simulation.stdin.flush()
            seconds = time.perf_counter() - began
            simulation.wait(timeout=60)
            server.stdin.write("stop\n")
            server.stdin.flush()
            arrived = json.loads(server.stdout.readline())
            server.wait(timeout=30)
        finally:
            for process in (server, simulation):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait()
    return _figures(result, arrived, seconds)


def _figures(result: dict[str, Any], arrived: dict[str, Any], seconds: float) -> WeekFigures:
    days_of: dict[str, list[int]] = arrived["arrived"]
    weekly = {k: d for k, d in days_of.items() if k.startswith(mail.WEEK.label)}
    reminders = {k: d for k, d in days_of.items() if k.split(":")[1] == "pengingat"}
    late = sum(1 for k, d in reminders.items() for n in d if (MONDAY + timedelta(days=n)).isoformat() != k[:10])
    digests_late = sum(1 for k, d in weekly.items() if k.split(":")[1] != "pegawai" and max(d) > 0)
    return WeekFigures(
        emails=result["sent"] + result["unsent"],
        days=result["days"],
        received_weekly=len(weekly),
        twice=sum(1 for d in days_of.values() if len(d) > 1),
        given_up=result["unsent"],
        lost=max(0, result["sent"] - len(weekly)),
        digests_after_monday=digests_late,
        reminders_late=late,
        refusals=[arrived["refusals"].get(str(n), 0) for n in range(DAYS)],
        seconds=seconds,
        peak_mib=result["peak_mib"],
        load=result["load"],
    )


HEADING = "## A week of mail within the provider's limits (local SMTP server, simulated days)"


def section(fig: WeekFigures, alone: str = "") -> str:
    """The docs/benchmarks.md section; ``alone`` names the run when the section is written by itself."""
    from functions.rendering import DAYS as DAY_NAMES

    rows = []
    for n, d in enumerate(fig.days):
        kinds = d["by_kind"]
        due = d.get("reminders_due")
        sent = kinds.get("pengingat", 0)
        reminders = "–" if due is None else f"{sent:,} of {due:,} due ({due - sent:,} dropped at 18:00)"
        rows.append(
            f"| {DAY_NAMES[n]} {d['day']} | {kinds.get('atasan', 0):,} | {kinds.get('kepala_unit', 0):,} | "
            f"{kinds.get('pegawai', 0):,} | {reminders} | {d['by_account'].get('1', 0):,} / "
            f"{d['by_account'].get('2', 0):,} | {fig.refusals[n]} | {d['weekly_deferred']:,} | {d['seconds']:.0f} s |"
        )
    table = "\n".join(rows)
    return f"""{HEADING}
{alone}
`python -m benchmarks.mail_week` (also in `make bench`), in three processes: the city of `benchmarks/mail.py`
({mail.EMPLOYEES:,} employees, the derived sheets of {mail.WEEK.label}) in a fresh SQLite store; an aiosmtpd server
on a loopback port that holds each of two logins to {SERVER_LIMIT:,} messages a day and answers
`{QUOTA_REPLY}` past it; and the schedule, day by day with the runtime's clock at each moment: the weekly job at
06:00 every day, reports from nine in ten employees at 15:00 and the reminders at 16:00 on working days, the
reminders again at 18:00 (when they are dropped). Settings: two sending accounts, `KINERJA_MAIL_DAILY_LIMIT={LIMIT}`,
`KINERJA_MAIL_REMINDER_SHARE={SHARE}`; the server's {SERVER_LIMIT:,} is a little below, as when the provider counts
messages the application did not send, so its 550 answer is met on the way. Counts per day are Terkirim rows by
the day they were sent; "deferred" is what the weekly run left for the next day. Load average
{fig.load:.1f} when the run ended.

| day | team digests | unit head reports | staff summaries | reminders | account 1 / 2 | 550 answers | \
weekly deferred | time |
|---|---|---|---|---|---|---|---|---|
{table}

| figure | value | target |
|---|---|---|
| weekly emails of the week | {fig.emails:,}, received {fig.received_weekly:,} | all within seven days |
| received twice | {fig.twice} | none |
| unsent after seven days (given up) | {fig.given_up} | none |
| lost (in Terkirim, never received) | {fig.lost} | none |
| reminders sent at or after 18:00 | {sum(d.get("after_six", 0) for d in fig.days)} | none |
| digests and unit head reports after Monday | {fig.digests_after_monday} | none |
| reminders received on another day than their own | {fig.reminders_late} | none |
| time of the seven days | {fig.seconds:.0f} s | |
| peak memory of the schedule's process | {fig.peak_mib:.0f} MiB | |

While the week's mail is still waiting, reminders get only the share kept for them ({LIMIT * SHARE // 100} a working
day per account by our count; the provider's shorter day leaves {SERVER_LIMIT - LIMIT + LIMIT * SHARE // 100}), so
those beyond it are dropped at 18:00 rather than delay a summary; `python -m functions send --rencana` says what a
city's limits mean and what to change (here: a relay limit, or the staff summary on the page only).
"""


def main(argv: list[str]) -> None:
    if argv[:1] == ["smtp"]:
        serve_smtp(int(argv[1]))
    elif argv[:1] == ["week"]:
        print(json.dumps(week(Path(argv[1]), int(argv[2]))), flush=True)
    else:
        write(run())


def write(fig: WeekFigures) -> None:
    """Print the section and rewrite it alone in docs/benchmarks.md, naming this run."""
    from benchmarks.run import DOC, ROOT, machine
    from benchmarks.scoring import write_section

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    run_line = f"\nRun alone: {when}, commit {commit.strip() or '?'}, {machine()}; `python -m benchmarks.mail_week`.\n"
    text = section(fig, run_line)
    print(text)
    write_section(text, DOC, HEADING)
    print(f"Written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])

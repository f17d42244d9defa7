"""The Google Sheets benchmark: API requests per 1,000 submissions, and the weekly run against Google's quota.

``python -m benchmarks.sheets`` (part of ``make bench``) runs, each step in its own process:

1. **Submissions at the peak rate** (``requests_per_thousand``): 3,000 daily reports, one every 0.36 s of
   simulated time, through ``reports.submit`` into the spooled Google Sheets store, the scheduled flush at every
   simulated minute with the production policy (the harness of ``tests/store/test_quota_burst.py``); read and write
   requests counted by the Sheets API test server.
2. **The weekly run** on a synthetic city (``benchmarks.city``: 15,000 staff, reports from 35 days before the
   quarter up to the week, surveys, ratings, complaints), written into a Sheets API test server running in its own
   process, through the Google Sheets store with the quota lifted (not timed); the server then enforces Google's
   quota (60 reads and 60 writes a minute per user, 300 per project) and a fresh process does what Monday's
   scheduled functions do: ``compute_scores`` (``scoring.job.run``), ``send_weekly_reports``
   (``mail.jobs.weekly``, SMTP to a local aiosmtpd server) and the scheduled flush of the Terkirim rows the emails
   left in the spool. Requests, 429 answers and wall time are counted per step.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
WEEK = "2026-W48"  # the week Monday 30 November 2026 scores: Q4 to date, reports read from 27 August
RUN_AT = clock_time(5, 0)  # Cloud Scheduler calls compute_scores on Monday at 05:00 (functions/web/schedule.py)
SECRET = "kunci-rahasia-benchmark-sheets-0123456789abcdef"  # noqa: S105 (a benchmark's throwaway key)
UNLIMITED = 1_000_000_000
GOOGLE = {
    "read_per_minute_per_user": 60,
    "write_per_minute_per_user": 60,
    "read_per_minute_per_project": 300,
    "write_per_minute_per_project": 300,
}
TARGET_MINUTES = 15.0
TARGET_WRITES_PER_THOUSAND = 10.0


# -- step 2a: the city into the test server (not timed) -------------------------------------------------------------


def seed(url: str, employees: int) -> dict[str, Any]:
    """Write the synthetic city into the server: master sheets, the views (``init``), the intake of the window."""
    from benchmarks import city
    from functions import periods
    from functions.scoring.job import to_rows
    from functions.store.gsheets import GSheetsStore
    from functions.tools import sheets_init
    from tests.support.sheets_client import client

    week = periods.parse(WEEK)
    since, until = city.window(2026, periods.quarter(week.start).start, week.end)
    now = datetime.combine(week.end + timedelta(days=1), RUN_AT, tzinfo=city.WIB)
    began = time.perf_counter()
    town = city.generate(2026, employees, since=since, until=until, now=now)
    data = town.inputs
    generated = time.perf_counter() - began
    admin = client(url).create("Pantau Kinerja — Admin").id
    store = GSheetsStore(admin, api_url=url, deadline=600, cache_seconds=10**9)
    store.upsert_many(
        {
            "Unit": to_rows(data.unit, "Unit"),
            "Pegawai": to_rows(data.pegawai, "Pegawai"),
            "Target": to_rows(data.target, "Target"),
            "Cuti": to_rows(data.cuti, "Cuti"),
            "Layanan": to_rows(data.layanan, "Layanan"),
            "KatalogPelatihan": to_rows(data.katalog, "KatalogPelatihan"),
            "Pelatihan": to_rows(data.pelatihan, "Pelatihan"),
            "Konfigurasi": town.sheets.records("Konfigurasi"),
        }
    )
    sheets_init.init(store, month=f"{week.end:%Y-%m}", share=False)
    counts = {"Pegawai": len(data.pegawai), "Unit": len(data.unit), "Target": len(data.target)}
    for sheet, frame in (("Survei", data.survei), ("PenilaianPerilaku", data.perilaku)):
        rows = to_rows(frame, sheet)
        store.append(sheet, rows)
        counts[sheet] = len(rows)
    for sheet in ("Aduan", "AduanPeristiwa"):
        rows = town.sheets.records(sheet)
        store.append(sheet, rows)
        counts[sheet] = len(rows)
    reports = data.laporan.assign(tanggal=data.laporan["tanggal"].dt.date)
    counts["LaporanHarian"] = len(reports)
    for _day, rows in reports.groupby("tanggal", sort=True):  # a submission's rows share its day
        store.append("LaporanHarian", to_rows(rows, "LaporanHarian"))
    history = _history(store, week, data.pegawai)
    spreadsheets = len(store.catalog.registry().entries) + 1  # and the admin spreadsheet
    store.close()
    return {
        "admin": admin,
        "spreadsheets": spreadsheets,
        "counts": counts,
        "window": [since.isoformat(), until.isoformat()],
        "generate_seconds": generated,
        "seed_seconds": time.perf_counter() - began - generated,
        "history": history,
    }


HISTORY_WEEKS = 8  # the weeks a digest charts


def _history(store: Any, week: Any, pegawai: Any) -> dict[str, Any]:
    """What earlier Mondays left, so the run is a steady-state Monday and not the city's first: the week before
    scored for real (``job.run``: Skor and SkorUnit of the week, the month and the quarter, warnings, suggestions,
    the views), the weeks before that as copies of it under their own labels (the digests chart eight weeks),
    and last Monday's Terkirim rows (one per staff member)."""
    from datetime import time as clock

    from benchmarks.city import WIB
    from functions.scoring import job
    from functions.store import scheduled_job

    previous = week.previous()
    job.run(store, datetime.combine(previous.end + timedelta(days=1), RUN_AT, tzinfo=WIB), previous.label)
    scored = {name: store.records(name, where={"periode": previous.label}) for name in ("Skor", "SkorUnit")}
    labels = []
    with scheduled_job(store):
        earlier = previous
        for _ in range(HISTORY_WEEKS - 2):
            earlier = earlier.previous()
            labels.append(earlier.label)
            for name, rows in scored.items():
                moved = [
                    r
                    | {"id": earlier.label + r["id"][len(previous.label) :], "periode": earlier.label}
                    | ({"mulai": earlier.start, "selesai": earlier.end} if name == "Skor" else {})
                    for r in rows
                ]
                store.replace_period(name, earlier.label, moved)
    sent = datetime.combine(week.start, clock(6, 0), tzinfo=WIB)
    terkirim = [
        {
            "id": f"{previous.label}:pegawai:{nip}",
            "periode": previous.label,
            "jenis": "Ringkasan Pegawai",
            "nip": nip,
            "message_id": f"<{previous.label}.{nip}@kinerja.semarangkota.go.id>",
            "dikirim_pada": sent,
        }
        for nip in pegawai["nip"]
    ]
    store.append("Terkirim", terkirim)
    return {"scored": previous.label, "copied": labels, "terkirim": len(terkirim)}


# -- step 2b: Monday's scheduled functions against the quota (timed) ------------------------------------------------


STEPS = ("compute_scores", "send_weekly_reports", "flush_spool")


def weekly(url: str, admin: str, folder: Path, smtp_port: int, name: str) -> dict[str, Any]:
    """One of Monday's scheduled functions (``STEPS``), in this fresh process as in a cold Cloud Function instance:
    its wall time, requests, 429 answers, result and peak memory."""
    from benchmarks.city import WIB
    from functions import periods
    from functions.mail import jobs
    from functions.runtime import Runtime
    from functions.scoring import job
    from functions.settings import Settings
    from functions.store import flush
    from functions.store.spooled_store import SpooledStore

    settings = Settings(
        data_dir=folder,  # the spool file: shared by the steps, as Firestore is by the functions
        store="gsheets",
        sheets_admin_id=admin,
        sheets_api_url=url,
        spool="sqlite",
        secret_key=SECRET,
        base_url="https://kinerja.semarangkota.go.id",
        mail_from="Pantau Kinerja <kinerja@semarangkota.go.id>",
        mail_daily_limit=1_000_000,
        mail_transport="smtp",
        smtp_host="127.0.0.1",
        smtp_port=smtp_port,
        smtp_security="none",
    )
    week = periods.parse(WEEK)
    now = datetime.combine(week.end + timedelta(days=1), RUN_AT, tzinfo=WIB)
    runtime = Runtime.from_settings(settings)
    store = runtime.store
    assert isinstance(store, SpooledStore)
    began, counted = time.perf_counter(), _stats(url)
    if name == "compute_scores":
        result = job.run(store, now, week.label).as_dict()
    elif name == "send_weekly_reports":
        result = jobs.weekly(runtime, now, week.label).as_dict()
    else:
        result = flush.flush(store.spool, store.target, deadline=None).as_dict()
    seconds = time.perf_counter() - began
    after = _stats(url)
    store.close()
    return {
        "step": name,
        "seconds": seconds,
        "requests": _minus(after["requests"], counted["requests"]),
        "refused": _minus(after["refused"], counted["refused"]),
        "result": result,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _stats(url: str) -> dict[str, Any]:
    answer = requests.get(f"{url}/_control", timeout=60)
    answer.raise_for_status()
    stats: dict[str, Any] = answer.json()
    return stats


def _minus(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before.get(k, 0) for k in after}


# -- step 1: requests per 1,000 submissions ---------------------------------------------------------------------------


def requests_per_thousand(submissions: int = 3_000) -> dict[str, Any]:
    """The peak rate (one report every 0.36 s) for ``submissions`` reports, with both flush policies."""
    from functions.store import flush
    from tests.sheets_server import Clock, running_server
    from tests.store.test_quota_burst import build_city
    from tests.store.test_spool_faults import START

    out: dict[str, Any] = {"submissions": submissions}
    for name, policy in (("production", flush.Policy()), ("every_minute", flush.Policy(min_groups=1, max_wait=0))):
        fast = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 (see tests/store/test_quota_burst.py)
        with tempfile.TemporaryDirectory(dir=fast) as folder, running_server(clock=Clock(start=START)) as server:
            town = build_city(server, Path(folder))
            town.policy = policy
            town.submit(submissions, 0.36, random.Random(7))
            town.drain()
            stats = server.control.stats()
            out[name] = {
                "writes": stats["requests"]["write"],
                "reads": stats["requests"]["read"],
                "refused": sum(stats["refused"].values()),
                "flushes": sum(1 for f in town.flushes if f.appends),
                "writes_while_submitting": town.writes_while_submitting,
                "peak_writes_per_minute": stats["max_per_minute_per_user"]["write"],
            }
            town.store.close()
    return out


# -- the whole benchmark ------------------------------------------------------------------------------------------


@dataclass
class SheetsFigures:
    submissions: dict[str, Any]
    seeded: dict[str, Any]
    weekly: dict[str, Any]
    employees: int
    emails_received: int
    load: float
    when: str = ""  # when and at which commit it ran: this section may be rewritten alone
    commit: str = ""

    @property
    def minutes(self) -> float:
        return sum(s["seconds"] for s in self.weekly["steps"]) / 60

    def total(self, key: str, kind: str) -> int:
        return sum(int(s[key].get(kind, 0)) for s in self.weekly["steps"])


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.sheets", *args]


def _json_of(done: subprocess.CompletedProcess[str], what: str) -> dict[str, Any]:
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.sheets {what} failed:\n{done.stderr[-4000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def run(employees: int | None = None) -> SheetsFigures:
    from benchmarks.city_people import EMPLOYEES
    from tests.support.servers import free_port

    employees = employees or EMPLOYEES
    done = subprocess.run(_python("submissions"), cwd=ROOT, capture_output=True, text=True)
    submissions = _json_of(done, "submissions")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SHEETS_PORT": str(port)}
    log = tempfile.TemporaryFile()  # noqa: SIM115 (the server's request log, closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.sheets_server"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    smtp = subprocess.Popen(_python("smtp"), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        wait_for(url)
        assert smtp.stdout is not None and smtp.stdin is not None
        smtp_port = int(smtp.stdout.readline())
        limits = dict.fromkeys(GOOGLE, UNLIMITED)
        requests.post(f"{url}/_control", json={"limits": limits}, timeout=60).raise_for_status()
        seeded = _json_of(
            subprocess.run(_python("seed", url, str(employees)), cwd=ROOT, capture_output=True, text=True), "seed"
        )
        requests.post(f"{url}/_control", json={"limits": GOOGLE, "reset_counters": True}, timeout=60).raise_for_status()
        time.sleep(61 - time.time() % 60)  # start on a fresh quota minute, as a Monday morning would
        steps = []
        with tempfile.TemporaryDirectory() as folder:
            for name in STEPS:
                command = _python("weekly", url, seeded["admin"], folder, str(smtp_port), name)
                steps.append(_json_of(subprocess.run(command, cwd=ROOT, capture_output=True, text=True), name))
        weekly_figures = {"steps": steps, "server": _stats(url)}
        smtp.stdin.write("stop\n")
        smtp.stdin.flush()
        received = json.loads(smtp.stdout.readline())["received"]
    finally:
        for process in (server, smtp):
            if process.poll() is None:
                process.kill()
                process.wait()
        log.close()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    load = os.getloadavg()[0]
    return SheetsFigures(submissions, seeded, weekly_figures, employees, received, load, when, commit.strip())


def wait_for(url: str) -> None:
    """Until the test server at ``url`` answers (a minute at most)."""
    give_up = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{url}/_control", timeout=5).raise_for_status()
            return
        except requests.RequestException:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.2)


HEADING = "## Google Sheets: API requests and the weekly run against the quota"


def section(fig: SheetsFigures) -> str:
    sub, week, seeded = fig.submissions, fig.weekly, fig.seeded
    thousands = sub["submissions"] / 1000
    prod, every = sub["production"], sub["every_minute"]
    server = week["server"]
    peak, rolling = server["max_per_minute_per_user"], server["max_in_any_60_seconds_per_user"]
    counts = seeded["counts"]
    steps = "\n".join(
        f"| `{s['step']}` | {s['seconds']:.0f} s | {s['requests'].get('read', 0)} | {s['requests'].get('write', 0)} "
        f"| {s['requests'].get('drive', 0)} | {sum(s['refused'].values())} | {s.get('peak_mib', 0):,.0f} MiB "
        f"| {_result(s)} |"
        for s in week["steps"]
    )
    refused = fig.total("refused", "read") + fig.total("refused", "write")
    return f"""{HEADING}

`benchmarks/sheets.py` (`python -m benchmarks.sheets`, also part of `make bench`; this run {fig.when}, commit
{fig.commit or "?"}), every step in its own process, against the project's Sheets API test server
(`tests/sheets_server`) through the real gspread HTTP client and the Google Sheets store.

**Submissions at the peak rate.** {sub["submissions"]:,} daily reports, one every 0.36 s of simulated time (the
15:00-16:30 peak of 15,000 staff), each through `reports.submit` into the spooled Google Sheets store; the scheduled
flush runs at every simulated minute (the harness of `tests/store/test_quota_burst.py`, which asserts the same bounds).

| figure | production flush policy | a flush every minute | target |
|---|---|---|---|
| write requests per 1,000 submissions | {prod["writes"] / thousands:.1f} | {every["writes"] / thousands:.1f} \
| at most {TARGET_WRITES_PER_THOUSAND:.0f} |
| read requests per 1,000 submissions | {prod["reads"] / thousands:.1f} | {every["reads"] / thousands:.1f} | |
| flushes that appended | {prod["flushes"]} | {every["flushes"]} | |
| requests made while a person waited | {prod["writes_while_submitting"]} | {every["writes_while_submitting"]} | 0 |
| most writes in one minute | {prod["peak_writes_per_minute"]} | {every["peak_writes_per_minute"]} | at most 60 |
| 429 answers | {prod["refused"]} | {every["refused"]} | 0 |

**Monday's weekly run.** A synthetic city (`benchmarks.city`, seed 42) of {fig.employees:,} staff in
{counts["Unit"]} units, written into a test server in its own process through the Google Sheets store with the
quota lifted (not timed; {seeded["seed_seconds"]:.0f} s): the master sheets ({counts["Pegawai"]:,} Pegawai,
{counts["Target"]:,} Target), the views of every OPD (`init`), and the intake that the run reads, from
{seeded["window"][0]} to {seeded["window"][1]}: {counts["LaporanHarian"]:,} LaporanHarian rows (in
{seeded.get("spreadsheets", "several")} spreadsheets in all), {counts["Survei"]:,} Survei,
{counts["PenilaianPerilaku"]:,} PenilaianPerilaku, {counts["Aduan"]:,} Aduan with {counts["AduanPeristiwa"]:,}
events; and what earlier Mondays left: week {seeded["history"]["scored"]} scored for real (Skor and SkorUnit of the
week, month and quarter, warnings, suggestions, every OPD view), {len(seeded["history"]["copied"])} weeks before it
as copies under their own labels (a digest charts eight weeks) and {seeded["history"]["terkirim"]:,} Terkirim rows of
last Monday. The server then enforces Google's quota (60 read and 60 write requests a minute per user, 300 per
project, in clock minutes) and Monday's scheduled functions for week {WEEK} run one after the other, each in a
fresh process as in a cold Cloud Function instance: `compute_scores` (`scoring.job.run`), `send_weekly_reports`
(`mail.jobs.weekly`, SMTP to a local aiosmtpd server, which received {fig.emails_received:,} emails) and the
scheduled flush of the Terkirim rows the emails left in the spool (`flush.flush`).

| step | wall time | read requests | write requests | Drive requests | 429 answers | peak memory | what it did |
|---|---|---|---|---|---|---|---|
{steps}
| **the weekly run** | **{fig.minutes:.1f} min** (target: under {TARGET_MINUTES:.0f} min) \
| {fig.total("requests", "read")} | {fig.total("requests", "write")} | {fig.total("requests", "drive")} | {refused} \
| | |

Most requests in one clock minute: {peak["read"]} reads, {peak["write"]} writes (the quota: 60); in any 60
seconds {rolling["read"]} reads and {rolling["write"]} writes. A 429 answer is Google asking the client to wait:
the store's retry policy backs off (capped, jittered) and tries again within the job's 150-second deadline, so
those requests were delayed, not lost. Peak memory is each process's maximum RSS. Load average when the run
ended: {fig.load:.1f} (the jobs, the test server and the SMTP server share the 2 cores).

Why so few requests: each sheet is read once per job (one `values.get` of the whole table, or one
`values.batchGet` of a view's four derived sheets); each derived period is rewritten in one `batchUpdate`,
each OPD view once per job; the {fig.emails_received:,} Terkirim rows go through the spool and reach Sheets in
batches of 500 (here one flush after the emails; on Cloud Functions `flush_spool` runs every minute while they go
out, so a few more appends, each within the write quota). The test server answers from memory on loopback, so
Google's own time per request is not in these figures: every second Google takes per request adds
{_requests(fig) / 60:.1f} minutes to the run. The spool here is the SQLite file; on Cloud Functions each
Terkirim row is a Firestore commit, whose latency (not measured here) adds to the sending time. Nothing here was
run against Google.
"""


def _requests(fig: SheetsFigures) -> int:
    return sum(fig.total("requests", kind) for kind in ("read", "write", "drive"))


def _result(step: dict[str, Any]) -> str:
    r = step["result"]
    if step["step"] == "compute_scores":
        return f"scored {r['pegawai']:,} staff for {', '.join(r['periode'])}; {r['peringatan']:,} warnings"
    if step["step"] == "send_weekly_reports":
        return f"{r['terkirim']:,} emails sent, {len(r['gagal'])} failed"
    return f"{r['baris_ditambahkan']:,} Terkirim rows in {r['penambahan']} appends"


def main(argv: list[str]) -> None:
    if argv[:1] == ["smtp"]:
        from benchmarks.mail import serve_smtp

        serve_smtp()
    elif argv[:1] == ["submissions"]:
        print(json.dumps(requests_per_thousand()))
    elif argv[:1] == ["seed"]:
        print(json.dumps(seed(argv[1], int(argv[2]))))
    elif argv[:1] == ["weekly"]:
        print(json.dumps(weekly(argv[1], argv[2], Path(argv[3]), int(argv[4]), argv[5]), default=str))
    else:
        if argv[:1] == ["doc"]:  # write the section from figures saved by an earlier run
            figures = SheetsFigures(**json.loads(Path(argv[1]).read_text(encoding="utf-8")))
        else:
            figures = run(int(argv[0]) if argv else None)
            print(json.dumps(vars(figures), default=str))
        from benchmarks.scoring import write_section

        write_section(section(figures), heading=HEADING)
        print(f"Written to docs/benchmarks.md ({HEADING[3:]})")


if __name__ == "__main__":
    main(sys.argv[1:])

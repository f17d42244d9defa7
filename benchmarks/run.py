"""``make bench``: run the benchmarks and write their figures to docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path

from benchmarks import ikm, mail, mail_week, peak, photos, scoring, sheets, submit, survey, transparency

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {system}, Python {platform.python_version()}"


def main() -> None:
    print("Import time of the submit path ...", flush=True)
    seconds, pandas = submit.import_time()
    print(f"  {seconds:.3f} s, pandas imported: {pandas}")
    print(f"POST submit_report, {submit.CLIENTS} clients x {submit.PER_CLIENT} submissions ...", flush=True)
    fig = submit.run()
    print(
        f"  {fig.per_second:.0f}/s, p50 {fig.p50_ms:.1f} ms, p99 {fig.p99_ms:.1f} ms, stored {fig.stored}, "
        f"failures {fig.failures}"
    )
    print(f"POST submit_survey, {submit.CLIENTS} clients x {submit.PER_CLIENT} submissions ...", flush=True)
    sfig = survey.run()
    print(
        f"  {sfig.per_second:.0f}/s, p50 {sfig.p50_ms:.1f} ms, p99 {sfig.p99_ms:.1f} ms, stored {sfig.stored}, "
        f"failures {sfig.failures}"
    )
    print("IKM of 300,000 survey rows across 500 services ...", flush=True)
    ifig = ikm.run()
    print(f"  {ifig['seconds']:.3f} s for {ifig['groups']} groups (best of {ikm.RUNS})")
    print(f"Weekly emails of {mail.EMPLOYEES:,} employees to a local SMTP server ...", flush=True)
    mfig = mail.run()
    print(
        f"  {mfig.emails} emails in {mfig.seconds:.0f} s, {mfig.per_second:.0f}/s, peak {mfig.peak_mib:.0f} MiB, "
        f"received {mfig.received}, {mfig.duplicates} twice"
    )
    print(f"A week of mail for {mail.EMPLOYEES:,} employees within per-account daily limits ...", flush=True)
    wfig = mail_week.run()
    print(
        f"  {wfig.received_weekly} of {wfig.emails} weekly emails received, {wfig.twice} twice, {wfig.lost} lost, "
        f"{wfig.digests_after_monday} digests after Monday, {wfig.reminders_late} reminders late"
    )
    print("Scoring a synthetic city: a weekly run, a full-year recompute, the per-employee loop ...", flush=True)
    scores = scoring.run()
    week, year = scores["week"], scores["year"]
    print(
        f"  week {week['seconds']:.1f} s, loop {week['loop']['estimate']:.0f} s (estimate), "
        f"year {max(p['seconds'] for p in year['parts']):.0f} s on 2 processes, "
        f"peak {week['peak'] / 2**30:.2f} GiB and {sum(p['peak'] for p in year['parts']) / 2**30:.2f} GiB"
    )
    print(f"Google Sheets: requests per 1,000 submissions, the weekly run of {sheets.WEEK} ...", flush=True)
    shfig = sheets.run()
    print(
        f"  weekly run {shfig.minutes:.1f} min, {shfig.total('requests', 'read')} reads, "
        f"{shfig.total('requests', 'write')} writes; "
        f"{shfig.submissions['production']['writes'] * 1000 / shfig.submissions['submissions']:.1f} writes per 1,000 "
        "submissions"
    )
    print("The transparency page: publishing a city's quarter, page views ...", flush=True)
    tfig = transparency.run()
    print(f"  publish {tfig.publish_s:.1f} s, page view p50 {tfig.view_p50_ms:.1f} ms")
    print(f"A report with {photos.PHOTOS} photos over slow 3G, with and without the phone's resize ...", flush=True)
    pfig = photos.run()
    for v in pfig:
        print(f"  {v.name} resize: body {v.body_bytes / 1e6:.2f} MB, sent in {v.send_seconds:.1f} s")
    print("The afternoon peak of 15,000 staff on 1, 10 and 30 instances (Sheets quota, Google-like latency) ...")
    kfig = peak.run(quick=False, staff=15_000)
    print(
        "  "
        + "; ".join(
            f"{p['instances']} instances: {p['pages']:,} pages, {p['failures']} failures, p95 {p['p95_s']:.2f} s, "
            f"{p['sheets_reads_per_minute_max']} Sheets reads a minute at most"
            for p in kfig["plays"]
        )
    )
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(
        f"""# Benchmarks

Written by `make bench` (`python -m benchmarks.run`); numbers from one run, not a timed test. A section that
names its own run and commit was rewritten alone later by its benchmark's command.

- When: {datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}, commit {commit.strip() or "?"}
- Machine: {machine()}
- Command: `make bench`

## Submitting a daily report (local server, SQLite)

`python -m functions serve` with the demo city on a fresh data folder; {submit.CLIENTS} concurrent clients on
keep-alive connections, {submit.PER_CLIENT} submissions each, one activity per submission, every one with its own
submission id. Client and server share the machine's cores.

| figure | value | target |
|---|---|---|
| submissions | {fig.submissions} | |
| answered 200 and stored once | {fig.stored} stored, {fig.failures} failures | all |
| throughput | {fig.per_second:.0f} submissions/s | at least 300/s |
| latency p50 | {fig.p50_ms:.1f} ms | |
| latency p99 | {fig.p99_ms:.1f} ms | |

## Cold start of the submit path

Median of 7 fresh interpreters importing `main` and `functions.web.staff.report_page`:

| figure | value | target |
|---|---|---|
| import time | {seconds:.3f} s | under 0.5 s |
| pandas imported | {"yes" if pandas else "no"} | no |

## Submitting a satisfaction survey (local server, SQLite)

The same server and demo city, started with `KINERJA_RATE_LIMIT={survey.RATE_LIMIT}` (the default limit of a few
posts per minute per address would refuse a benchmark that posts from one address); {submit.CLIENTS} concurrent
clients, {submit.PER_CLIENT} submissions each, spread over the demo's services, one in five naming a staff member.

| figure | value | target |
|---|---|---|
| submissions | {sfig.submissions} | |
| answered 200 and stored once | {sfig.stored} stored, {sfig.failures} failures | all |
| throughput | {sfig.per_second:.0f} submissions/s | at least 300/s |
| latency p50 | {sfig.p50_ms:.1f} ms | |
| latency p99 | {sfig.p99_ms:.1f} ms | |

## IKM of a large Survei sheet

`functions.citizens.ikm.compute` by unit and service on a synthetic frame (`numpy.random.default_rng(42)`): answers 1-4
leaning to 3, about 5% unanswered; best of {ikm.RUNS} runs.

| figure | value | target |
|---|---|---|
| survey rows | {ifig["rows"]:,} | |
| services | {ifig["services"]} ({ifig["groups"]} unit and service groups) | |
| time | {ifig["seconds"]:.3f} s | |

{mail_section(mfig)}
{mail_week.section(wfig)}
{scoring.section(scores)}
{sheets.section(shfig)}
{transparency.section(tfig)}
{photos.section(pfig)}
{peak.section(kfig)}""",
        encoding="utf-8",
    )
    print(f"Written to {DOC.relative_to(ROOT)}")


def mail_section(fig: mail.MailFigures) -> str:
    kinds = fig.by_kind
    return f"""## Weekly emails of the city (local SMTP server)

`benchmarks/mail.py`, in three processes. A synthetic city (`random.Random(42)`) of {fig.employees:,} employees
in {fig.heads} units, each with a head, {fig.supervisors:,} supervisors with teams of about eight, written to a
fresh SQLite store with the derived sheets of week {mail.WEEK.label}: {mail.WEEKS} weeks of Skor and the month's,
SkorUnit, Peringatan, SaranPelatihan, and activities waiting for verification. An aiosmtpd server on a loopback
port in its own process, counting what it accepts by `X-Kinerja-Kunci`. The timed process does what
`send_weekly_reports` does with `KINERJA_MAIL_TRANSPORT=smtp`: plan the week (`compose.plan_weekly`, each sheet
read once), then render each email (text, HTML, and the team chart of each supervisor digest), deliver it over
one SMTP connection and record it in Terkirim (`sender.send`). Peak memory is the timed process's maximum RSS.
Client and server share the machine's cores (load average {fig.load:.1f} when the run ended).

| figure | value | target |
|---|---|---|
| emails | {fig.emails:,}: {kinds.get("pegawai", 0):,} staff summaries, {kinds.get("atasan", 0):,} team digests, \
{kinds.get("kepala_unit", 0):,} unit head reports | |
| received by the server | {fig.received:,}, {fig.duplicates} twice; {fig.terkirim:,} Terkirim rows | each once |
| time | {fig.seconds:.0f} s (planning {fig.plan_seconds:.1f} s, rendering and delivering {fig.send_seconds:.0f} s) \
| under 5 minutes on 2 cores |
| throughput | {fig.per_second:.0f} emails/s | |
| peak memory | {fig.peak_mib:.0f} MiB | |
| run again (all in Terkirim) | {fig.rerun_seconds:.1f} s, {fig.rerun_sent} sent | nothing sent |

Each email is rendered only when it is about to be sent and dropped once it is, so memory does not grow with
the city, and a run again, or one stopped by the daily limit, renders nothing it does not send. The team charts
share one matplotlib figure whose axes are drawn once per set of weeks; each chart draws only its lines and
legend.
"""


if __name__ == "__main__":
    main()

"""The scheduled HTTP functions for Cloud Scheduler, JSON in and JSON out: ``compute_scores``,
``send_weekly_reports``, ``send_reminders``, ``flush_spool`` and ``refresh_read_model``.

Each checks the scheduler's OIDC token first (``oidc.require_scheduler``; locally too, where the scheduler runs the
jobs in-process and an HTTP call is refused), then runs its job. ``compute_scores`` with ``?periode=2026-W48``
scores that week, without it the last complete week; the mail jobs take ``?periode=`` and ``?uji_coba=1``. A
``periode`` before :data:`FIRST_YEAR` or after next year is refused (400) before any work. Every job may be called
again: it rewrites the same rows or sends nothing twice. GET and POST run the job; HEAD does not (405).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from flask import Request, Response

from functions import periods
from functions.errors import Forbidden, KinerjaError, ValidationError
from functions.runtime import Runtime
from functions.web import headers, oidc

log = logging.getLogger(__name__)


# The programme's data starts in 2020; a later label than next year is a typo. Either would write (or mail) a period
# that never was, for every employee.
FIRST_YEAR = 2020


def _json(body: dict[str, object], status: int = 200) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    if status == 405:
        response.headers["Allow"] = "GET, POST"
    return headers.protect(response)


def _periode(request: Request, runtime: Runtime) -> str | None:
    """The ``periode`` asked for; a ValidationError naming it when it is a period outside the programme's years
    (one that is no period at all is left to the job, which says what it wants)."""
    label = request.args.get("periode") or None
    if label is None:
        return None
    try:
        period = periods.parse(label)
    except ValidationError:
        return label
    latest = runtime.today().year + 1
    if not FIRST_YEAR <= int(period.label[:4]) <= latest:
        example = periods.last_complete_week(runtime.today()).label
        message = f"Periode: {period.label} di luar rentang; tulis minggu dari tahun {FIRST_YEAR} sampai {latest}, "
        raise ValidationError({"periode": message + f"misalnya {example}."})
    return label


Job = Callable[[], Response]


def _scheduled(request: Request, runtime: Runtime, function: str, job: Job, failed: str) -> Response:
    """One scheduled call: the scheduler's token, the method, then the job; a KinerjaError answers with its status
    and fields, anything else 500 with ``failed`` (the job is safe to run again) and the trace in the log."""
    try:
        oidc.require_scheduler(request, runtime, function)
    except Forbidden as err:
        return _json({"galat": err.message}, err.status)
    if request.method not in ("GET", "POST"):
        return _json({"galat": "Metode permintaan tidak didukung; pakai GET atau POST."}, 405)
    try:
        return job()
    except KinerjaError as err:
        body: dict[str, object] = {"galat": err.message}
        fields = getattr(err, "fields", None)
        if fields:
            body["isian"] = fields
        return _json(body, err.status)
    except Exception:
        log.exception("%s failed", function)
        return _json({"galat": failed}, 500)


def compute_scores(request: Request, runtime: Runtime) -> Response:
    def job() -> Response:
        from functions.scoring import job as scoring

        summary = scoring.run(runtime.store, runtime.now(), _periode(request, runtime))
        return _json({"status": "selesai", **summary.as_dict()})

    failed = "Perhitungan skor gagal; lihat log lalu jalankan ulang (aman diulang)."
    return _scheduled(request, runtime, "compute_scores", job, failed)


def send_weekly_reports(request: Request, runtime: Runtime) -> Response:
    return _mail(request, runtime, weekly=True)


def send_reminders(request: Request, runtime: Runtime) -> Response:
    return _mail(request, runtime, weekly=False)


def _mail(request: Request, runtime: Runtime, weekly: bool) -> Response:
    def job() -> Response:
        from functions.mail import jobs

        dry_run = request.args.get("uji_coba", "") in ("1", "ya", "true")
        if weekly:
            report = jobs.weekly(runtime, runtime.now(), _periode(request, runtime), dry_run)
        else:
            report = jobs.reminders(runtime, runtime.now(), dry_run)
        status = 200 if not report.failed else 207
        summary = report.summary() if weekly else report.summary(jobs.REMINDERS_DEFERRED)
        return _json({"status": "selesai", "ringkasan": summary, **report.as_dict()}, status)

    function = "send_weekly_reports" if weekly else "send_reminders"
    failed = "Pengiriman email gagal; lihat log lalu jalankan ulang (aman diulang)."
    return _scheduled(request, runtime, function, job, failed)


def flush_spool(request: Request, runtime: Runtime) -> Response:
    """200 with the counts, 503 when Google kept refusing (retried next run)."""

    def job() -> Response:
        from functions.store.flush import UNAVAILABLE, Policy
        from functions.store.spooled_store import run_flush

        report = run_flush(runtime.store, Policy.from_settings(runtime.settings))
        if report is None:
            return _json({"status": "selesai", "hasil": "tidak ada antrean: penyimpanan ini menulis langsung"})
        status = 503 if report.stopped == UNAVAILABLE else 200
        return _json({"status": "selesai" if status == 200 else "tertunda", **report.as_dict()}, status)

    failed = "Penyimpanan antrean gagal; lihat log. Kiriman tetap aman di antrean."
    return _scheduled(request, runtime, "flush_spool", job, failed)


def refresh_read_model(request: Request, runtime: Runtime) -> Response:
    """The read model brought in line with the sheets (``functions.readmodel.refresh``); 503 when Google or
    Firestore kept refusing (the next run catches up)."""

    def job() -> Response:
        from functions.readmodel.store import run_refresh

        report = run_refresh(runtime.store, runtime.today())
        if report is None:
            return _json({"status": "selesai", "hasil": "tidak ada salinan baca: halaman membaca penyimpanan langsung"})
        return _json({"status": "selesai", "ringkasan": report.summary(), **report.as_dict()})

    failed = "Pembaruan salinan baca gagal; lihat log. Putaran berikutnya (tiap menit) mengejar ketinggalan."
    return _scheduled(request, runtime, "refresh_read_model", job, failed)

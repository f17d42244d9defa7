"""HTTP functions for Cloud Scheduler: ``send_weekly_reports`` and ``send_reminders`` (JSON)."""

from __future__ import annotations

import json
import logging

from flask import Request, Response

from functions import oidc
from functions.errors import Forbidden, KinerjaError
from functions.runtime import Runtime

log = logging.getLogger(__name__)


def _json(body: dict[str, object], status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def handle_weekly(request: Request, runtime: Runtime) -> Response:
    return _handle(request, runtime, weekly=True)


def handle_reminders(request: Request, runtime: Runtime) -> Response:
    return _handle(request, runtime, weekly=False)


def _handle(request: Request, runtime: Runtime, weekly: bool) -> Response:
    try:
        oidc.require_scheduler(request, runtime, "send_weekly_reports" if weekly else "send_reminders")
    except Forbidden as err:
        return _json({"galat": err.message}, err.status)
    if request.method not in ("GET", "POST"):
        return _json({"galat": "Metode permintaan tidak didukung; pakai GET atau POST."}, 405)
    from functions.mail import jobs

    dry_run = request.args.get("uji_coba", "") in ("1", "ya", "true")
    try:
        if weekly:
            report = jobs.weekly(runtime, runtime.now(), request.args.get("periode") or None, dry_run)
        else:
            report = jobs.reminders(runtime, runtime.now(), dry_run)
    except KinerjaError as err:
        body: dict[str, object] = {"galat": err.message}
        fields = getattr(err, "fields", None)
        if fields:
            body["isian"] = fields
        return _json(body, err.status)
    except Exception:
        log.exception("mail job failed")
        return _json({"galat": "Pengiriman email gagal; lihat log lalu jalankan ulang (aman diulang)."}, 500)
    status = 200 if not report.failed else 207
    return _json({"status": "selesai", "ringkasan": report.summary(), **report.as_dict()}, status)

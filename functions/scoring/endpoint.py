"""The ``compute_scores`` HTTP function for Cloud Scheduler: JSON in, JSON out.

``?periode=2026-W48`` scores that week; without it, the last complete week. Calling it
again for the same week rewrites the same rows.
"""

from __future__ import annotations

import json
import logging

from flask import Request, Response

from functions import oidc
from functions.errors import Forbidden, KinerjaError, ValidationError
from functions.runtime import Runtime

log = logging.getLogger(__name__)


def _json(body: dict[str, object], status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def handle(request: Request, runtime: Runtime) -> Response:
    try:
        oidc.require_scheduler(request, runtime, "compute_scores")
    except Forbidden as err:
        return _json({"galat": err.message}, err.status)
    if request.method not in ("GET", "POST"):
        return _json({"galat": "Metode permintaan tidak didukung; pakai GET atau POST."}, 405)
    from functions.scoring import job

    label = request.args.get("periode") or None
    try:
        summary = job.run(runtime.store, runtime.now(), label)
    except ValidationError as err:
        return _json({"galat": err.message, "isian": err.fields}, err.status)
    except KinerjaError as err:
        return _json({"galat": err.message}, err.status)
    except Exception:
        log.exception("compute_scores failed")
        return _json({"galat": "Perhitungan skor gagal; lihat log lalu jalankan ulang (aman diulang)."}, 500)
    return _json({"status": "selesai", **summary.as_dict()})

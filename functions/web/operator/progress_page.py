"""The console's "Impor progres e-Kinerja" (``?bagian=progres``): column mappings, an upload, its preview, the confirm.

A mapping (``aksi=pemetaan``, a plain form) is saved in PemetaanImpor: the file's column for each field, the date
format and the status that means approved (``functions.staff.progress_import``). An upload (multipart to
``?bagian=progres``, ``aksi=pratinjau``, with the mapping chosen) is previewed under that mapping: the first rows as
read, and per row new, already there ("sudah ada") or refused with the reason. The confirm (``aksi=simpan``) works
as the master-data import's (``import_page``): the file comes back packed beside a signed token holding its digest,
the mapping and the preview's fingerprint; it is previewed again and written only when the outcome is the one shown.
An OPD operator imports only their units' people.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from flask import Request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from functions import schema
from functions.errors import BadRequest, Forbidden, KinerjaError, ValidationError
from functions.runtime import Runtime
from functions.staff import import_reading, operators, progress_import
from functions.staff.progress_import import ProgressPreview
from functions.store import Row
from functions.web import upload
from functions.web.operator import import_page, session

log = logging.getLogger(__name__)
SALT = "pantau-kinerja/impor-progres"
FIELD, LABEL = "berkas", "Berkas progres harian"
SHOWN = 200
SAME = "Semua baris berkas ini sudah ada; tidak ada yang perlu disimpan."


def context(runtime: Runtime, chosen: str = "") -> dict[str, Any]:
    """What the section shows before any upload: the mappings, the form of the one chosen (or a new one)."""
    found = progress_import.mappings(runtime.store)
    spec = schema.sheet(progress_import.SHEET)
    edited = found.get(chosen) if chosen and chosen != progress_import.DEFAULT_NAME else None
    typed = {k: "" if v is None else str(v) for k, v in (edited or progress_import.DEFAULT).items()}
    if edited is None:
        typed["nama"] = ""
    return {
        "mappings": list(found.values()),
        "mapping_fields": [spec.column(k) for k in ("nama", *progress_import.FIELDS, "status_disetujui")],
        "date_formats": list(progress_import.DATE_FORMATS),
        "mapping_typed": typed,
        "mapping_errors": {},
        "mapping_chosen": chosen or progress_import.DEFAULT_NAME,
        "limit_mb": upload.FILE_MAX_MB,
        "progress": None,
        "progress_confirm": None,
        "progress_message": "",
        "progress_error": "",
        "progress_stale": "",
    }


def save(runtime: Runtime, employee: Row, form: dict[str, str]) -> tuple[dict[str, Any], int]:
    """Save a mapping typed in the console; a refusal keeps what was typed and names each field."""
    page = context(runtime)
    try:
        saved = progress_import.save_mapping(runtime.store, form, employee["nip"], runtime.now())
    except ValidationError as err:
        typed = {k: form.get(k, "") for k in page["mapping_typed"]}
        return page | {"mapping_typed": typed, "mapping_errors": err.fields}, 400
    return context(runtime, saved["nama"]) | {"progress_message": f"Pemetaan {saved['nama']} tersimpan."}, 200


def post(request: Request, runtime: Runtime, employee: Row, operator: operators.Operator) -> tuple[dict[str, Any], int]:
    """Preview an upload or confirm a preview: the section's context and the status to answer with."""
    page = context(runtime)
    try:
        return _post(request, runtime, employee, operator, page)
    except Forbidden:
        raise
    except KinerjaError as err:
        return page | {"progress_error": err.message}, err.status


def _post(
    request: Request, runtime: Runtime, employee: Row, operator: operators.Operator, page: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    sent = upload.read_upload(request, runtime.settings.secret_key, label=LABEL, field=FIELD)
    action = sent.fields.get("aksi", "")
    if action == "pratinjau":
        chosen = sent.fields.get("pemetaan", "")
        page["mapping_chosen"] = chosen  # kept on the form when the upload is refused
        file = sent.files.get(FIELD)
        if file is None or not file.filename:
            raise BadRequest(f"Pilih berkas CSV atau XLSX (isian {FIELD}) ekspor progres harian e-Kinerja.")
        plan = _preview(runtime, operator, file.filename, file.data, chosen)
        log.info("progress import previewed: %s", _counts(plan))
        return page | _shown(runtime, employee, plan, file.filename, file.data), 200
    if action == "simpan":
        return _confirm(runtime, employee, operator, sent.fields, page)
    raise BadRequest("Tindakan (isian aksi) tidak dikenal. Muat ulang konsol, lalu coba lagi.")


def _confirm(
    runtime: Runtime, employee: Row, operator: operators.Operator, fields: dict[str, str], page: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    try:
        signed = _serializer(runtime).loads(fields.get("tanda", ""), max_age=session.MAX_AGE)
    except (BadSignature, SignatureExpired):
        return page | {"progress_error": import_page.EXPIRED}, 400
    if not isinstance(signed, dict) or signed.get("nip") != employee["nip"]:
        return page | {"progress_error": import_page.EXPIRED}, 400
    filename, chosen = str(signed.get("berkas", "")), str(signed.get("pemetaan", ""))
    data = import_page.unpack(fields.get("isi", ""))
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(signed.get("sha256", ""))):
        return page | {"progress_error": "Berkas yang dikirim berbeda dari yang dipratinjau. Unggah lagi."}, 400
    plan = _preview(runtime, operator, filename, data, chosen)
    shown = _shown(runtime, employee, plan, filename, data)
    if plan.ok and plan.pending == 0:
        return page | shown | {"progress_message": SAME}, 200
    if plan.fingerprint != signed.get("rencana"):
        log.info("progress import not applied: the preview changed since it was shown")
        return page | shown | {"progress_stale": import_page.STALE}, 409
    result = progress_import.apply(runtime.store, plan)
    log.info("progress import applied: %s", _counts(plan))
    text = f"Tersimpan dari {filename}: {result.inserted} kegiatan baru dari e-Kinerja; "
    if result.approved:
        text += f"{result.approved} kegiatan kini Disetujui sesuai e-Kinerja; "
    text += f"{plan.count(progress_import.EXISTS)} sudah ada."
    return page | {"progress_message": text}, 200


def _preview(
    runtime: Runtime, operator: operators.Operator, filename: str, data: bytes, chosen: str
) -> ProgressPreview:
    found = progress_import.mappings(runtime.store)
    if chosen not in found:
        raise BadRequest("Pemetaan (isian pemetaan) tidak dikenal; pilih dari daftar.")
    grid = import_reading.read_grid(filename, data)
    units = None if operator.units is None else set(operator.units)
    return progress_import.preview(runtime.store, grid, found[chosen], units, runtime.now())


def _shown(runtime: Runtime, employee: Row, plan: ProgressPreview, filename: str, data: bytes) -> dict[str, Any]:
    confirm = None
    if plan.ok and plan.pending:
        token = _serializer(runtime).dumps(
            {
                "nip": employee["nip"],
                "sha256": hashlib.sha256(data).hexdigest(),
                "berkas": filename,
                "pemetaan": plan.mapping,
                "rencana": plan.fingerprint,
            }
        )
        confirm = {"tanda": token, "isi": import_page.pack(data)}
    shown = {
        "filename": filename,
        "mapping": plan.mapping,
        "rows": plan.rows[:SHOWN],
        "more": max(0, len(plan.rows) - SHOWN),
        "refused": plan.of(progress_import.REFUSED)[:SHOWN],
        "counts": {status: plan.count(status) for status in progress_import.STATUSES},
        "notes": plan.notes,
        "warnings": plan.warnings,
        "ok": plan.ok,
        "pending": plan.pending,
    }
    return {"progress": shown, "progress_confirm": confirm, "mapping_chosen": plan.mapping}


def _serializer(runtime: Runtime) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(runtime.settings.secret_key, salt=SALT)


def _counts(plan: ProgressPreview) -> str:
    return " ".join(f"{status.replace(' ', '_')}={plan.count(status)}" for status in progress_import.STATUSES)

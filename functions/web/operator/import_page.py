"""The console's "Impor data" (``?bagian=impor``): templates to download, an upload, its preview, the confirm.

The upload (``aksi=pratinjau``, multipart, one CSV or XLSX file of at most ``upload.FILE_MAX_BYTES``) is previewed
against the store with ``staff.importer.preview``: per sheet the rows that would be new, changed (old -> new),
unchanged and refused (why). Nothing is written. The preview page carries the file back in its confirm form
(``aksi=simpan``), compressed and base64-encoded, beside a token signed with the secret key that holds the file's
SHA-256, its name, the sheet chosen, the operator's NIP and the preview's fingerprint. The confirm checks the token
and the digest, previews again against the store as it is then, and writes only when the outcome is the one shown;
otherwise it shows the new preview and writes nothing. Nothing is kept on the server between the two steps, so any
instance of a Cloud Function can take the confirm, and the browser cannot change what was previewed.

The kind "SKP e-Kinerja" (``lembar=SKP e-Kinerja``) reads an SKP exported from e-Kinerja BKN or SIASN instead of a
master sheet (``staff.ekinerja``) and goes through the same preview and confirm into the Target sheet.

A BKPP operator imports every sheet for the whole city. An OPD operator imports Pegawai, Target and Layanan of
their OPD's units only: other rows, Unit, HariLibur and changes of Peran Operator are refused with the reason.
``?bagian=impor&templat=<Lembar>&format=csv|xlsx`` downloads an empty file with the sheet's Indonesian headers.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import logging
import zlib
from typing import Any

from flask import Request, Response
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from functions import schema
from functions.errors import BadRequest, Forbidden, KinerjaError
from functions.runtime import Runtime
from functions.staff import ekinerja, importer, operators
from functions.staff.importer import Preview
from functions.store import Row
from functions.web import upload
from functions.web.operator import export, session

log = logging.getLogger(__name__)
SALT = "pantau-kinerja/impor"
FIELD, LABEL = "berkas", "Berkas impor"
CHOICE = "pilih lembarnya di kolom Lembar pada formulir"
FORMATS = {"csv": (export.to_csv, export.CSV_TYPE), "xlsx": (export.to_xlsx, export.XLSX_TYPE)}
SHOWN = 200  # rows listed per table of a preview
CITY_ONLY = {"Unit", "HariLibur"}
EXPIRED = "Pratinjau ini sudah kedaluwarsa atau bukan milik sesi Anda. Unggah berkasnya lagi untuk pratinjau baru."
STALE = (
    "Data tersimpan berubah sejak pratinjau tadi, sehingga hasil impor berbeda dari yang Anda lihat. Belum ada yang "
    "disimpan: periksa pratinjau baru di bawah ini, lalu tekan Simpan lagi."
)
SAME = "Semua baris berkas ini sudah sama dengan data tersimpan; tidak ada yang perlu disimpan."


def context(operator: operators.Operator) -> dict[str, Any]:
    """What the section shows before any upload: the form, the limit, the operator's scope, the templates."""
    sheets = []
    for name in importer.SHEETS:
        spec = schema.sheet(name)
        columns = [c.header + (" (wajib)" if c.required else "") for c in spec.columns]
        allowed = operator.city_wide or name not in CITY_ONLY
        sheets.append({"name": name, "title": spec.title, "columns": ", ".join(columns), "allowed": allowed})
    return {
        "import_sheets": sheets,
        "ekinerja_kind": ekinerja.KIND,
        "limit_mb": upload.FILE_MAX_MB,
        "chosen": "",
        "preview": None,
        "confirm": None,
        "import_message": "",
        "import_error": "",
        "import_stale": "",
    }


def template(name: str, fmt: str) -> Response:
    """An empty CSV or XLSX with a sheet's Indonesian headers, named so that the import recognises it."""
    if name not in importer.SHEETS:
        raise BadRequest("Templat (isian templat) tidak dikenal: pilih Unit, Pegawai, Target, Layanan atau HariLibur.")
    if fmt not in FORMATS:
        raise BadRequest("Format templat (isian format) harus csv atau xlsx.")
    build, content_type = FORMATS[fmt]
    spec = schema.sheet(name)
    data = build(spec, [])
    if fmt == "xlsx":
        data = _nip_as_text(data, spec)
    return Response(
        data,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{name.lower()}.{fmt}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def post(request: Request, runtime: Runtime, employee: Row, operator: operators.Operator) -> tuple[dict[str, Any], int]:
    """Preview an upload or confirm a preview: the section's context and the status to answer with. A refusal is
    shown on the section itself, above the form; only a CSRF failure gets the error page, as every form's does."""
    page = context(operator)
    try:
        return _post(request, runtime, employee, operator, page)
    except Forbidden:
        raise
    except KinerjaError as err:
        return page | {"import_error": err.message}, err.status


def _post(
    request: Request, runtime: Runtime, employee: Row, operator: operators.Operator, page: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    sent = upload.read_upload(request, runtime.settings.secret_key, label=LABEL, field=FIELD)
    action = sent.fields.get("aksi", "")
    chosen = sent.fields.get("lembar", "")
    if chosen and chosen not in importer.SHEETS and chosen != ekinerja.KIND:
        raise BadRequest("Lembar (isian lembar) tidak dikenal; pilih dari daftar.")
    if action == "pratinjau":
        file = sent.files.get(FIELD)
        if file is None or not file.filename:
            raise BadRequest(f"Pilih berkas CSV atau XLSX (isian {FIELD}) yang akan diimpor.")
        plan = _preview(runtime, operator, file.filename, file.data, chosen)
        log.info("import previewed: %s", _counts(plan))
        return page | _shown(runtime, employee, plan, file.filename, file.data, chosen), 200
    if action == "simpan":
        return _confirm(runtime, employee, operator, sent.fields, page)
    raise BadRequest("Tindakan (isian aksi) tidak dikenal. Muat ulang konsol, lalu coba lagi.")


def _confirm(
    runtime: Runtime, employee: Row, operator: operators.Operator, fields: dict[str, str], page: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    try:
        signed = _serializer(runtime).loads(fields.get("tanda", ""), max_age=session.MAX_AGE)
    except (BadSignature, SignatureExpired):
        return page | {"import_error": EXPIRED}, 400
    if not isinstance(signed, dict) or signed.get("nip") != employee["nip"]:
        return page | {"import_error": EXPIRED}, 400
    filename, chosen = str(signed.get("berkas", "")), str(signed.get("lembar", ""))
    data = unpack(fields.get("isi", ""))
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), str(signed.get("sha256", ""))):
        return page | {"import_error": "Berkas yang dikirim berbeda dari yang dipratinjau. Unggah berkasnya lagi."}, 400
    plan = _preview(runtime, operator, filename, data, chosen)
    shown = _shown(runtime, employee, plan, filename, data, chosen)
    if plan.ok and plan.pending == 0:
        return page | shown | {"import_message": SAME}, 200
    if plan.fingerprint != signed.get("rencana"):
        log.info("import not applied: the preview changed since it was shown")
        return page | shown | {"import_stale": STALE}, 409
    results = importer.apply(runtime.store, plan)
    log.info("import applied: %s", _counts(plan))
    parts = [f"{name} {r.inserted} baru, {r.updated} diubah, {r.unchanged} tetap" for name, r in results.items()]
    return page | {"import_message": f"Tersimpan dari {filename}: " + "; ".join(parts) + "."}, 200


def _preview(runtime: Runtime, operator: operators.Operator, filename: str, data: bytes, chosen: str) -> Preview:
    units = None if operator.units is None else set(operator.units)
    if chosen == ekinerja.KIND:
        return ekinerja.preview_upload(runtime.store, filename, data, units)
    return importer.preview_upload(runtime.store, filename, data, chosen or None, units, choice=CHOICE)


def _shown(runtime: Runtime, employee: Row, plan: Preview, filename: str, data: bytes, chosen: str) -> dict[str, Any]:
    """The preview's part of the page: tables, counts, and the confirm form's hidden fields when it can be saved."""
    sheets = []
    for spec in plan.sheets.values():
        tables = {status: spec.of(status) for status in importer.STATUSES}
        shown = {status: rows[:SHOWN] for status, rows in tables.items()}
        more = {status: len(rows) - SHOWN for status, rows in tables.items() if len(rows) > SHOWN}
        sheets.append({"plan": spec, "tables": shown, "more": more})
    confirm = None
    if plan.ok and plan.pending:
        token = _serializer(runtime).dumps(
            {
                "nip": employee["nip"],
                "sha256": hashlib.sha256(data).hexdigest(),
                "berkas": filename,
                "lembar": chosen,
                "rencana": plan.fingerprint,
            }
        )
        confirm = {"tanda": token, "isi": pack(data)}
    preview = {
        "filename": filename,
        "sheets": sheets,
        "counts": {status: plan.count(status) for status in importer.STATUSES},
        "notes": plan.notes,
        "ok": plan.ok,
        "pending": plan.pending,
        "shown": SHOWN,
    }
    return {"preview": preview, "confirm": confirm, "chosen": chosen}


def pack(data: bytes) -> str:
    """A previewed file, for the confirm form to carry back (the progress import carries its files the same way)."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str) -> bytes:
    """The file the confirm form carries back; at most ``upload.FILE_MAX_BYTES`` once decompressed."""
    try:
        packed = base64.b64decode(text, validate=True)
        inflate = zlib.decompressobj()
        data = inflate.decompress(packed, upload.FILE_MAX_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error) as err:
        raise BadRequest("Berkas yang dikirim ulang rusak. Unggah berkasnya lagi untuk pratinjau baru.") from err
    if len(data) > upload.FILE_MAX_BYTES or inflate.unconsumed_tail or not inflate.eof:
        raise upload.too_large(LABEL, FIELD)
    return data


def _serializer(runtime: Runtime) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(runtime.settings.secret_key, salt=SALT)


def _counts(plan: Preview) -> str:
    return (
        " ".join(f"{status}={plan.count(status)}" for status in importer.STATUSES) + f" sheets={','.join(plan.sheets)}"
    )


def _nip_as_text(data: bytes, spec: schema.Sheet) -> bytes:
    """Format NIP columns as Text, so that Excel keeps all 18 digits of a NIP typed into the template."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(io.BytesIO(data))
    ws = book.active
    for number, col in enumerate(spec.columns, start=1):
        if col.type == "nip":
            ws.column_dimensions[get_column_letter(number)].number_format = "@"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

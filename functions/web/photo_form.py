"""Reading a form that may carry photos: url-encoded as every form, or multipart with files (the report form).

A multipart body may be as large as ``KINERJA_UPLOAD_MAX_BYTES`` (photos), its text fields together no larger than
``KINERJA_MAX_BODY_BYTES`` (as a url-encoded form). It is read into memory whole before anything is parsed: a body
cut off halfway (a phone losing its signal) is refused as a whole, so nothing of it is ever stored. Text fields are
checked as ``http.read_form`` checks them (bad bytes name their field, and the form comes back with what was typed
when the CSRF token is this visitor's); the files are returned by field name, several per field, in their order.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from pathlib import PureWindowsPath

from flask import Request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import MultiPartParser

from functions.errors import BadRequest, Forbidden, UnreadableForm
from functions.runtime import Runtime
from functions.web import csrf, http
from functions.web.upload import MULTIPART, UploadedFile, in_memory

log = logging.getLogger(__name__)

MAX_PARTS = 200  # 10 activities of 7 fields and 3 photos, and the hidden fields
CUT_OFF = "Kiriman terputus sebelum sampai utuh (sinyal hilang?). Tidak ada yang disimpan; kirim lagi saat sinyal baik."


def read(
    request: Request, runtime: Runtime, labels: Mapping[str, str] | None = None
) -> tuple[dict[str, str], dict[str, list[UploadedFile]]]:
    """The text fields (first value wins) and the files of a POST, after the body checks and the CSRF check."""
    if request.mimetype != MULTIPART:
        return http.read_post(request, runtime, labels), {}
    limit = runtime.settings.upload_max_bytes
    if request.content_length is not None and request.content_length > limit:
        raise UnreadableForm(_too_large(limit), status=413)
    boundary = request.mimetype_params.get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise BadRequest("Kiriman rusak (batas bagian tidak ada). Muat ulang halaman, lalu kirim lagi.")
    try:
        body = request.stream.read(limit + 1)
    except ClientDisconnected as err:
        log.info("multipart body cut off after a lost connection; nothing stored")
        raise BadRequest(CUT_OFF) from err
    if len(body) > limit:
        raise UnreadableForm(_too_large(limit), status=413)
    if request.content_length is not None and len(body) < request.content_length:
        raise BadRequest(CUT_OFF)
    # No per-part memory limit of Werkzeug's (it counts its read buffer too): the body is bounded already, and the
    # text fields together are checked against KINERJA_MAX_BODY_BYTES below.
    parser = MultiPartParser(in_memory, max_form_parts=MAX_PARTS)
    try:
        form, parts = parser.parse(io.BytesIO(body), boundary.encode("latin-1"), len(body))
    except RequestEntityTooLarge as err:
        raise BadRequest("Kiriman berisi terlalu banyak bagian. Muat ulang halaman, lalu kirim lagi.") from err
    except (ValueError, UnicodeEncodeError) as err:
        raise BadRequest(CUT_OFF) from err
    text_bytes = sum(len(k) + len(v) for k, v in form.items(multi=True))
    if text_bytes > runtime.settings.max_body_bytes:
        raise UnreadableForm(http.too_large_text(runtime.settings.max_body_bytes), status=413)
    fields: dict[str, str] = {}
    bad: str | None = None
    for key, value in form.items(multi=True):
        if bad is None and ("\x00" in key or "\x00" in value or "\ufffd" in value):
            bad = key
        fields.setdefault(key, value.replace("\x00", ""))
    if bad is not None:
        _refuse_bad_bytes(request, runtime, bad, fields, labels)
    csrf.check(request, fields, runtime.settings.secret_key)
    files: dict[str, list[UploadedFile]] = {}
    for key, storage in parts.items(multi=True):
        data = storage.read()
        if storage.filename or data:  # an empty part: a file input left empty
            files.setdefault(key, []).append(UploadedFile(PureWindowsPath(storage.filename or "").name.strip(), data))
    return fields, files


def _refuse_bad_bytes(
    request: Request, runtime: Runtime, bad: str, fields: dict[str, str], labels: Mapping[str, str] | None
) -> None:
    """As ``http.read_post``: what was typed comes back only to the holder of the form's CSRF token."""
    typed = dict(fields)
    try:
        csrf.check(request, fields, runtime.settings.secret_key)
    except Forbidden:
        typed = {}
    if bad == "id_kiriman":
        typed.pop(bad, None)  # a garbled submission id is no id: the page shows the form with a fresh one
    raise UnreadableForm(
        f"{http.label(bad, labels)}: berisi karakter yang tidak dapat dibaca (bukan UTF-8, atau karakter NUL). "
        "Tidak ada yang disimpan; hapus karakter itu atau ketik ulang isiannya, lalu kirim lagi.",
        field=bad,
        typed=typed,
    )


def _too_large(limit: int) -> str:
    return (
        f"Kiriman terlalu besar: teks dan foto bersama lebih dari {limit // (1024 * 1024)} MB. Tidak ada yang "
        "disimpan. Kirim lebih sedikit foto sekaligus (paling banyak 3 per kegiatan), lalu kirim lagi."
    )

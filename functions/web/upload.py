"""Reading a multipart upload (the console's import): a size limit of its own, strict fields, the CSRF check.

``http.read_post`` reads url-encoded forms of at most ``KINERJA_MAX_BODY_BYTES`` (64 KB). A file is bigger, so an
upload has a fixed limit: ``FILE_MAX_BYTES`` for the file itself, and ``BODY_MAX_BYTES`` for the whole body, which
leaves room for the confirm step that carries the file a second time, compressed and base64-encoded. The body is
read into memory, never to disk (a Cloud Function's disk is its memory anyway), checked for size before and after
reading, then parsed; the CSRF field is a field of the multipart body and is checked like every form's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import IO

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import MultiPartParser

from functions.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from functions.web import csrf

FILE_MAX_BYTES = 10 * 1024 * 1024
BODY_MAX_BYTES = FILE_MAX_BYTES * 4 // 3 + 1024 * 1024  # the file as base64 at confirm, and the other fields
FILE_MAX_MB = FILE_MAX_BYTES // (1024 * 1024)
MULTIPART = "multipart/form-data"
MAX_PARTS = 20


@dataclass(frozen=True)
class UploadedFile:
    filename: str  # the name only, without the folders some browsers send
    data: bytes


@dataclass(frozen=True)
class Upload:
    fields: dict[str, str]
    files: dict[str, UploadedFile]


def too_large(label: str, field: str) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"{label} (isian {field}) terlalu besar: paling besar {FILE_MAX_MB} MB per unggahan. "
        "Bagi datanya menjadi beberapa berkas, misalnya per lembar atau per OPD, lalu impor satu per satu."
    )


def read_upload(request: Request, secret: str, *, label: str, field: str) -> Upload:
    """The fields and files of a multipart POST, after the size checks and the CSRF check. ``label`` and
    ``field`` name the file field in the 413 message."""
    if request.content_length is not None and request.content_length > BODY_MAX_BYTES:
        raise too_large(label, field)
    if request.mimetype != MULTIPART:
        raise UnsupportedMediaType("Jenis isi kiriman tidak didukung. Unggah berkas lewat formulir impor di konsol.")
    boundary = request.mimetype_params.get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise BadRequest("Kiriman unggahan rusak (batas bagian tidak ada). Muat ulang halaman, lalu unggah lagi.")
    body = request.stream.read(BODY_MAX_BYTES + 1)
    if len(body) > BODY_MAX_BYTES:
        raise too_large(label, field)
    parser = MultiPartParser(in_memory, max_form_memory_size=BODY_MAX_BYTES, max_form_parts=MAX_PARTS)
    try:
        form, parts = parser.parse(io.BytesIO(body), boundary.encode("latin-1"), len(body))
    except RequestEntityTooLarge as err:  # more parts than MAX_PARTS
        raise BadRequest("Kiriman unggahan berisi terlalu banyak bagian. Unggah satu berkas saja.") from err
    except (ValueError, UnicodeEncodeError) as err:
        raise BadRequest("Kiriman unggahan rusak. Muat ulang halaman, lalu unggah lagi.") from err
    fields: dict[str, str] = {}
    for key, value in form.items(multi=True):
        if "\x00" in key or "\x00" in value or "\ufffd" in value:
            raise BadRequest("Kiriman berisi karakter yang tidak valid (bukan UTF-8). Ketik ulang isian Anda.")
        fields.setdefault(key, value)
    csrf.check(request, fields, secret)
    files: dict[str, UploadedFile] = {}
    for key, storage in parts.items(multi=True):
        data = storage.read(FILE_MAX_BYTES + 1)
        if len(data) > FILE_MAX_BYTES:
            raise too_large(label, field)
        if storage.filename and key not in files:
            files[key] = UploadedFile(PureWindowsPath(storage.filename).name.strip(), data)
    return Upload(fields=fields, files=files)


def in_memory(
    total_content_length: int | None, content_type: str | None, filename: str | None, content_length: int | None = None
) -> IO[bytes]:
    """Where the parser puts a file: memory (werkzeug's default spills files over 500 KB to a temporary file)."""
    return io.BytesIO()

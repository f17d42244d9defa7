"""The photos of daily reports, shown only through a personal link.

``report_photo?t=<link token>&foto=<name>&tanggal=<day of the activity>`` answers the photo to the reporter, their
supervisor and the head of their unit, never to anyone else: there is no public address of a photo, in the bucket
or here. The day finds the activity's row by reading only that day's LaporanHarian (on Sheets one spreadsheet, not
all of them); the row must list the photo. ``&ukuran=kecil`` answers a thumbnail (the review page). Photos are
cached by the browser only (``private``), never by a shared cache.
The script that shrinks photos on the phone before they are sent is a file of the report function
(``functions.web.staff.offline``, ``submit_report?aset=perkecil-foto.js``).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlencode

from flask import Request, Response

from functions.errors import BadRequest, Forbidden, NotFound
from functions.evidence import blobs, images
from functions.runtime import Runtime
from functions.staff import identity, report_photos
from functions.store import Row
from functions.web.http import guarded, require_method

FUNCTION = "report_photo"
SMALL = "kecil"
# <submission id>-<activity>-<photo>-<sha256 prefix>.jpg (functions.staff.report_photos.photo_name)
NAME = re.compile(r"([A-Za-z0-9_-]{8,64}-[0-9]{1,2})-[1-9]-[0-9a-f]{16}\.jpg")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NOT_FOUND = "Foto tidak ditemukan. Buka lagi dari halaman laporan atau halaman verifikasi."


def url(token: str, name: str, day: date, small: bool = False) -> str:
    """The relative address of a photo for the holder of ``token``."""
    query = {"t": token, "foto": name, "tanggal": day.isoformat(), **({"ukuran": SMALL} if small else {})}
    return f"{FUNCTION}?{urlencode(query)}"


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    require_method(request, "GET")
    viewer = identity.employee_for_token(runtime.store, runtime.settings.secret_key, request.args.get("t", ""))
    name, day_text = request.args.get("foto", ""), request.args.get("tanggal", "")
    match = NAME.fullmatch(name)
    if not match or not DAY.fullmatch(day_text):
        raise BadRequest("Alamat foto tidak lengkap. Buka foto dari halaman laporan atau halaman verifikasi.")
    try:
        day = date.fromisoformat(day_text)
    except ValueError as err:
        raise BadRequest("Tanggal pada alamat foto tidak ada. Buka foto dari halaman laporan.") from err
    rows = runtime.store.records("LaporanHarian", where={"id": match.group(1)}, start=day, end=day)
    row = next((r for r in rows if name in report_photos.names_of(r)), None)
    if row is None:
        raise NotFound(NOT_FOUND)
    if not _may_see(runtime, viewer, row):
        raise Forbidden("Foto ini hanya dapat dilihat pelapor, atasannya, dan kepala unitnya.")
    data = blobs.for_settings(runtime.settings).get(name)
    if data is None:
        raise NotFound(NOT_FOUND)
    if request.args.get("ukuran") == SMALL:
        data = images.thumbnail(data)
    return Response(data, mimetype="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})


def _may_see(runtime: Runtime, viewer: Row, row: Row) -> bool:
    """The reporter, the reporter's supervisor (who verifies the activity) and the head of the reporter's unit."""
    if viewer["nip"] == row["nip"]:
        return True
    reporter = runtime.store.records("Pegawai", where={"nip": row["nip"]})
    if reporter and reporter[0].get("nip_atasan") == viewer["nip"]:
        return True
    units = runtime.store.records("Unit", where={"kode": row["unit"]})
    return bool(units) and units[0].get("nip_kepala") == viewer["nip"]

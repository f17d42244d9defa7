"""The report function's own files (``forms/offline/``): the personal report page as an installable web app that
works without signal (its manifest, service worker, scripts and icons), and the scripts of its pages (the photos'
resize on the phone, the copy buttons of "Salin ke e-Kinerja").

They are served by the report function itself, as ``submit_report?aset=<file>``: in production every function is
its own address, so the worker (``submit_report?aset=sw.js``, registered with the scope ``submit_report``) controls
the personal links ``submit_report?t=...`` and nothing else. The worker keeps each page it fetched (network first,
the kept copy when offline), keeps a report sent without signal in IndexedDB and sends it when the connection
returns (``forms/offline/sw.js`` says how). Without JavaScript the form posts as before.
"""

from __future__ import annotations

import functools
import json
from urllib.parse import urlencode

from flask import Request, Response

from functions.errors import NotFound
from functions.rendering import FORMS_DIR

ASSET = "aset"  # the query parameter naming a file: ``submit_report?aset=sw.js``
MANIFEST = "manifest.webmanifest"
SCOPE = "submit_report"  # the worker's scope, relative to the page: every address of the report function
FOLDER = FORMS_DIR / "offline"
SCRIPT_POLICY = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"
REVALIDATE = "no-cache"  # scripts and manifest: always asked again when online (the worker keeps offline copies)

# name: (content type, cache control)
FILES = {
    "sw.js": ("text/javascript; charset=utf-8", REVALIDATE),
    "antrean.js": ("text/javascript; charset=utf-8", REVALIDATE),
    "laporan.js": ("text/javascript; charset=utf-8", REVALIDATE),
    "perkecil-foto.js": ("text/javascript; charset=utf-8", REVALIDATE),  # shrinks photos before they are sent
    "salin_ekinerja.js": ("text/javascript; charset=utf-8", REVALIDATE),  # the copy buttons of Salin ke e-Kinerja
    MANIFEST: ("application/manifest+json; charset=utf-8", REVALIDATE),
    "ikon-192.png": ("image/png", "public, max-age=604800"),
    "ikon-512.png": ("image/png", "public, max-age=604800"),
}
MISSING = "Berkas yang diminta tidak ada."


def url(name: str, token: str = "") -> str:
    """The address of one file, relative to the report page (as its links are); the manifest's carries the
    personal link's token, for the installed app to open that link."""
    return f"submit_report?{urlencode({ASSET: name, **({'t': token} if token else {})})}"


def asset(request: Request, name: str) -> Response:
    """One file, with its type and caching; an ETag makes a revalidation cheap."""
    if name not in FILES:
        raise NotFound(MISSING)
    content_type, cache_control = FILES[name]
    body = _manifest(request.args.get("t", "")) if name == MANIFEST else _read(name)
    response = Response(body, headers={"Content-Type": content_type, "Cache-Control": cache_control})
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if name.endswith(".js"):
        response.headers["Content-Security-Policy"] = SCRIPT_POLICY  # the worker's own policy
    response.add_etag()
    response.make_conditional(request)  # a 304 without the body when the ETag matches
    return response


def _manifest(token: str) -> bytes:
    """The manifest, starting the installed app at the personal link it was installed from (Chromium installs only
    a manifest that names its start address)."""
    manifest = json.loads(_read(MANIFEST))
    if token:
        manifest["start_url"] = f"submit_report?{urlencode({'t': token})}"
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")


@functools.cache
def _read(name: str) -> bytes:
    return (FOLDER / name).read_bytes()

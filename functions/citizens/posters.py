"""QR posters for service counters: one printable A4 page per active public service.

For every unit: the QR code of its complaint form (PNG and SVG) and an index page; for
each of its active services (Layanan rows with ``aktif``): the QR code of the service's
satisfaction survey (PNG and SVG) and a self-contained A4 poster with both codes inline.
The output is deterministic, so re-running rewrites the same bytes.

Layout of ``out_dir``::

    index.html                      every unit
    <UNIT>/index.html               the unit's posters and its complaint QR code
    <UNIT>/pengaduan.png|.svg       complaint QR code
    <UNIT>/<SERVICE>.html           the A4 poster
    <UNIT>/<SERVICE>-survei.png|.svg

QR codes use error correction level M at least (segno raises it when that fits in the
same symbol size) and the standard quiet zone of 4 modules.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import segno
from markupsafe import Markup

from functions.rendering import render
from functions.settings import Settings
from functions.store import Row, Store

log = logging.getLogger(__name__)

ERROR_LEVEL = "m"
QUIET_ZONE = 4
PNG_MIN_WIDTH = 1200  # pixels; about 10 cm when printed at PNG_DPI
PNG_DPI = 300
SVG_FILE_SCALE = 10
INLINE_SVG_OPTIONS: dict[str, Any] = {
    "scale": 1,
    "border": QUIET_ZONE,
    "omitsize": True,  # a viewBox instead: the poster's CSS sets the printed size
    "svgclass": "qr",
    "lineclass": None,
    "light": "#fff",
}
TEMPLATE = "poster.html"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 - a host name compared, not bound
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class PosterSummary:
    units: int
    services: int
    files: int
    # Active services whose unit is missing from the Unit sheet: no poster was written.
    skipped: tuple[str, ...] = field(default=())


def poster_urls(
    settings: Settings, unit_row: Mapping[str, Any], service_row: Mapping[str, Any] | None
) -> dict[str, str]:
    """The addresses a unit's poster points to: ``complaint`` and ``transparency`` (the unit's results on the public
    transparency page) always, ``survey`` for a service."""
    base = settings.base_url.rstrip("/")
    unit = quote(str(unit_row["kode"]), safe="")
    urls = {
        "complaint": f"{base}/submit_complaint?unit={unit}",
        "transparency": f"{base}/transparansi?unit={unit}",
    }
    if service_row is not None:
        urls["survey"] = f"{base}/submit_survey?layanan={quote(str(service_row['id']), safe='')}"
    return urls


def forum_url(settings: Settings, service_row: Mapping[str, Any]) -> str:
    """The address of a service's Suara Warga page (suggestions and questions, answered in public)."""
    return f"{settings.base_url.rstrip('/')}/suara_warga?layanan={quote(str(service_row['id']), safe='')}"


def poster_page(store: Store, settings: Settings, service_id: str) -> str | None:
    """The printable A4 poster of one active service (as ``write_all`` writes it), or None when there is none."""
    services = [s for s in store.records("Layanan", where={"id": service_id}) if is_active(s)]
    units = store.records("Unit", where={"kode": services[0]["unit"]}) if services else []
    if not units:
        return None
    urls = poster_urls(settings, units[0], services[0])
    return render(
        TEMPLATE,
        page="poster",
        unit=units[0],
        service=services[0],
        survey_url=urls["survey"],
        survey_svg=inline_svg(qr_code(urls["survey"])),
        complaint_url=urls["complaint"],
        complaint_svg=inline_svg(qr_code(urls["complaint"])),
        forum_url=forum_url(settings, services[0]),
        transparency_url=urls["transparency"],
    )


def base_url_warning(settings: Settings) -> str | None:
    """A warning for the operator when the QR codes would point at this computer only."""
    host = urlsplit(settings.base_url).hostname or ""
    if host in LOCAL_HOSTS:
        return (
            f"KINERJA_BASE_URL masih {settings.base_url}: kode QR hanya bisa dibuka dari komputer ini. "
            "Setel KINERJA_BASE_URL ke alamat publik sebelum mencetak poster."
        )
    return None


def safe_name(ident: Any) -> str:
    """A file name for an id: characters outside [A-Za-z0-9._-] become ``_``, no leading dot."""
    name = _UNSAFE.sub("_", str(ident))[:100]
    stripped = name.lstrip(".")
    return "_" * (len(name) - len(stripped)) + stripped or "_"


def safe_names(idents: Iterable[Any], reserved: Iterable[str] = ()) -> dict[Any, str]:
    """Safe, distinct file names for ids, in order; a clash (ignoring case) gets ``-2``, ``-3``..."""
    taken = {r.lower() for r in reserved}
    names: dict[Any, str] = {}
    for ident in idents:
        base = name = safe_name(ident)
        n = 2
        while name.lower() in taken:
            name = f"{base}-{n}"
            n += 1
        taken.add(name.lower())
        names[ident] = name
    return names


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def png_bytes(qr: segno.QRCode) -> bytes:
    width = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
    scale = -(-PNG_MIN_WIDTH // width)  # ceiling division
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale, border=QUIET_ZONE, dpi=PNG_DPI)
    return out.getvalue()


def svg_bytes(qr: segno.QRCode, url: str) -> bytes:
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=SVG_FILE_SCALE, border=QUIET_ZONE, light="#fff", title=url)
    return out.getvalue()


def inline_svg(qr: segno.QRCode) -> Markup:
    """The QR code as an ``<svg>`` element for the page; segno writes only paths and numbers."""
    return Markup(qr.svg_inline(**INLINE_SVG_OPTIONS))  # noqa: S704 - segno's own markup, no row text


def is_active(service: Mapping[str, Any]) -> bool:
    # The column defaults to "Ya": only an explicit "Tidak" retires a service.
    return service.get("aktif") is not False and bool(service.get("id"))


def write_all(store: Store, settings: Settings, out_dir: Path) -> PosterSummary:
    """Write every unit's QR codes and posters into ``out_dir``; safe to re-run."""
    units = [u for u in store.records("Unit") if u.get("kode")]
    services = [s for s in store.records("Layanan") if is_active(s)]
    by_unit: dict[str, list[Row]] = {}
    for service in services:
        by_unit.setdefault(str(service.get("unit")), []).append(service)
    known = {str(u["kode"]) for u in units}
    skipped = tuple(str(s["id"]) for s in services if str(s.get("unit")) not in known)
    for ident in skipped:
        log.warning("service %s skipped: its unit is not in the Unit sheet", ident)

    folders = safe_names((str(u["kode"]) for u in units), reserved={"index.html"})
    writer = _Writer(out_dir)
    listing = []
    written = 0
    for unit in units:
        folder = folders[str(unit["kode"])]
        posters = _write_unit(writer, settings, unit, folder, by_unit.get(str(unit["kode"]), []))
        listing.append({"unit": unit, "folder": folder, "count": len(posters)})
        written += len(posters)
    writer.text("index.html", render(TEMPLATE, page="index", units=listing, services=written))
    log.info("posters written: %d units, %d services, %d files", len(units), written, writer.files)
    return PosterSummary(units=len(units), services=written, files=writer.files, skipped=skipped)


def _write_unit(
    writer: _Writer, settings: Settings, unit: Row, folder: str, services: list[Row]
) -> list[dict[str, Any]]:
    unit_urls = poster_urls(settings, unit, None)
    complaint_url, transparency_url = unit_urls["complaint"], unit_urls["transparency"]
    complaint = qr_code(complaint_url)
    complaint_svg = inline_svg(complaint)
    writer.binary(f"{folder}/pengaduan.png", png_bytes(complaint))
    writer.binary(f"{folder}/pengaduan.svg", svg_bytes(complaint, complaint_url))
    names = safe_names((str(s["id"]) for s in services), reserved={"index"})
    posters = []
    for service in services:
        name = names[str(service["id"])]
        survey_url = poster_urls(settings, unit, service)["survey"]
        survey = qr_code(survey_url)
        writer.binary(f"{folder}/{name}-survei.png", png_bytes(survey))
        writer.binary(f"{folder}/{name}-survei.svg", svg_bytes(survey, survey_url))
        page = render(
            TEMPLATE,
            page="poster",
            unit=unit,
            service=service,
            survey_url=survey_url,
            survey_svg=inline_svg(survey),
            complaint_url=complaint_url,
            complaint_svg=complaint_svg,
            forum_url=forum_url(settings, service),
            transparency_url=transparency_url,
        )
        writer.text(f"{folder}/{name}.html", page)
        posters.append({"service": service, "name": name, "survey_url": survey_url})
    page = render(
        TEMPLATE,
        page="unit",
        unit=unit,
        posters=posters,
        complaint_url=complaint_url,
        complaint_svg=complaint_svg,
        transparency_url=transparency_url,
    )
    writer.text(f"{folder}/index.html", page)
    return posters


class _Writer:
    """Writes files under one folder and counts them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0

    def binary(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files += 1

    def text(self, relative: str, text: str) -> None:
        self.binary(relative, text.encode("utf-8"))

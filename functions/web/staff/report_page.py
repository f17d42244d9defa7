"""The daily report form behind a personal link: GET renders it, POST submits it.

Thin on purpose: it parses the request, calls ``functions.staff.reports`` and maps the result
to a page. The same handler serves the Cloud Function and the local server.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Request, Response

from functions.errors import Conflict, Forbidden, InvalidLink, UnreadableForm, ValidationError
from functions.evidence import blobs
from functions.ids import new_id
from functions.rendering import render
from functions.rules import config
from functions.runtime import Runtime
from functions.staff import corrections, identity, report_photos, reports
from functions.staff.reports import Draft
from functions.store import Row, Store
from functions.web import photo_form
from functions.web.http import form_page, guarded, home_link, html, kept_id, require_method
from functions.web.staff import ekinerja_page, offline
from functions.web.upload import UploadedFile

log = logging.getLogger(__name__)

LABELS = {**reports.LABELS, report_photos.FIELD: "Foto"}
PICK_AGAIN = "Kegiatan ditambahkan. Foto yang sudah dipilih tidak ikut kembali: pilih fotonya lagi sebelum mengirim."

FIX = "perbaiki"  # ``submit_report?t=...&perbaiki=<activity id>`` opens a returned activity to correct it
ALREADY_FIXED = (
    "Kegiatan ini sudah diperbaiki dan dikirim ulang sebelumnya dengan isi yang lain; perbaikan pertama yang "
    "tercatat dan menunggu verifikasi atasan. Bila masih ada yang salah, tunggu keputusan atasan."
)


def handle(request: Request, runtime: Runtime) -> Response:
    return guarded(lambda req: _handle(req, runtime))(request)


def _handle(request: Request, runtime: Runtime) -> Response:
    method = require_method(request, "GET", "POST")
    if method == "GET" and offline.ASSET in request.args:  # the offline app's files: no personal link needed
        return offline.asset(request, request.args[offline.ASSET])
    store = runtime.store
    token = request.args.get("t", "")
    try:
        employee = identity.employee_for_token(store, runtime.settings.secret_key, token)
    except InvalidLink as err:
        if method == "GET":  # reports kept on the phone for this link: the page shows them, to copy
            return html(
                render("report_link_refused.html", message=err.message, status=err.status, **_assets()), err.status
            )
        raise
    today = runtime.today()
    if method == "GET" and ekinerja_page.PARAM in request.args:
        return ekinerja_page.page(request, runtime, employee, _unit_name(runtime, employee), token)
    if method == "GET":
        targets = reports.targets_for(store, employee["nip"], today.year)
        if request.args.get(FIX):
            return _fix(request, runtime, employee, token, request.args.get(FIX, ""))
        if request.args.get("salin") == "1":
            draft = reports.copy_of(reports.last_submission(store, employee["nip"], today=today), today)
            notice = "Laporan terakhir Anda sudah disalin dengan tanggal hari ini. Ubah seperlunya, lalu kirim."
        else:
            draft = Draft.empty(today, targets)
            notice = ""
        return _form(request, runtime, employee, token, draft, notice)

    try:
        form, files = photo_form.read(request, runtime, LABELS)
    except UnreadableForm as err:
        return _form(request, runtime, employee, token, _unreadable(err, store, employee, today), "", err.status)
    draft = Draft.from_form(form, config.get(store, "laporan_maks_kegiatan"))
    if form.get("aksi") == "tambah" and not draft.replaces:
        draft.blocks.append({**dict.fromkeys(reports.ACTIVITY_FIELDS, ""), "tanggal": today.isoformat()})
        return _form(request, runtime, employee, token, draft, PICK_AGAIN if _by_block(files) else "")
    try:
        receipt = report_photos.submit(
            draft,
            _by_block(files),
            employee,
            store,
            blobs.for_settings(runtime.settings),
            runtime.now(),
            runtime.settings.photo_max_bytes,
        )
    except ValidationError as err:
        draft.errors = err.fields
        return _form(request, runtime, employee, token, draft, "", err.status)
    except Conflict as err:
        if draft.replaces:
            # The activity was corrected before, differently: its first correction stands (one per activity).
            draft.errors = {corrections.FIELD: ALREADY_FIXED}
            return _form(request, runtime, employee, token, draft, "", err.status)
        # Keep what was typed under a fresh id, so that sending again makes a new submission.
        draft.errors = {"id_kiriman": err.message}
        draft.submission_id = new_id()
        return _form(request, runtime, employee, token, draft, "", err.status)
    log.info(
        "report stored: submission=%s activities=%d photos=%d duplicate=%s",
        draft.submission_id,
        len(receipt.rows),
        sum(len(report_photos.names_of(r)) for r in receipt.rows),
        receipt.duplicate,
    )
    page = render(
        "report_done.html",
        employee=employee,
        unit_name=_unit_name(runtime, employee),
        rows=receipt.rows,
        duplicate=receipt.duplicate,
        correction=bool(draft.replaces),
        form_url=_url("submit_report", token),
        home_url=home_link(request),
        ekinerja_urls={day: ekinerja_page.url(token, day) for day in sorted({r["tanggal"] for r in receipt.rows})},
    )
    return html(page)


def _fix(request: Request, runtime: Runtime, employee: Row, token: str, activity_id: str) -> Response:
    """The form holding one returned activity, prefilled, to correct and send again."""
    try:
        row = reports.replaced(runtime.store, employee["nip"], activity_id, runtime.today())
    except ValidationError as err:
        draft = Draft.empty(runtime.today(), reports.targets_for(runtime.store, employee["nip"], runtime.today().year))
        draft.errors = err.fields
        return _form(request, runtime, employee, token, draft, "", err.status)
    return _form(request, runtime, employee, token, Draft.correction_of(row), "")


def _by_block(files: dict[str, list[UploadedFile]]) -> dict[int, list[report_photos.Upload]]:
    """The photos of each block (field ``foto-<block>``); files under any other name are not the form's."""
    uploads: dict[int, list[report_photos.Upload]] = {}
    for name, parts in files.items():
        match = reports.BLOCK_FIELD.fullmatch(name)
        if match and name.startswith(f"{report_photos.FIELD}-"):
            uploads[int(match.group(1))] = [report_photos.Upload(p.filename, p.data) for p in parts]
    return uploads


def _unreadable(err: UnreadableForm, store: Store, employee: Row, today: date) -> Draft:
    """The form again after a body that could not be used: what could be read, else an empty form."""
    if err.typed:
        draft = Draft.from_form(err.typed, config.get(store, "laporan_maks_kegiatan"))
    else:
        draft = Draft.empty(today, reports.targets_for(store, employee["nip"], today.year))
    draft.submission_id = kept_id({"id_kiriman": draft.submission_id})
    draft.errors = err.fields
    return draft


def _form(
    request: Request, runtime: Runtime, employee: Row, token: str, draft: Draft, notice: str, status: int = 200
) -> Response:
    store = runtime.store
    today = runtime.today()
    targets = reports.targets_for(store, employee["nip"], today.year)
    last = reports.last_submission(store, employee["nip"], today=today)
    replaced = _replaced(runtime, employee, draft)
    supervises = bool(store.records("Pegawai", where={"nip_atasan": employee["nip"]}))
    return form_page(
        request,
        runtime,
        "report_form.html",
        status,
        employee=employee,
        unit_name=_unit_name(runtime, employee),
        targets=targets,
        target_ids={t["id"] for t in targets},
        draft=draft,
        notice=notice,
        today=today,
        min_date=today - timedelta(days=config.get(store, "laporan_batas_hari")),
        max_blocks=config.get(store, "laporan_maks_kegiatan"),
        action_url=_url("submit_report", token),
        copy_url=_url("submit_report", token, salin="1"),
        last_date=last[0]["tanggal"] if last else None,
        recent=reports.recent(store, employee["nip"], today=today),
        to_fix=reports.fixable(store, employee["nip"], today),
        replaced=replaced,
        fix_field=corrections.FIELD,
        fix_url=lambda activity_id: _url("submit_report", token, **{FIX: activity_id}),
        summary=_summary(draft.errors),
        review_link=_url("review_reports", token) if supervises else "",
        max_photos=report_photos.MAX_PER_ACTIVITY,
        photo_max_mb=runtime.settings.photo_max_bytes // (1024 * 1024),
        photo_script=offline.url("perkecil-foto.js"),
        manifest_url=offline.url(offline.MANIFEST, token),
        **_assets(),
    )


def _assets() -> dict[str, object]:
    """What a page of the report function needs to load the offline app's scripts."""
    return {"asset_url": offline.url, "scope": offline.SCOPE}


def _replaced(runtime: Runtime, employee: Row, draft: Draft) -> Row | None:
    """The returned activity a correction draft replaces, for the page to show its note; None when there is none
    (or it cannot be read: the draft's errors then say why)."""
    if not draft.replaces:
        return None
    try:
        return reports.replaced(runtime.store, employee["nip"], draft.replaces, runtime.today())
    except (ValidationError, Forbidden):
        return None


def _summary(errors: dict[str, str]) -> list[tuple[str, str]]:
    """The error summary's lines: (field id, message), a block's messages naming the block ("Kegiatan 2: ...")."""
    lines = []
    for name, text in errors.items():
        match = reports.BLOCK_FIELD.fullmatch(name)
        if match and not text.startswith("Kegiatan "):  # photo messages name their activity themselves
            text = f"Kegiatan {int(match.group(1)) + 1}: {text}"
        lines.append((name, text))
    return lines


def _unit_name(runtime: Runtime, employee: Row) -> str:
    units = runtime.store.records("Unit", where={"kode": employee["unit"]})
    return units[0]["nama"] if units else employee["unit"]


def _url(function: str, token: str, **extra: str) -> str:
    """A relative link to another function of the same deployment."""
    return f"{function}?{urlencode({'t': token, **extra})}"

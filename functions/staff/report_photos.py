"""Photo evidence of a daily report: checked, cleaned, and stored with the report's rows, all or nothing.

Each activity (block ``i`` of the form, field ``foto-<i>``) takes up to :data:`MAX_PER_ACTIVITY` photos. Every photo
is cleaned (``functions.evidence.images``: real type by content, size, only pixels kept) before anything is stored;
a refused one is named as "Kegiatan 2, foto 1: ...". Then the photos are written under names made from the row id
and the cleaned content (``<submission id>-<n>-<k>-<sha256 prefix>.jpg``), and only then the rows, whose ``foto``
column lists them. A resend of the same submission makes the same names and the same rows: nothing is stored twice.
When the rows are not stored (a conflict, the store failing), the photos this attempt created and no stored row
lists are deleted again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from functions.errors import ValidationError
from functions.evidence import images
from functions.evidence.blobs import Blobs
from functions.rules import config
from functions.staff import reports
from functions.staff.reports import Draft, Receipt
from functions.store import Row, Store

log = logging.getLogger(__name__)

MAX_PER_ACTIVITY = 3
FIELD = "foto"  # the form's field is foto-<block>, the LaporanHarian column foto
NAME_SEPARATOR = " "


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def field_error(block: int, photo: int | None, text: str) -> str:
    """A message naming the activity and the photo, as the form's summary shows it."""
    which = f"Kegiatan {block + 1}" + (f", foto {photo}" if photo is not None else "")
    return f"{which}: {text}."


def cleaned(
    uploads: Mapping[int, Sequence[Upload]], max_bytes: int, keep_time: bool, blocks: int
) -> tuple[dict[int, list[images.CleanPhoto]], dict[str, str]]:
    """Each block's photos cleaned, and the errors (field ``foto-<block>``) of those that cannot be taken."""
    photos: dict[int, list[images.CleanPhoto]] = {}
    errors: dict[str, str] = {}
    for block, files in sorted(uploads.items()):
        key = f"{FIELD}-{block}"
        if block >= blocks:
            continue  # a field of no block on the form: nothing to attach it to
        if len(files) > MAX_PER_ACTIVITY:
            errors[key] = field_error(block, None, f"paling banyak {MAX_PER_ACTIVITY} foto per kegiatan")
            continue
        for number, upload in enumerate(files, start=1):
            try:
                photos.setdefault(block, []).append(images.clean(upload.data, max_bytes=max_bytes, keep_time=keep_time))
            except images.PhotoRefused as err:
                errors.setdefault(key, field_error(block, number, str(err)))
    return photos, errors


def photo_name(row_id: str, number: int, photo: images.CleanPhoto) -> str:
    return f"{row_id}-{number}-{hashlib.sha256(photo.data).hexdigest()[:16]}.jpg"


def names_of(row: Row) -> list[str]:
    """The photo names a LaporanHarian row lists."""
    return [name for name in str(row.get(FIELD) or "").split(NAME_SEPARATOR) if name]


def submit(
    draft: Draft,
    uploads: Mapping[int, Sequence[Upload]],
    employee: Row,
    store: Store,
    blobs: Blobs,
    now: datetime,
    max_bytes: int,
) -> Receipt:
    """Validate the draft and its photos, store the photos, then the rows; raise ValidationError naming every bad
    field and photo, with nothing stored."""
    keep_time = bool(config.get(store, "foto_simpan_waktu_ambil"))
    photos, photo_errors = cleaned(uploads, max_bytes, keep_time, len(draft.blocks))
    filled = reports.filled_indexes(draft)
    for block in photos:
        if block not in filled:
            photo_errors.setdefault(f"{FIELD}-{block}", field_error(block, None, "isi uraian kegiatannya dulu"))
    try:
        rows = reports.validate(draft, employee, store, now)
    except ValidationError as err:
        raise ValidationError({**err.fields, **photo_errors}) from err
    if photo_errors:
        raise ValidationError(photo_errors)
    plan = _named(rows, filled, photos)
    created: list[str] = []
    try:
        for name, photo in plan:
            if blobs.put(name, photo.data):
                created.append(name)
        return reports.store_rows(draft, rows, store)
    except BaseException:
        _undo(created, draft, rows, store, blobs)
        raise


def _undo(created: list[str], draft: Draft, rows: list[Row], store: Store, blobs: Blobs) -> None:
    """After the rows failed: delete the photos this attempt created that no stored row lists. What existed before
    (the same photo of an earlier attempt, perhaps stored with its rows) stays. The store is read again, because a
    write with no clear answer may have been applied; when it cannot be read either, the photos stay (an orphan
    is better than a row pointing at a missing photo) and the log names the submission."""
    if not created:
        return
    days = [r["tanggal"] for r in rows]
    try:
        stored = store.records(
            "LaporanHarian", where={"id_kiriman": draft.submission_id}, start=min(days), end=max(days)
        )
    except Exception:
        log.warning("submission %s failed; its %d new photos are kept until the store answers", draft.submission_id,
                    len(created))  # fmt: skip
        return
    listed = {name for row in stored for name in names_of(row)}
    for name in created:
        if name in listed:
            continue
        try:
            blobs.delete(name)
        except Exception:
            log.exception("photo %s of a failed submission could not be deleted", name)


def _named(
    rows: list[Row], filled: list[int], photos: Mapping[int, list[images.CleanPhoto]]
) -> list[tuple[str, images.CleanPhoto]]:
    """Each row's photos under their names, the names written into the row's ``foto`` column."""
    plan = []
    for row, block in zip(rows, filled, strict=True):
        names = []
        for number, photo in enumerate(photos.get(block, []), start=1):
            name = photo_name(row["id"], number, photo)
            names.append(name)
            plan.append((name, photo))
        row[FIELD] = NAME_SEPARATOR.join(names) or None
    return plan

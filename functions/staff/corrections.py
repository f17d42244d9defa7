"""Fixing a returned activity: the correction is a new LaporanHarian row naming the one it replaces.

When a supervisor returns an activity (Dikembalikan, with a note), its reporter opens it again prefilled, fixes it
and sends it. The correction is a new row whose ``menggantikan`` holds the id of the activity it replaces; that one
is never edited and stays in the sheet as history, returned with the supervisor's note. The correction waits for the
supervisor again (Menunggu), marked as a correction on their page.

The rule, in this one place (:func:`counted`): an activity that another row names in ``menggantikan`` has been
replaced, and counts nowhere: not in scoring (``functions.scoring.inputs`` reads reports through it), not in the 24
hours of a day (``functions.staff.reports``). The correction counts in its place, never both.

A returned activity is corrected at most once: the correction's submission id is derived from the id of the activity
it replaces (:func:`submission_id`), so a second correction of it is the same submission. A retry with the same
content stores nothing again; other content is refused (409) by the store, as for any submission.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date

from functions.errors import Forbidden, ValidationError
from functions.staff import verification
from functions.store import Row, Store

COLUMN = verification.REPLACES  # LaporanHarian ``menggantikan``: the id of the activity this row replaces
FIELD = COLUMN  # the hidden field of the report form that carries it
PREFIX = "perbaikan-"


def submission_id(replaced_id: str) -> str:
    """The submission id of the correction of ``replaced_id``: the same for every attempt to correct it.

    50 characters: within the 64 of ``id_kiriman`` (and 80 of ``id`` with ``-1``) however long the chain.
    """
    return PREFIX + hashlib.sha256(replaced_id.encode("utf-8")).hexdigest()[:40]


def replaced_ids(values: Iterable[object]) -> set[str]:
    """The ids named in ``menggantikan`` values (blank cells and other types are no id)."""
    return {v.strip() for v in values if isinstance(v, str) and v.strip()}


def counted(rows: Sequence[Row]) -> list[Row]:
    """``rows`` without the activities that one of them replaces: what counts (see the module's rule)."""
    gone = replaced_ids(r.get(COLUMN) for r in rows)
    return [r for r in rows if r.get("id") not in gone]


def fixable(rows: Sequence[Row]) -> list[Row]:
    """The returned activities among ``rows`` (one person's) that no row replaces yet, newest first."""
    gone = replaced_ids(r.get(COLUMN) for r in rows)
    waiting = [r for r in rows if r.get("verifikasi") == verification.RETURNED and r.get("id") not in gone]
    return sorted(waiting, key=lambda r: (r["tanggal"], r["id"]), reverse=True)


def find(store: Store, nip: str, replaced_id: str, start: date, end: date) -> Row:
    """The returned activity ``replaced_id`` of ``nip``, dated from ``start`` to ``end``, that may be corrected.

    Not found (or outside those days): a ValidationError naming the field; someone else's: Forbidden (403); not
    returned: a ValidationError saying it needs no correction.
    """
    rows = store.records("LaporanHarian", where={"id": replaced_id}, start=start, end=end) if replaced_id else []
    if not rows:
        raise ValidationError(
            {
                FIELD: "Kegiatan yang akan diperbaiki tidak ditemukan di laporan Anda yang masih dapat diperbaiki. "
                "Buka lagi tautan pribadi Anda dan pilih kegiatan dari daftar Perlu diperbaiki."
            }
        )
    row = rows[0]
    if row["nip"] != nip:
        raise Forbidden("Kegiatan tersebut bukan milik Anda.")
    if row.get("verifikasi") != verification.RETURNED:
        raise ValidationError(
            {
                FIELD: f"Kegiatan ini berstatus {row.get('verifikasi')}, tidak dikembalikan atasan: "
                "tidak perlu diperbaiki."
            }
        )
    return row

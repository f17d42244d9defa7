"""One activity through the app and through the e-Kinerja import counts once: the rule, in this one place.

The rule: an activity imported from e-Kinerja (``sumber`` Impor e-Kinerja) and an activity sent with the app's form
(``sumber`` Aplikasi or blank) are the same activity when they have the same NIP, the same date, the same indicator
(``id_target``, the RHK's row in Target) and the same text after :func:`normalise` (lower case, every run of
punctuation and whitespace made one space). Then the app's row counts and the imported one does not: the app's row
is the one the supervisor verifies in Pantau Kinerja and it carries the duration. Matching is one to one, by rank:
an export may hold the same activity twice in a day, and its k-th copy (the ``-k`` that ends its id,
:func:`import_id`) is the app's when the app has at least k such rows. So two copies in e-Kinerja beside one in the
app count twice, whichever came first, and the import and scoring agree on which copy is the app's.

Why exact after normalising and not "similar": staff who type an activity once and paste it into e-Kinerja (the
"Salin ke e-Kinerja" page) produce the same words, perhaps with other capitals, spaces or a final full stop; two
different activities of one day often differ in one word only ("Rapat koordinasi anggaran" and "Rapat koordinasi
anggaran perubahan"), and a fuzzy match would silently drop real work. Two rows of the same source are never merged
here: the app's retries are caught by its submission id, the import's by its row id (:func:`import_id`).

Where it acts: at import (a row the app already has is shown as "sudah ada" and not written;
``functions.staff.progress_import``) and in scoring (``functions.scoring.inputs.counted_reports`` drops
:func:`extra_imports`, for an app row sent after the import).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

APP, IMPORTED = "Aplikasi", "Impor e-Kinerja"  # LaporanHarian ``sumber``
COLUMN = "sumber"
PREFIX = "ekinerja-"
SEPARATORS = re.compile(r"[\W_]+")

Key = tuple[str, str, str, str]


def normalise(text: Any) -> str:
    """Lower case, every run of punctuation and whitespace one space, trimmed."""
    return SEPARATORS.sub(" ", str(text or "").casefold()).strip()


def _day(value: Any) -> str:
    if hasattr(value, "date") and callable(value.date):  # datetime, pandas Timestamp
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value or "")


def key(row: Mapping[str, Any]) -> Key:
    """What makes two activities the same: NIP, date, indicator, normalised text."""
    return (str(row.get("nip") or ""), _day(row.get("tanggal")), str(row.get("id_target") or ""),
            normalise(row.get("kegiatan")))  # fmt: skip


def imported(row: Mapping[str, Any]) -> bool:
    return row.get(COLUMN) == IMPORTED


def import_id(activity: Key, occurrence: int) -> tuple[str, str]:
    """The submission id and the id of an imported activity, derived from its content and its rank among identical
    rows of the file (``<submission>-<rank>``), so that importing the same export again finds the same ids."""
    text = "\x1f".join((*activity, str(occurrence)))
    submission = PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]
    return submission, f"{submission}-{occurrence}"


def is_the_apps(occurrence: int, app_rows: int) -> bool:
    """Whether the ``occurrence``-th imported copy of an activity is one of the app's ``app_rows`` (the rule)."""
    return occurrence <= app_rows


def extra_imports(rows: Iterable[Mapping[str, Any]]) -> set[str]:
    """The ids of the imported activities that duplicate an app activity (the module's rule)."""
    app: dict[Key, int] = {}
    copies: list[tuple[Key, str]] = []
    for row in rows:
        if imported(row):
            copies.append((key(row), str(row.get("id"))))
        else:
            app[key(row)] = app.get(key(row), 0) + 1
    return {ident for k, ident in copies if is_the_apps(_rank(ident), app.get(k, 0))}


def _rank(ident: str) -> int:
    tail = ident.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 1

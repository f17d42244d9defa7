"""The read model in Firestore: the rows pages read, so that no page reads Google Sheets per instance.

Why: Google allows 60 Sheets reads a minute for the whole city, and every Cloud Functions instance has its own
cache, so page reads grew with instances (issue 12). Firestore serves any number of instances, and the project
already talks to it for the spool (:mod:`functions.store.firestore_rest`, the same client and session).

What is kept (:data:`MODELLED`): the master data (Pegawai, Unit, Layanan), Konfigurasi, HariLibur, complaint state
(Aduan, AduanPeristiwa, AduanPin), kiosks and the forum as whole sheets; each person's Target rows and LaporanHarian
rows of the last :data:`WINDOW_DAYS` days, one document per person; the sheets only the store writes (derived sheets,
PenilaianPerilaku), which the refresh reads once a day (see ``REREAD_SECONDS``). All in the collection ``kinerja_baca``:

* ``manifest``: one small document naming, for every sheet, its current content (a digest and its chunk count;
  for a per-person sheet the first day kept and the index's chunk count). A request reads it once.
* ``<sheet>~_~<digest>~<n>``: a whole sheet's rows as JSON text, in chunks under Firestore's 1 MiB document limit
  (Pegawai of 15,000 staff is about five). Content-addressed: an instance keeps the rows of a digest in memory
  and reads the chunks again only when the manifest names another digest.
* ``<sheet>~<nip>``: one person's rows, with ``keys`` (``<sheet>|<column>=<value>`` of the key and batch key) so
  that a row is found by its id with one ``array-contains`` query on the automatic index.
* ``<sheet>~index~<n>``: the digest of each person's document, read only by the refresh to find what changed.

Two writers. The scheduled refresh (:meth:`ReadModel.refresh`, every minute) reads the sheets (through the spool,
so rows still waiting count) and writes what changed: people's edits in the sheets reach the pages within two
minutes. The app's own writes patch the model at once (:meth:`ReadModel.patch_whole`,
:meth:`ReadModel.patch_part`, read-modify-write under Firestore's ``updateTime`` precondition), so the next page on
any instance sees them. A refresh may have read a sheet before such a write: it leaves alone every document (and
manifest entry) the app patched since :data:`MARGIN` seconds before it began reading, and writes under the
``updateTime`` it saw, so it never puts older content over the app's; the next refresh catches up.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

from functions.schema import Sheet
from functions.store.firestore_rest import Firestore, document, field_filter, plain
from functions.store.protocol import Row
from functions.store.rows import cell, check_complete
from functions.store.spool import decode_rows

log = logging.getLogger(__name__)

COLLECTION = "kinerja_baca"
MANIFEST = "manifest"
WHOLE = "_"  # the part name of a whole sheet
NO_PART = "-"  # the part of rows without a value in the part column (a person typed one away in the sheet)
WINDOW_DAYS = 42  # the review page's 28 waiting days and the week shown, the personal page's recent days
CHUNK_BYTES = 900_000  # of UTF-8 JSON text a chunk (or index part) holds: under Firestore's 1 MiB document limit
COMMIT_CHARS = 4_000_000  # of JSON text one commit carries (Firestore takes 10 MiB a request)
COMMIT_WRITES = 400  # writes one commit carries (Firestore takes 500)
MARGIN = 30.0  # seconds: an app patch this long before a refresh began reading may be older than what it read
TRIES = 5  # read-modify-write attempts of a patch under contention
TAKEN = ("ALREADY_EXISTS", "FAILED_PRECONDITION", "NOT_FOUND")  # a precondition failed


@dataclass(frozen=True)
class Modelled:
    """How a sheet is kept: ``part`` the column each document holds one value of (None: the whole sheet in one
    snapshot); ``window``: only rows of the last :data:`WINDOW_DAYS` days by the sheet's date column."""

    part: str | None = None
    window: bool = False
    published: bool = False  # a derived sheet: see ``PUBLISHED`` below


# Sheets written only through the store (``published``): the derived sheets change only when a scheduled job writes
# them (``replace_period``: the weekly scoring and transparency run), and the job publishes what it wrote into the
# model right after (:meth:`ReadModel.replace_period`); PenilaianPerilaku rows are only appended, by the app, which
# patches the model at once. The refresh reads these sheets only when the model has none of them yet or its copy is
# older than :data:`REREAD_SECONDS` (a self-check: a row a re-run dropped, an edit typed in the sheet).
REREAD_SECONDS = 24 * 3600

MODELLED: dict[str, Modelled] = {
    "Pegawai": Modelled(),
    "Unit": Modelled(),
    "Layanan": Modelled(),
    "Konfigurasi": Modelled(),
    "HariLibur": Modelled(),
    "Aduan": Modelled(),
    "AduanPeristiwa": Modelled(),
    "Target": Modelled(part="nip"),
    "LaporanHarian": Modelled(part="nip", window=True),
    "Kios": Modelled(),
    "AduanPin": Modelled(),  # the status page's PIN check: hashes only, written by the app
    "SuaraWarga": Modelled(),
    "SuaraWargaPeristiwa": Modelled(),
    "DukunganSuara": Modelled(),
    "Skor": Modelled(part="nip", published=True),
    "Peringatan": Modelled(part="nip", published=True),
    "SaranPelatihan": Modelled(part="nip", published=True),
    "SkorUnit": Modelled(published=True),
    "TransparansiIKM": Modelled(published=True),
    "TransparansiAduan": Modelled(published=True),
    "PenilaianPerilaku": Modelled(part="nip", published=True),  # rows only ever appended by the app
}

Change = Callable[[list[Row]], list[Row]]


@dataclass
class RefreshReport:
    sheets_changed: list[str] = field(default_factory=list)
    parts_written: int = 0
    parts_left: int = 0  # patched by the app while the refresh read: the next refresh looks again

    def as_dict(self) -> dict[str, object]:
        return {
            "lembar_berubah": self.sheets_changed,
            "dokumen_ditulis": self.parts_written,
            "dokumen_ditunda": self.parts_left,
        }

    def summary(self) -> str:
        changed = ", ".join(self.sheets_changed) or "tidak ada"
        return (
            f"Salinan baca diperbarui. Lembar yang berubah: {changed}; dokumen per pegawai ditulis: "
            f"{self.parts_written}; ditunda ke putaran berikutnya: {self.parts_left}."
        )


def encode(spec: Sheet, rows: Iterable[Row]) -> str:
    """Rows as a JSON list of cells, a whole number always written as one (``3``, not ``3.0``): the app's rows and
    the same rows read back from the sheets give the same text, so the same digest."""
    return "[" + ",".join(_row_texts(spec, rows)) + "]"


def _row_texts(spec: Sheet, rows: Iterable[Row]) -> list[str]:
    return [
        json.dumps({c.key: _whole_number(c.to_cell(r.get(c.key))) for c in spec.columns}, ensure_ascii=False)
        for r in rows
    ]


def _whole_number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def chunks_of(spec: Sheet, rows: Sequence[Row]) -> list[str]:
    """The rows as JSON lists of at most :data:`CHUNK_BYTES` bytes each (at least one, maybe ``[]``)."""
    out: list[list[str]] = [[]]
    size = 0
    for text in _row_texts(spec, rows):
        length = len(text.encode()) + 1
        if out[-1] and size + length > CHUNK_BYTES:
            out.append([])
            size = 0
        out[-1].append(text)
        size += length
    return ["[" + ",".join(texts) + "]" for texts in out]


def part_value(spec: Sheet, part: str, value: Any) -> str:
    text = cell(spec.column(part), value)
    return str(text) if text not in (None, "") else NO_PART


def row_keys(spec: Sheet, rows: Iterable[Row]) -> list[str]:
    """What a row is found by: ``<sheet>|<column>=<cell>`` of its key and batch key."""
    found: set[str] = set()
    for row in rows:
        for key in filter(None, (spec.key, spec.batch_key)):
            found.add(f"{spec.name}|{key}={cell(spec.column(key), row.get(key))}")
    return sorted(found)


def upserted(spec: Sheet, rows: Sequence[Mapping[str, Any]]) -> Change:
    """A change putting ``rows`` in by key: a row of the same key is replaced in place, a new one goes last."""
    col = spec.column(spec.key)
    clean = check_complete(spec, rows)

    def change(old: list[Row]) -> list[Row]:
        new = {cell(col, r[spec.key]): r for r in clean}
        out = [new.pop(cell(col, r.get(spec.key)), r) for r in old]
        return out + list(new.values())

    return change


def added(spec: Sheet, rows: Sequence[Mapping[str, Any]]) -> Change:
    """A change adding the rows whose key is not there yet (an idempotent intake append)."""
    col = spec.column(spec.key)
    clean = check_complete(spec, rows)

    def change(old: list[Row]) -> list[Row]:
        present = {cell(col, r.get(spec.key)) for r in old}
        return old + [r for r in clean if cell(col, r[spec.key]) not in present]

    return change


def cells_set(spec: Sheet, key: Any, values: Mapping[str, Any]) -> Change:
    """A change setting some cells of the row with key ``key``, as the store checked them."""
    col = spec.column(spec.key)
    wanted = cell(col, key)

    def change(old: list[Row]) -> list[Row]:
        return [check_complete(spec, [{**r, **values}])[0] if cell(col, r.get(spec.key)) == wanted else r for r in old]

    return change


def period_replaced(spec: Sheet, period: Any, rows: Sequence[Row]) -> Change:
    """A change putting ``rows`` in place of the rows of ``period`` (a derived sheet's ``replace_period``)."""
    column = str(spec.period_column)
    return lambda old: [r for r in old if r.get(column) != period] + list(rows)


def removed(spec: Sheet, keys: Sequence[Any]) -> Change:
    col = spec.column(spec.key)
    gone = {cell(col, k) for k in keys}
    return lambda old: [r for r in old if cell(col, r.get(spec.key)) not in gone]


class ReadModel:
    """The model in one Firestore database. ``clock``: wall time, compared across instances (:data:`MARGIN`)."""

    def __init__(self, db: Firestore, sheets: Mapping[str, Sheet], *, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.sheets = sheets
        self.clock = clock
        self.reads = 0  # documents read, for the benchmark's figures
        self._request = threading.local()  # this request's manifest and person documents
        self._whole: dict[str, tuple[str, list[Row]]] = {}  # sheet: (digest, rows), kept while the digest holds

    # -- names -----------------------------------------------------------------------------------------------------
    def name(self, doc: str) -> str:
        return f"{self.db.documents}/{COLLECTION}/{quote(doc, safe='-_.~')}"

    def chunk_name(self, sheet: str, digest: str, number: int) -> str:
        return self.name(f"{sheet}~{WHOLE}~{digest}~{number}")

    def part_name(self, sheet: str, value: str) -> str:
        return self.name(f"{sheet}~{value}")

    def index_name(self, sheet: str, number: int) -> str:
        return self.name(f"{sheet}~index~{number}")

    # -- plain document access -------------------------------------------------------------------------------------
    def get_raw(self, names: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The documents that exist, by name, each with ``fields`` (plain values) and ``updateTime``."""
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(names), 100):
            batch = list(names[start : start + 100])
            answer = self.db.call("POST", ":batchGet", {"documents": batch})
            self.reads += len(batch)
            for item in answer:
                if "found" in item:
                    found = item["found"]
                    fields = {k: _plain(v) for k, v in found.get("fields", {}).items()}
                    out[found["name"]] = {"fields": fields, "updateTime": found.get("updateTime")}
        return out

    def commit_all(self, writes: Sequence[dict[str, Any]]) -> list[bool]:
        """Commit writes in batches within Firestore's limits; a batch refused for a precondition is sent again one
        write at a time. Whether each write went."""
        done: list[bool] = []
        batch: list[dict[str, Any]] = []
        size = 0

        def send() -> None:
            if self.db.commit(batch, failing=TAKEN):
                done.extend([True] * len(batch))
            else:
                done.extend(self.db.commit([w], failing=TAKEN) for w in batch)

        for write in writes:
            length = len(json.dumps(write))
            if batch and (size + length > COMMIT_CHARS or len(batch) >= COMMIT_WRITES):
                send()
                batch, size = [], 0
            batch.append(write)
            size += length
        if batch:
            send()
        return done

    # -- a request -------------------------------------------------------------------------------------------------
    def begin_request(self) -> None:
        """A new request: the manifest and the person documents are read again when next needed."""
        self._request.manifest = None
        self._request.parts = {}

    def manifest(self, *, fresh: bool = False) -> tuple[dict[str, Any], str | None]:
        """The manifest's entries by sheet and its ``updateTime`` (None when there is none yet)."""
        kept = getattr(self._request, "manifest", None)
        if kept is not None and not fresh:
            return kept
        found = self.get_raw([self.name(MANIFEST)]).get(self.name(MANIFEST))
        loaded = (json.loads(found["fields"]["state"]), found["updateTime"]) if found else ({}, None)
        self._request.manifest = loaded
        return loaded

    def _parts(self) -> dict[str, list[Row]]:
        parts = getattr(self._request, "parts", None)
        if parts is None:
            parts = self._request.parts = {}
        return parts

    # -- reading ---------------------------------------------------------------------------------------------------
    def rows(self, sheet: str, where: Mapping[str, Any] | None, start: date | None) -> list[Row] | None:
        """The rows a query needs (to be filtered by the caller), or None when the model cannot answer it: a sheet
        not kept, no refresh yet, a day before the window, or a per-person sheet asked by neither person nor id."""
        how = MODELLED.get(sheet)
        if how is None:
            return None
        entry = self.manifest()[0].get(sheet)
        if entry is None:
            return None
        if how.window and (start is None or start < date.fromisoformat(entry["since"])):
            return None
        spec = self.sheets[sheet]
        if how.part is None:
            return self.whole(sheet)
        where = where or {}
        if how.part in where:
            return self.part(sheet, part_value(spec, how.part, where[how.part]))
        for key in filter(None, (spec.key, spec.batch_key)):
            if key in where:
                return self.found(sheet, f"{sheet}|{key}={cell(spec.column(key), where[key])}")
        return None

    def whole(self, sheet: str) -> list[Row] | None:
        """A whole sheet's rows, from memory while the manifest names the digest held."""
        for attempt in range(2):
            entry = self.manifest(fresh=attempt > 0)[0].get(sheet)
            if entry is None:
                return None
            held = self._whole.get(sheet)
            if held is not None and held[0] == entry["digest"]:
                return held[1]
            names = [self.chunk_name(sheet, entry["digest"], n) for n in range(entry["chunks"])]
            found = self.get_raw(names)
            if len(found) == len(names):
                spec = self.sheets[sheet]
                rows = [r for n in names for r in decode_rows(spec, found[n]["fields"]["rows"])]
                self._whole[sheet] = (entry["digest"], rows)
                return rows
        return None  # replaced twice while being read: the sheets answer this once

    def part(self, sheet: str, value: str) -> list[Row]:
        name = self.part_name(sheet, value)
        parts = self._parts()
        if name not in parts:
            found = self.get_raw([name]).get(name)
            parts[name] = decode_rows(self.sheets[sheet], found["fields"]["rows"]) if found else []
        return parts[name]

    def found(self, sheet: str, key: str) -> list[Row]:
        """The rows of the documents holding a row with this id (one ``array-contains`` query)."""
        docs = self.holding(key)
        spec = self.sheets[sheet]
        return [r for d in docs for r in decode_rows(spec, d["rows"])]

    def holding(self, key: str) -> list[dict[str, Any]]:
        """The person documents holding a row found by ``key`` (one ``array-contains`` query on ``keys``)."""
        docs = self.db.query(
            {"from": [{"collectionId": COLLECTION}], "where": field_filter("keys", "ARRAY_CONTAINS", key)}
        )
        self.reads += max(1, len(docs))  # Firestore bills a query that finds nothing as one read
        return docs

    # -- the app's own writes --------------------------------------------------------------------------------------
    def patch(
        self, sheet: str, rows: Sequence[Mapping[str, Any]], make: Callable[[Sheet, Sequence[Row]], Change]
    ) -> None:
        """Apply ``make(spec, rows)`` to what the model holds of ``sheet``: to a whole sheet's snapshot, or to each
        person's document with that person's rows."""
        how = MODELLED.get(sheet)
        if how is None:
            return
        spec = self.sheets[sheet]
        clean = check_complete(spec, rows)
        if how.part is None:
            self.patch_whole(sheet, make(spec, clean))
            return
        people: dict[str, list[Row]] = {}
        for row in clean:
            people.setdefault(part_value(spec, how.part, row.get(how.part)), []).append(row)
        for value, own in sorted(people.items()):
            self.patch_part(sheet, value, make(spec, own))

    def patch_whole_only(self, sheet: str, change: Callable[[Sheet], Change]) -> None:
        """Apply a change to a whole sheet's snapshot; nothing for a per-person sheet."""
        how = MODELLED.get(sheet)
        if how is not None and how.part is None:
            self.patch_whole(sheet, change(self.sheets[sheet]))

    def patch_key(self, sheet: str, key: Any, change: Change) -> None:
        """Apply a change to the documents holding the row with this key (a whole sheet: its snapshot)."""
        how = MODELLED.get(sheet)
        if how is None:
            return
        spec = self.sheets[sheet]
        if how.part is None:
            self.patch_whole(sheet, change)
            return
        for doc in self.holding(f"{sheet}|{spec.key}={cell(spec.column(spec.key), key)}"):
            self.patch_part(sheet, str(doc["part"]), change)

    def patch_part(self, sheet: str, value: str, change: Change) -> None:
        """Read-modify-write one person's document under its ``updateTime``; given up (and logged) after
        :data:`TRIES` collisions: the sheet has the change and the next refresh brings it."""
        spec = self.sheets[sheet]
        name = self.part_name(sheet, value)
        for _attempt in range(TRIES):
            found = self.get_raw([name]).get(name)
            old = decode_rows(spec, found["fields"]["rows"]) if found else []
            new = change(old)
            precondition = {"updateTime": found["updateTime"]} if found else {"exists": False}
            fields = self.part_fields(spec, value, new, patched=self.clock())
            if self.db.commit([{"update": document(name, fields), "currentDocument": precondition}], failing=TAKEN):
                self._parts()[name] = new
                return
        log.warning("read model: %s of one person not patched after %d tries; the refresh brings it", sheet, TRIES)

    def patch_whole(self, sheet: str, change: Change) -> None:
        """Read-modify-write a whole sheet's snapshot: new chunks, then the manifest under its ``updateTime``."""
        spec = self.sheets[sheet]
        for _attempt in range(TRIES):
            entries, stamp = self.manifest(fresh=True)
            if sheet not in entries:
                return  # not kept yet: the first refresh writes it whole
            rows = self.whole(sheet)
            if rows is None:
                continue
            texts = chunks_of(spec, change(list(rows)))
            digest = digest_of("".join(texts))
            old = entries[sheet]
            if digest == old["digest"]:
                return
            self.commit_all(self.chunk_writes(sheet, digest, texts))
            entry = {**old, "digest": digest, "chunks": len(texts), "at": self.clock()}
            writes = [self.manifest_write({**entries, sheet: entry}, stamp)]
            writes += [{"delete": self.chunk_name(sheet, old["digest"], n)} for n in range(old["chunks"])]
            if self.db.commit(writes, failing=TAKEN):
                self._request.manifest = None
                return
            self.commit_all([{"delete": self.chunk_name(sheet, digest, n)} for n in range(len(texts))])
        log.warning("read model: %s not patched after %d tries; the refresh brings it", sheet, TRIES)

    def replace_period(self, sheet: str, period: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """A job rewrote a period of a derived sheet: the model takes the same rows at once. A whole sheet's snapshot
        is patched; each person with rows in the period gets them in their document (read and written in batches,
        under ``updateTime`` preconditions; a collision is patched alone). A person who had rows in the period and
        has none now keeps them until the refresh's next reading of the sheet (:data:`REREAD_SECONDS`)."""
        how = MODELLED.get(sheet)
        if how is None or sheet not in self.manifest(fresh=True)[0]:
            return  # not kept yet: the first refresh reads it whole
        spec = self.sheets[sheet]
        clean = check_complete(spec, rows)
        if how.part is None:
            self.patch_whole(sheet, period_replaced(spec, period, clean))
            return
        people: dict[str, list[Row]] = {}
        for row in clean:
            people.setdefault(part_value(spec, how.part, row.get(how.part)), []).append(row)
        values = sorted(people)
        for start in range(0, len(values), COMMIT_WRITES):
            batch = values[start : start + COMMIT_WRITES]
            found = self.get_raw([self.part_name(sheet, v) for v in batch])
            writes = []
            for value in batch:
                name = self.part_name(sheet, value)
                doc = found.get(name)
                old = decode_rows(spec, doc["fields"]["rows"]) if doc else []
                new = period_replaced(spec, period, people[value])(old)
                fields = self.part_fields(spec, value, new, patched=self.clock())
                precondition = {"updateTime": doc["updateTime"]} if doc else {"exists": False}
                writes.append({"update": document(name, fields), "currentDocument": precondition})
            for value, done in zip(batch, self.commit_all(writes), strict=True):
                if not done:
                    self.patch_part(sheet, value, period_replaced(spec, period, people[value]))

    # -- documents -------------------------------------------------------------------------------------------------
    def part_fields(self, spec: Sheet, value: str, rows: Sequence[Row], *, patched: float) -> dict[str, Any]:
        text = encode(spec, rows)
        return {
            "sheet": spec.name,
            "part": value,
            "rows": text,
            "digest": digest_of(text),
            "keys": row_keys(spec, rows),
            "patched": float(patched),
        }

    def chunk_writes(self, sheet: str, digest: str, texts: Sequence[str]) -> list[dict[str, Any]]:
        return [
            {"update": document(self.chunk_name(sheet, digest, n), {"sheet": sheet, "rows": text})}
            for n, text in enumerate(texts)
        ]

    def manifest_write(self, entries: Mapping[str, Any], stamp: str | None) -> dict[str, Any]:
        precondition = {"updateTime": stamp} if stamp else {"exists": False}
        fields = {"state": json.dumps(entries, sort_keys=True)}
        return {"update": document(self.name(MANIFEST), fields), "currentDocument": precondition}


def _plain(field: Mapping[str, Any]) -> Any:
    if "arrayValue" in field:
        return [_plain(v) for v in field["arrayValue"].get("values", [])]
    return plain(field)

"""The scheduled refresh of the read model from the sheets: the one job that reads them for the pages.

Cloud Scheduler calls ``refresh_read_model`` every minute (``functions.web.schedule.JOBS``). It reads each kept sheet
once, afresh (:func:`functions.store.scheduled_job`, through the spool so that rows still waiting count), and writes
only what changed: a whole sheet whose digest moved (new chunks, then the manifest), the people whose rows moved
(found with the index of their digests). Safe to repeat: a run that finds nothing changed writes nothing, and runs
that overlap write under ``updateTime`` preconditions (see :mod:`functions.readmodel.model` for how it leaves the
app's own fresher patches alone).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from functions.readmodel.model import (
    CHUNK_BYTES,
    MARGIN,
    MODELLED,
    REREAD_SECONDS,
    TAKEN,
    TRIES,
    WINDOW_DAYS,
    ReadModel,
    RefreshReport,
    chunks_of,
    digest_of,
    encode,
    part_value,
)
from functions.store.firestore_rest import document
from functions.store.protocol import Row

Reader = Callable[[str, date | None], list[Row]]  # (sheet, first day or None): its rows, from the sheets


def refresh(model: ReadModel, read: Reader, today: date) -> RefreshReport:
    """Bring the model in line with the sheets as ``read`` gives them; ``today`` sets the window's first day."""
    began = model.clock()
    since = today - timedelta(days=WINDOW_DAYS)
    entries, _stamp = model.manifest(fresh=True)
    report = RefreshReport()
    ours: dict[str, dict[str, Any]] = {}
    for sheet, how in MODELLED.items():
        old = entries.get(sheet)
        if how.published and old is not None and began - float(old.get("read") or 0.0) < REREAD_SECONDS:
            continue  # a derived sheet: its job published it (ReadModel.replace_period)
        rows = read(sheet, since if how.window else None)
        if how.part is None:
            ours[sheet] = _whole(model, sheet, rows, old, report)
        else:
            ours[sheet] = _parts(model, sheet, how.part, rows, old, began, report)
            if how.window:
                ours[sheet]["since"] = since.isoformat()
        if how.published:
            ours[sheet]["read"] = began
    _commit_manifest(model, ours, began)
    return report


def _whole(
    model: ReadModel, sheet: str, rows: Sequence[Row], old: Mapping[str, Any] | None, report: RefreshReport
) -> dict[str, Any]:
    texts = chunks_of(model.sheets[sheet], rows)
    digest = digest_of("".join(texts))
    if old is not None and old.get("digest") == digest:
        return dict(old)
    model.commit_all(model.chunk_writes(sheet, digest, texts))
    report.sheets_changed.append(sheet)
    return {"digest": digest, "chunks": len(texts), "at": 0.0}


def _parts(
    model: ReadModel,
    sheet: str,
    part: str,
    rows: Sequence[Row],
    old: Mapping[str, Any] | None,
    began: float,
    report: RefreshReport,
) -> dict[str, Any]:
    """Write the people whose rows changed since the index; the new entry (its ``index`` chunk count)."""
    spec = model.sheets[sheet]
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(part_value(spec, part, row.get(part)), []).append(row)
    digests = {value: digest_of(encode(spec, members)) for value, members in groups.items()}
    index = _read_index(model, sheet, int(old["index"]) if old else 0)
    changed = sorted(v for v in set(digests) | set(index) if digests.get(v) != index.get(v))
    docs = model.get_raw([model.part_name(sheet, v) for v in changed])
    fresh = dict(index)
    writes: list[dict[str, Any]] = []
    written: list[str] = []
    for value in changed:
        name = model.part_name(sheet, value)
        doc = docs.get(name)
        if doc is not None and doc["fields"].get("digest") == digests.get(value):
            fresh[value] = digests[value]
            continue
        if doc is not None and float(doc["fields"].get("patched") or 0.0) > began - MARGIN:
            report.parts_left += 1  # the app patched it after we may have read: the next run looks again
            continue
        if value in digests:
            fields = model.part_fields(spec, value, groups[value], patched=0.0)
            precondition = {"updateTime": doc["updateTime"]} if doc else {"exists": False}
            writes.append({"update": document(name, fields), "currentDocument": precondition})
        elif doc is not None:
            writes.append({"delete": name, "currentDocument": {"updateTime": doc["updateTime"]}})
        else:
            fresh.pop(value, None)
            continue
        written.append(value)
    for value, done in zip(written, model.commit_all(writes), strict=True):
        if not done:
            report.parts_left += 1
        elif value in digests:
            fresh[value] = digests[value]
        else:
            fresh.pop(value, None)
        report.parts_written += done
    count = _write_index(model, sheet, fresh) if fresh != index or old is None else int(old["index"])
    return {"index": count, "at": 0.0}


def _read_index(model: ReadModel, sheet: str, count: int) -> dict[str, str]:
    names = [model.index_name(sheet, n) for n in range(count)]
    found = model.get_raw(names)
    index: dict[str, str] = {}
    for name in names:
        if name in found:
            index.update(json.loads(found[name]["fields"]["digests"]))
    return index


def _write_index(model: ReadModel, sheet: str, index: Mapping[str, str]) -> int:
    """The index in chunks under the document limit; the number of chunks."""
    chunks: list[dict[str, str]] = [{}]
    size = 0
    for value, digest in sorted(index.items()):
        if size > CHUNK_BYTES:
            chunks.append({})
            size = 0
        chunks[-1][value] = digest
        size += len(value.encode()) + len(digest) + 8
    writes = [
        {"update": document(model.index_name(sheet, n), {"digests": json.dumps(chunk)})}
        for n, chunk in enumerate(chunks)
    ]
    model.commit_all(writes)
    return len(chunks)


def _commit_manifest(model: ReadModel, ours: Mapping[str, dict[str, Any]], began: float) -> None:
    """The new entries into the manifest under its ``updateTime``; an entry the app patched since ``began`` (less
    the margin) stays the app's. Chunks no entry names any more are deleted with it."""
    for _attempt in range(TRIES):
        entries, stamp = model.manifest(fresh=True)
        merged = dict(entries)
        deletes: list[str] = []
        for sheet, entry in ours.items():
            now = entries.get(sheet)
            if now == entry:
                continue
            if now is not None and float(now.get("at") or 0.0) > began - MARGIN:
                if "digest" in entry and entry["digest"] != now.get("digest"):
                    deletes += _chunk_names(model, sheet, entry)  # ours, written for nothing
                continue
            merged[sheet] = entry
            if now is not None and "digest" in now and now["digest"] != entry.get("digest"):
                deletes += _chunk_names(model, sheet, now)
        if merged == entries:
            model.commit_all([{"delete": n} for n in deletes])
            return
        if model.db.commit([model.manifest_write(merged, stamp)] + [{"delete": n} for n in deletes], failing=TAKEN):
            model.begin_request()
            return


def _chunk_names(model: ReadModel, sheet: str, entry: Mapping[str, Any]) -> list[str]:
    return [model.chunk_name(sheet, str(entry["digest"]), n) for n in range(int(entry["chunks"]))]

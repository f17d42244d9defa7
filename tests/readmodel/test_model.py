"""The read model's documents on the Firestore fake: a sheet of a whole city in chunks under Firestore's 1 MiB
document limit, read back row for row; what changes, and only that, is written again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from functions import schema
from functions.readmodel.model import CHUNK_BYTES, COLLECTION, ReadModel
from functions.readmodel.refresh import refresh
from functions.store.rows import check_complete
from functions.store.spool_firestore import FirestoreSpool
from tests.conftest import employee
from tests.support.firestore_fake import FakeFirestore, running_fake

TODAY = date(2026, 11, 27)
DOCUMENT_LIMIT = 1_048_576  # Firestore's maximum document size, in bytes


@pytest.fixture
def fake() -> Iterator[FakeFirestore]:
    with running_fake() as made:
        yield made


def model_on(fake: FakeFirestore) -> ReadModel:
    spool = FirestoreSpool("uji-model", fake.session(), base_url=fake.url)
    return ReadModel(spool.db, spool.sheets)


def city(count: int) -> list[dict[str, Any]]:
    """``count`` staff with long names and titles (about 400 bytes a row), so a few thousand need several chunks."""
    people = [
        employee(f"19800101200501{n:04d}", f"Pegawai {n} " + "Wicaksono " * 8, "KEL-UJI", None, jabatan="Analis " * 10)
        for n in range(count)
    ]
    return check_complete(schema.sheet("Pegawai"), people)


def reader(rows: dict[str, list[dict[str, Any]]]) -> Any:
    return lambda sheet, _since: [dict(r) for r in rows.get(sheet, [])]


def sizes(fake: FakeFirestore) -> list[int]:
    """The stored size of each read-model document, as its fields' JSON in UTF-8 (above what Firestore counts)."""
    return [len(json.dumps(d["fields"]).encode()) for n, d in fake.docs.items() if f"/{COLLECTION}/" in n]


def test_a_city_of_staff_is_kept_in_chunks_under_the_document_limit_and_read_back_whole(fake: FakeFirestore) -> None:
    staff = city(6000)
    refresh(model_on(fake), reader({"Pegawai": staff}), TODAY)
    chunks = [n for n in fake.docs if f"/{COLLECTION}/Pegawai~_~" in n]
    assert len(chunks) >= 2
    assert max(sizes(fake)) < DOCUMENT_LIMIT and CHUNK_BYTES < DOCUMENT_LIMIT
    other = model_on(fake)  # another instance
    other.begin_request()
    assert other.rows("Pegawai", None, None) == staff
    assert other.rows("Pegawai", {"nip": staff[4321]["nip"]}, None) is not None


def test_only_what_changed_is_written_again_and_old_chunks_go(fake: FakeFirestore) -> None:
    staff = city(3000)
    model = model_on(fake)
    refresh(model, reader({"Pegawai": staff}), TODAY)
    before = {n: d["updateTime"] for n, d in fake.docs.items()}
    staff[10] = {**staff[10], "jabatan": "Lurah"}
    report = refresh(model, reader({"Pegawai": staff}), TODAY)
    assert report.sheets_changed == ["Pegawai"] and report.parts_written == 0
    now = {n: d["updateTime"] for n, d in fake.docs.items()}
    old_chunks, new_chunks = ({n for n in docs if "/Pegawai~_~" in n} for docs in (before, now))
    assert new_chunks and not old_chunks & new_chunks  # a new digest's chunks; the old ones deleted
    others = set(before) - old_chunks - {n for n in before if n.endswith("/manifest")}
    assert others and all(now[n] == before[n] for n in others)  # the index documents, untouched
    seen = model_on(fake)
    seen.begin_request()
    assert (seen.rows("Pegawai", None, None) or [])[10]["jabatan"] == "Lurah"

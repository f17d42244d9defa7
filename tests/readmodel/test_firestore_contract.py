"""What the read model needs Firestore's REST API (v1) to do, checked against the test double it runs on.

Each expectation is Firestore's documented behaviour (https://firebase.google.com/docs/firestore/reference/rest):
``documents:batchGet`` answers each name with ``found`` (a Document with its ``updateTime``) or ``missing``; a write
whose ``currentDocument.updateTime`` is not the stored one fails with 400 FAILED_PRECONDITION, one with
``exists: false`` on a stored document with 409 ALREADY_EXISTS, and a commit is all or nothing; an ``arrayValue``
field is stored as given and ``runQuery`` with ``ARRAY_CONTAINS`` finds the documents whose array holds the value.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from functions.store.firestore_rest import Firestore, FirestoreError, document, field_filter
from tests.support.firestore_fake import FakeFirestore, running_fake


@pytest.fixture
def db() -> Iterator[Firestore]:
    fake: FakeFirestore
    with running_fake() as fake:
        made = Firestore("uji-kontrak", fake.session(), base_url=fake.url, deadline=1.0)
        yield made
        made.close()


def name(db: Firestore, doc: str) -> str:
    return f"{db.documents}/kinerja_baca/{doc}"


def stored(db: Firestore, *docs: str) -> list[dict[str, object]]:
    return list(db.call("POST", ":batchGet", {"documents": [name(db, d) for d in docs]}))


def test_batch_get_answers_found_with_its_update_time_or_missing(db: Firestore) -> None:
    db.commit([{"update": document(name(db, "a"), {"rows": "[]"})}])
    found, missing = stored(db, "a", "b")
    assert found["found"]["name"] == name(db, "a")  # type: ignore[index]
    assert isinstance(found["found"]["updateTime"], str)  # type: ignore[index]
    assert missing == {"missing": name(db, "b")}


def test_a_write_under_an_old_update_time_fails_and_the_whole_commit_with_it(db: Firestore) -> None:
    db.commit([{"update": document(name(db, "a"), {"rows": "satu"})}])
    first = stored(db, "a")[0]["found"]["updateTime"]  # type: ignore[index]
    db.commit([{"update": document(name(db, "a"), {"rows": "dua"}), "currentDocument": {"updateTime": first}}])
    with pytest.raises(FirestoreError) as refused:
        db.commit(
            [
                {"update": document(name(db, "b"), {"rows": "baru"})},
                {"update": document(name(db, "a"), {"rows": "tiga"}), "currentDocument": {"updateTime": first}},
            ]
        )
    assert (refused.value.status, refused.value.code) == (400, "FAILED_PRECONDITION")
    assert stored(db, "a")[0]["found"]["fields"]["rows"] == {"stringValue": "dua"}  # type: ignore[index]
    assert "missing" in stored(db, "b")[0]
    with pytest.raises(FirestoreError) as deleted:
        db.commit([{"delete": name(db, "a"), "currentDocument": {"updateTime": first}}])
    assert deleted.value.code == "FAILED_PRECONDITION"


def test_a_create_of_a_stored_document_fails_with_already_exists(db: Firestore) -> None:
    db.commit([{"update": document(name(db, "a"), {"rows": "satu"})}])
    with pytest.raises(FirestoreError) as refused:
        db.commit([{"update": document(name(db, "a"), {"rows": "dua"}), "currentDocument": {"exists": False}}])
    assert (refused.value.status, refused.value.code) == (409, "ALREADY_EXISTS")


def test_array_contains_finds_the_documents_whose_array_holds_the_value(db: Firestore) -> None:
    db.commit(
        [
            {"update": document(name(db, "p1"), {"keys": ["LaporanHarian|id=k1-1", "LaporanHarian|id_kiriman=k1"]})},
            {"update": document(name(db, "p2"), {"keys": ["LaporanHarian|id=k2-1"]})},
        ]
    )
    query = {"from": [{"collectionId": "kinerja_baca"}]}
    hits = db.query({**query, "where": field_filter("keys", "ARRAY_CONTAINS", "LaporanHarian|id_kiriman=k1")})
    assert [h["name"] for h in hits] == [name(db, "p1")]
    assert db.query({**query, "where": field_filter("keys", "ARRAY_CONTAINS", "LaporanHarian|id=k3-1")}) == []
    array = stored(db, "p2")[0]["found"]["fields"]["keys"]  # type: ignore[index]
    assert array == {"arrayValue": {"values": [{"stringValue": "LaporanHarian|id=k2-1"}]}}

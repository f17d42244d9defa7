"""A report and its photos are stored together or not at all (``functions.staff.report_photos``), with faults
injected into the real stores: a SQLite store whose append fails, a photo folder that fails on the second photo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from functions.errors import StoreUnavailable
from functions.evidence.blobs import FolderBlobs
from functions.runtime import Runtime
from functions.staff import report_photos, reports
from functions.staff.reports import Draft
from functions.store import Row
from functions.store.sqlite import SQLiteStore
from tests.conftest import STAFF_A
from tests.support.pages import activity_fields
from tests.support.photos import phone_jpeg

SID = "a7b6c5d4e3f20011"
LIMIT = 5 * 1024 * 1024


class FailingAppend(SQLiteStore):
    """The real store, but its next appends fail as a store out of reach does."""

    fail = True

    def append(self, sheet: str, rows: list[Row], **kw: Any) -> Any:
        if self.fail:
            raise StoreUnavailable("Google Sheets sedang tidak dapat dipakai (uji).")
        return super().append(sheet, rows, **kw)


class FailingSecondPut(FolderBlobs):
    puts = 0

    def put(self, name: str, data: bytes) -> bool:
        self.puts += 1
        if self.puts == 2:
            raise StoreUnavailable("Penyimpanan foto sedang tidak dapat dipakai (uji).")
        return super().put(name, data)


def draft(runtime: Runtime) -> Draft:
    today = runtime.today()
    form = {"id_kiriman": SID, **activity_fields(0, today, f"{STAFF_A}-{today.year}-1")}
    return Draft.from_form(form, 10)


def uploads() -> dict[int, list[report_photos.Upload]]:
    return {0: [report_photos.Upload(f"{n}.jpg", phone_jpeg(300, 200, seed=n)) for n in range(3)]}


def employee(store: SQLiteStore) -> Row:
    return store.records("Pegawai", where={"nip": STAFF_A})[0]


def test_a_failed_row_write_leaves_no_photo_and_a_retry_stores_all(
    runtime: Runtime, city: dict[str, Any], tmp_path: Path
) -> None:
    store = FailingAppend(runtime.settings.sqlite_path)
    folder = FolderBlobs(tmp_path / "bukti")
    with pytest.raises(StoreUnavailable):
        report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)
    assert folder.names() == [] and store.count("LaporanHarian") == 0
    store.fail = False
    receipt = report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)
    names = report_photos.names_of(receipt.rows[0])
    assert len(names) == 3 and folder.names() == sorted(names)
    again = report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)
    assert again.duplicate and report_photos.names_of(again.rows[0]) == names and folder.names() == sorted(names)


def test_a_failed_photo_write_deletes_the_photos_written_before_it(
    runtime: Runtime, city: dict[str, Any], tmp_path: Path
) -> None:
    folder = FailingSecondPut(tmp_path / "bukti")
    store = runtime.store
    with pytest.raises(StoreUnavailable):
        report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)  # type: ignore[arg-type]
    assert folder.names() == [] and store.count("LaporanHarian") == 0


def test_a_photo_stored_by_an_earlier_attempt_is_kept_when_a_later_one_fails(
    runtime: Runtime, city: dict[str, Any], tmp_path: Path
) -> None:
    folder = FolderBlobs(tmp_path / "bukti")
    store = FailingAppend(runtime.settings.sqlite_path)
    store.fail = False
    report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)
    stored = folder.names()
    store.fail = True  # a resend whose rows cannot be written: the photos of the stored rows stay
    with pytest.raises(StoreUnavailable):
        report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)
    assert folder.names() == stored


def test_photo_names_come_from_the_row_and_the_content(runtime: Runtime, city: dict[str, Any], tmp_path: Path) -> None:
    folder = FolderBlobs(tmp_path / "bukti")
    receipt = report_photos.submit(
        draft(runtime),
        uploads(),
        employee(runtime.store),
        runtime.store,
        folder,
        runtime.now(),
        LIMIT,  # type: ignore[arg-type]
    )
    names = report_photos.names_of(receipt.rows[0])
    assert [n.rsplit("-", 1)[0] for n in names] == [f"{SID}-1-1", f"{SID}-1-2", f"{SID}-1-3"]
    assert len(set(names)) == 3
    assert reports.filled_indexes(draft(runtime)) == [0]


class AppliedButNoAnswer(SQLiteStore):
    """The rows are written, then the answer is lost (a write with no clear answer)."""

    def append(self, sheet: str, rows: list[Row], **kw: Any) -> Any:
        super().append(sheet, rows, **kw)
        raise StoreUnavailable("Google Sheets sedang tidak dapat dipakai (uji: jawaban hilang).")


class Unreachable(FailingAppend):
    def records(self, sheet: str, **kw: Any) -> list[Row]:
        if sheet == "LaporanHarian" and self.fail:
            raise StoreUnavailable("Google Sheets sedang tidak dapat dipakai (uji).")
        return super().records(sheet, **kw)


def test_a_write_applied_without_an_answer_keeps_the_photos_its_rows_list(
    runtime: Runtime, city: dict[str, Any], tmp_path: Path
) -> None:
    store = AppliedButNoAnswer(runtime.settings.sqlite_path)
    folder = FolderBlobs(tmp_path / "bukti")
    with pytest.raises(StoreUnavailable):
        report_photos.submit(draft(runtime), uploads(), employee(store), store, folder, runtime.now(), LIMIT)
    rows = store.records("LaporanHarian")
    assert len(rows) == 1 and folder.names() == sorted(report_photos.names_of(rows[0]))
    assert len(folder.names()) == 3


def test_photos_stay_when_the_store_cannot_even_be_read(runtime: Runtime, city: dict[str, Any], tmp_path: Path) -> None:
    store = Unreachable(runtime.settings.sqlite_path)
    store.fail = False
    rows = reports.validate(draft(runtime), employee(store), store, runtime.now())
    folder = FolderBlobs(tmp_path / "bukti")
    folder.put(f"{SID}-1-1-00aa.jpg", b"jpeg")
    store.fail = True  # the append failed, and so does the read that would tell whether it was applied
    report_photos._undo([f"{SID}-1-1-00aa.jpg"], draft(runtime), rows, store, folder)
    assert folder.names() == [f"{SID}-1-1-00aa.jpg"]
    store.fail = False  # the store answers: nothing lists the photo, so it goes
    report_photos._undo([f"{SID}-1-1-00aa.jpg"], draft(runtime), rows, store, folder)
    assert folder.names() == []

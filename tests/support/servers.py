"""Start real servers in subprocesses on free loopback ports, and stop them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = log.read_text(errors="replace")
            raise RuntimeError(f"server exited with {process.returncode}: {out[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError as err:
            err.close()
            return  # it answers, even if not 200
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def running(command: Sequence[str], env: dict[str, str], ready_url: str) -> Iterator[Server]:
    full_env = {**os.environ, **env}
    # The server's output goes to a file: a pipe nobody reads fills up and stalls the server.
    with tempfile.NamedTemporaryFile(prefix="server-", suffix=".log", delete=False) as handle:
        log = Path(handle.name)
    with log.open("wb") as out:
        # A session of its own: the server and whatever it starts (make run-gsheets starts the web server) are one
        # process group, stopped together.
        process = subprocess.Popen(
            list(command), cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_for(ready_url, process, log)
        yield Server(process, log)
    finally:
        stop(process)
        log.unlink(missing_ok=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by ``running`` and every process it started, also when the test failed: SIGTERM to
    its process group, SIGKILL to what is left after 10 s."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children that outlived the leader


def python_bin(name: str) -> str:
    """A console script of the running interpreter's environment (e.g. functions-framework)."""
    return str(Path(sys.executable).parent / name)

"""POST submit_report on the local server with SQLite: throughput and latency.

Starts ``python -m functions serve`` on a fresh data folder with the demo city, then
20 client threads post daily reports over keep-alive HTTP connections, each with its
own submission id, from the personal links of the demo's staff. Every submission must
answer 200 and be stored exactly once.
"""

from __future__ import annotations

import http.client
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.pages import csrf_of
from tests.servers import free_port, running

CLIENTS = 20
PER_CLIENT = 150


@dataclass
class SubmitFigures:
    submissions: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    stored: int
    failures: int


def _links(data_dir: Path, secret: str) -> list[tuple[str, str]]:
    from functions import reports
    from functions.links import personal_links
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore

    settings = Settings(data_dir=data_dir, secret_key=secret)
    store = SQLiteStore(settings.sqlite_path)
    today = time.localtime()
    out = []
    for link in personal_links(store, settings):
        targets = reports.targets_for(store, link["nip"], today.tm_year)
        if targets:
            out.append((link["report"], targets[0]["id"]))
    store.close()
    return out


def run(clients: int = CLIENTS, per_client: int = PER_CLIENT) -> SubmitFigures:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore

    secret = "bench-" + "k" * 40
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        port = free_port()
        env = {
            "KINERJA_DATA_DIR": str(data_dir),
            "KINERJA_SECRET_KEY": secret,
            "PORT": str(port),
            "KINERJA_LOG_FORMAT": "json",
        }
        command = [sys.executable, "-m", "functions", "serve"]
        with running(command, env, f"http://127.0.0.1:{port}/healthz"):
            links = _links(data_dir, secret)
            store = SQLiteStore(Settings(data_dir=data_dir, secret_key=secret).sqlite_path)
            before = store.count("LaporanHarian")
            today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
            latencies: list[float] = []
            failures: list[int] = []
            lock = threading.Lock()

            def client(n: int) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                first = urlsplit(links[0][0])
                conn.request("GET", f"{first.path}?{first.query}")
                page = conn.getresponse()
                csrf = csrf_of(page.read().decode())
                cookie = page.getheader("Set-Cookie", "").split(";", 1)[0]
                mine: list[float] = []
                bad = 0
                for k in range(per_client):
                    url, target = links[(n * per_client + k) % len(links)]
                    parts = urlsplit(url)
                    body = urlencode(
                        {
                            "id_kiriman": f"bench{n:03d}x{k:05d}",
                            "aksi": "kirim",
                            "tanggal-0": today,
                            "csrf": csrf,
                            "kegiatan-0": "Melayani permohonan warga",
                            "id_target-0": target,
                            "kuantitas-0": "2",
                            "durasi_menit-0": "30",
                        }
                    )
                    start = time.perf_counter()
                    conn.request(
                        "POST",
                        f"{parts.path}?{parts.query}",
                        body=body,
                        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                    )
                    answer = conn.getresponse()
                    answer.read()
                    mine.append(time.perf_counter() - start)
                    if answer.status != 200:
                        bad += 1
                conn.close()
                with lock:
                    latencies.extend(mine)
                    failures.append(bad)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - began
            stored = store.count("LaporanHarian") - before
            store.close()
    total = clients * per_client
    latencies.sort()
    return SubmitFigures(
        submissions=total,
        seconds=seconds,
        per_second=total / seconds,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[int(len(latencies) * 0.99) - 1] * 1000,
        stored=stored,
        failures=sum(failures),
    )


def import_time(runs: int = 7) -> tuple[float, bool]:
    """Median seconds to import the submit path in a fresh interpreter, and whether pandas came along."""
    import subprocess

    code = (
        "import time; t = time.perf_counter(); import main; from functions import report_page; "
        "import sys; print(time.perf_counter() - t, 'pandas' in sys.modules)"
    )
    times = []
    pandas = False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        seconds, loaded = out.stdout.split()
        times.append(float(seconds))
        pandas = pandas or loaded == "True"
    return statistics.median(times), pandas

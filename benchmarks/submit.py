"""POST submit_report on the local server with SQLite: throughput and latency.

Starts ``python -m functions serve`` on a fresh data folder with the demo city, then
20 client threads post daily reports over keep-alive HTTP connections, each with its
own submission id, from the personal links of the demo's staff. Every submission must
answer 200 and be stored exactly once.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.load import CLIENTS, PER_CLIENT, SubmitFigures, figures, post_load
from tests.support.servers import free_port, running


def _links(data_dir: Path, secret: str) -> list[tuple[str, str]]:
    from functions.settings import Settings
    from functions.staff import reports
    from functions.staff.links import personal_links
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
            first = urlsplit(links[0][0])

            def request(n: int, k: int) -> tuple[str, dict[str, str]]:
                url, target = links[(n * per_client + k) % len(links)]
                parts = urlsplit(url)
                return f"{parts.path}?{parts.query}", {
                    "id_kiriman": f"bench{n:03d}x{k:05d}",
                    "aksi": "kirim",
                    "tanggal-0": today,
                    "kegiatan-0": "Melayani permohonan warga",
                    "id_target-0": target,
                    "kuantitas-0": "2",
                    "durasi_menit-0": "30",
                }

            seconds, latencies, failures = post_load(port, f"{first.path}?{first.query}", request, clients, per_client)
            stored = store.count("LaporanHarian") - before
            store.close()
    return figures(seconds, latencies, failures, stored)


def import_time(runs: int = 7) -> tuple[float, bool]:
    """Median seconds to import the submit path in a fresh interpreter, and whether pandas came along."""
    import subprocess

    code = (
        "import time; t = time.perf_counter(); import main; from functions.web.staff import report_page; "
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

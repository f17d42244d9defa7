"""POST submit_survey on the local server with SQLite: throughput and latency.

Starts ``python -m functions serve`` on a fresh data folder with the demo city, then
20 client threads post satisfaction surveys over keep-alive HTTP connections, each with
its own submission id, spread over the demo's services; one in five names a staff member
of the unit. Every submission must answer 200 and be stored exactly once. The server's
rate limit (a few posts per minute per address) would refuse a benchmark from one
address, so it runs with ``KINERJA_RATE_LIMIT=100000``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.load import CLIENTS, PER_CLIENT, SubmitFigures, figures, post_load
from tests.support.servers import free_port, running

RATE_LIMIT = 100_000


def _services(data_dir: Path, secret: str) -> list[tuple[str, list[str]]]:
    """Each open service of the demo city with the NIPs of its unit's active staff."""
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore

    store = SQLiteStore(Settings(data_dir=data_dir, secret_key=secret).sqlite_path)
    staff: dict[str, list[str]] = {}
    for person in store.records("Pegawai"):
        if person["aktif"]:
            staff.setdefault(person["unit"], []).append(person["nip"])
    out = [(s["id"], staff.get(s["unit"], [])) for s in store.records("Layanan") if s["aktif"] is not False]
    store.close()
    return out


def _answers(n: int, k: int, staff: list[str]) -> dict[str, str]:
    """A varied, valid response: answers 2-4, a profile, now and then a staff member and a suggestion."""
    fields = {f"u{i}": str(2 + (n + k + i) % 3) for i in range(1, 10)}
    fields.update({"usia": "30-39", "jenis_kelamin": ("Laki-laki", "Perempuan")[k % 2], "pekerjaan": "Wiraswasta"})
    if staff and k % 5 == 0:
        fields["nip_pegawai"] = staff[k % len(staff)]
    if k % 4 == 0:
        fields["saran"] = "Antrean sudah lebih tertib, mohon ruang tunggu ditambah kursinya."
    return fields


def run(clients: int = CLIENTS, per_client: int = PER_CLIENT) -> SubmitFigures:
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore

    secret = "bench-" + "k" * 40
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        port = free_port()
        env = {
            "KINERJA_DATA_DIR": str(data_dir),
            "KINERJA_SECRET_KEY": secret,
            "KINERJA_RATE_LIMIT": str(RATE_LIMIT),
            "PORT": str(port),
            "KINERJA_LOG_FORMAT": "json",
        }
        command = [sys.executable, "-m", "functions", "serve"]
        with running(command, env, f"http://127.0.0.1:{port}/healthz"):
            services = _services(data_dir, secret)
            store = SQLiteStore(Settings(data_dir=data_dir, secret_key=secret).sqlite_path)
            before = store.count("Survei")

            def request(n: int, k: int) -> tuple[str, dict[str, str]]:
                service, staff = services[(n * per_client + k) % len(services)]
                path = f"/submit_survey?{urlencode({'layanan': service})}"
                return path, {"id_kiriman": f"bench{n:03d}x{k:05d}", **_answers(n, k, staff)}

            form = f"/submit_survey?{urlencode({'layanan': services[0][0]})}"
            seconds, latencies, failures = post_load(port, form, request, clients, per_client)
            stored = store.count("Survei") - before
            store.close()
    return figures(seconds, latencies, failures, stored)


def main() -> None:
    fig = run()
    print(
        f"POST submit_survey: {fig.per_second:.0f}/s, p50 {fig.p50_ms:.1f} ms, p99 {fig.p99_ms:.1f} ms, "
        f"stored {fig.stored}, failures {fig.failures}"
    )


if __name__ == "__main__":
    main()

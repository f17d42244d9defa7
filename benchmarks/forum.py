"""Suara Warga's public pages on a busy forum: ``python -m benchmarks.forum``.

The demo city on a fresh SQLite file plus ``SUGGESTIONS`` published suggestions (a quarter on one service, the rest
on another of the same unit), every other one answered, each with ``SUPPORTS`` supports. Prints the median time of
``RUNS`` GETs (Flask's test client, no network) of the busy service's page and of the forum's index.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

from functions.rules.workdays import WIB

SUGGESTIONS = 2000
SUPPORTS = 10
RUNS = 7
BUSY, OTHER, UNIT = "DISDUKCAPIL-KTP", "DISDUKCAPIL-KK", "DISDUKCAPIL"
STAFF = "198001012005011001"


def rows() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"SuaraWarga": [], "SuaraWargaPeristiwa": [], "DukunganSuara": []}
    for n in range(SUGGESTIONS):
        ident, service = f"bench{n:06d}", BUSY if n < SUGGESTIONS // 4 else OTHER
        at = datetime(2026, 11, 2 + n % 25, 9, 0, tzinfo=WIB)
        common = {"id_suara": ident, "id_layanan": service}
        out["SuaraWarga"].append({"id": ident, "id_layanan": service, "unit": UNIT, "jenis": "Saran",
                                  "teks": "Saran uji " * 20, "tanggal": at.date(), "diterima_pada": at})  # fmt: skip
        steps = [("Diterbitkan", "Saran uji " * 20)] + ([("Dijawab", "Jawaban " * 20)] if n % 2 else [])
        for k, (kind, text) in enumerate(steps):
            out["SuaraWargaPeristiwa"].append({"id": f"{ident}-{k}", **common, "unit": UNIT, "jenis": kind,
                                               "teks": text, "oleh_nip": STAFF, "tanggal": at.date(),
                                               "waktu": at.replace(hour=9 + k)})  # fmt: skip
        out["DukunganSuara"].extend(
            {"id": f"{n:032d}{k:032d}", **common, "tanggal": at.date()} for k in range(SUPPORTS)
        )
    return out


def run() -> dict[str, float]:
    from functions.demo.seed import seed_demo
    from functions.runtime import Runtime
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore
    from functions.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key="tolok-ukur-" * 4)
        store = SQLiteStore(settings.sqlite_path)
        seed_demo(store, date(2026, 12, 4))
        for sheet, batch in rows().items():
            store.append(sheet, batch)
        client = create_app(Runtime(settings=settings, store=store)).test_client()
        figures = {}
        for name, url in (("service", f"/suara_warga?layanan={BUSY}"), ("index", "/suara_warga")):
            assert client.get(url).status_code == 200
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - start)
            figures[name] = statistics.median(times)
        store.close()
    return figures


def main() -> None:
    fig = run()
    print(
        f"Suara Warga, {SUGGESTIONS:,} suggestions ({SUGGESTIONS // 4} on the busy service), "
        f"{SUGGESTIONS * SUPPORTS:,} supports: service page {fig['service'] * 1000:.0f} ms, "
        f"index {fig['index'] * 1000:.0f} ms (median of {RUNS})"
    )


if __name__ == "__main__":
    main()

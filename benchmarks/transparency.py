"""The transparency page of a city-sized quarter: publishing the figures, and a page view from the snapshot.

A synthetic city in a fresh SQLite store (``random.Random(42)``): ``UNITS`` units with ``SERVICES`` services, a
quarter of surveys (``SURVEYS`` rows, answers 1-4 leaning to 3, about 5% unanswered) and ``COMPLAINTS`` complaints
with their dispatch and answer events. Measures ``transparency.publish`` (what the weekly run adds) and page views
through the Flask test client: the first after publishing (reads the snapshot) and then ``VIEWS`` more (from the
process's cache). ``python -m benchmarks.transparency`` prints the figures and rewrites its section of
docs/benchmarks.md; ``make bench`` writes it with the rest.
"""

from __future__ import annotations

import random
import re
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

UNITS, SERVICES, SURVEYS, COMPLAINTS, VIEWS = 60, 500, 120_000, 2_500, 200
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 4, 6, 0, tzinfo=WIB)
QUARTER_START = date(2026, 10, 1)
CATEGORIES = ("Pelayanan", "Infrastruktur", "Kesehatan", "Kependudukan", "Kepegawaian", "Lainnya")
ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## The transparency page (local, SQLite)"


@dataclass(frozen=True)
class Figures:
    surveys: int
    complaints: int
    ikm_rows: int
    complaint_rows: int
    publish_s: float
    first_view_ms: float
    view_p50_ms: float
    view_p99_ms: float
    page_kb: float


def seed(store: object) -> None:
    from functions.citizens.ikm import KEYS
    from functions.store.sqlite import SQLiteStore

    assert isinstance(store, SQLiteStore)
    rng = random.Random(42)
    units = [{"kode": f"UNIT-{u:02d}", "nama": f"Unit Pelayanan {u:02d}", "jenis": "Dinas"} for u in range(UNITS)]
    services = [{"id": f"LAYANAN-{s:03d}", "unit": units[s % UNITS]["kode"], "nama": f"Layanan {s:03d}",
                 "populasi": rng.randrange(500, 50_000), "aktif": True} for s in range(SERVICES)]  # fmt: skip
    store.upsert_many({"Unit": units, "Layanan": services})
    days = (NOW.date() - QUARTER_START).days
    rows = []
    for n in range(SURVEYS):
        svc = services[rng.randrange(SERVICES)]
        at = datetime.combine(QUARTER_START + timedelta(days=rng.randrange(days)), datetime.min.time(), WIB)
        answers = {k: (None if rng.random() < 0.05 else rng.choices((1, 2, 3, 4), (5, 15, 50, 30))[0]) for k in KEYS}
        rows.append({"id": f"bench-survei-{n:07d}", "unit": svc["unit"], "id_layanan": svc["id"],
                     "tanggal": at.date(), "diterima_pada": at + timedelta(hours=9), **answers})  # fmt: skip
    for start in range(0, len(rows), 5_000):
        store.append("Survei", rows[start : start + 5_000])
    complaints, events = [], []
    for n in range(COMPLAINTS):
        at = datetime.combine(QUARTER_START + timedelta(days=rng.randrange(days)), datetime.min.time(), WIB)
        at += timedelta(hours=10)
        unit = units[rng.randrange(UNITS)]["kode"]
        ident = f"bench-aduan-{n:06d}"
        complaints.append({"id": ident, "kode": f"ADU-{n:04d}-BNCH-{n % 9999:04d}", "tanggal": at.date(),
                           "diterima_pada": at, "kategori": rng.choice(CATEGORIES), "unit": unit,
                           "uraian": "Uraian pengaduan.", "privasi": "Biasa", "ada_kontak": False,
                           "batas_verifikasi": at + timedelta(days=3),
                           "batas_tindak_lanjut": at + timedelta(days=10)})  # fmt: skip
        events.append({"id": f"{ident}-d", "id_aduan": ident, "jenis": "Didisposisikan", "unit_tujuan": unit,
                       "waktu": at + timedelta(days=rng.randrange(1, 4))})  # fmt: skip
        if rng.random() < 0.8:
            events.append({"id": f"{ident}-t", "id_aduan": ident, "jenis": "Ditindaklanjuti", "catatan": "Jawaban.",
                           "waktu": at + timedelta(days=rng.randrange(4, 15))})  # fmt: skip
    store.append("Aduan", complaints)
    store.append("AduanPeristiwa", events)


def run() -> Figures:
    from functions.citizens import transparency
    from functions.rules.workdays import Calendar
    from functions.runtime import Runtime
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore
    from functions.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), secret_key="bench-" + "k" * 40)
        store = SQLiteStore(settings.sqlite_path)
        seed(store)
        start = time.perf_counter()
        published = transparency.publish(store, Calendar(), NOW)
        publish_s = time.perf_counter() - start
        client = create_app(Runtime(settings=settings, store=store)).test_client()
        start = time.perf_counter()
        first = client.get("/transparansi")
        first_ms = (time.perf_counter() - start) * 1000
        assert first.status_code == 200
        times = []
        for _ in range(VIEWS):
            start = time.perf_counter()
            assert client.get("/transparansi").status_code == 200
            times.append((time.perf_counter() - start) * 1000)
        store.close()
    times.sort()
    return Figures(
        surveys=SURVEYS,
        complaints=COMPLAINTS,
        ikm_rows=published.ikm_rows,
        complaint_rows=published.complaint_rows,
        publish_s=publish_s,
        first_view_ms=first_ms,
        view_p50_ms=statistics.median(times),
        view_p99_ms=times[int(len(times) * 0.99) - 1],
        page_kb=len(first.data) / 1024,
    )


def section(fig: Figures) -> str:
    return f"""{TITLE}

`functions.citizens.transparency.publish` (what the weekly scoring run adds) on a synthetic city in SQLite:
{UNITS} units, {SERVICES} services, {fig.surveys:,} surveys and {fig.complaints:,} complaints in the quarter
(`random.Random(42)`); then `GET /transparansi` through the Flask test client, the first view after publishing
and {VIEWS} more.

| figure | value | target |
|---|---|---|
| publish (four quarters) | {fig.publish_s:.1f} s | a few minutes |
| rows written | {fig.ikm_rows} IKM, {fig.complaint_rows} complaints | |
| first page view (reads the snapshot) | {fig.first_view_ms:.0f} ms | |
| page view p50 / p99 (cached) | {fig.view_p50_ms:.1f} ms / {fig.view_p99_ms:.1f} ms | under 100 ms |
| page size | {fig.page_kb:.0f} KB | |
"""


def main() -> None:
    from benchmarks.run import machine

    fig = run()
    print(section(fig))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    stamp = f"Run: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}, commit {commit.strip() or '?'}, "
    text = section(fig).replace("\n\n", f"\n\n{stamp}{machine()}, `python -m benchmarks.transparency`.\n\n", 1)
    doc = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"{re.escape(TITLE)}\n.*?(?=\n## |\Z)", re.DOTALL)
    doc = (
        pattern.sub(lambda _: text.rstrip("\n") + "\n", doc)
        if pattern.search(doc)
        else doc.rstrip("\n") + "\n\n" + text
    )
    DOC.write_text(doc, encoding="utf-8")
    print(f"Written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

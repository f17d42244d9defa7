"""One week of emails for the synthetic city, rendered and delivered to a local SMTP server.

``run()`` uses three processes, so that each figure is its own:

- ``python -m benchmarks.mail city DIR`` writes the city to a fresh SQLite store in DIR: 15,000
  employees in 300 units, each unit with a head, teams of about eight (about 1,900 supervisors),
  the derived sheets of week 2026-W48 (Skor of eight weeks and of November, SkorUnit, Peringatan,
  SaranPelatihan) and some activities waiting for verification. ``random.Random(42)``.
- ``python -m benchmarks.mail smtp`` is an aiosmtpd server on a loopback port that counts what it
  accepts by the ``X-Kinerja-Kunci`` header and keeps nothing else.
- ``python -m benchmarks.mail send DIR PORT`` is the timed part, what ``jobs.weekly`` does:
  ``compose.plan_weekly`` (reading the sheets), then ``sender.send`` with ``SMTPTransport``
  (rendering each email, delivering it, writing its Terkirim row), then its peak RSS
  (``resource.getrusage``); then a second run the same way, which must send nothing.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from functions import periods
from functions.demo.data import FIRST_NAMES, LAST_NAMES, PROFILES
from functions.rules.workdays import WIB
from functions.scoring.training_catalogue import rows as catalogue

EMPLOYEES = 15_000
UNITS = 300
LEADS = 0.13  # supervisors among the members below a head: teams of a supervisor and about seven staff
WEEK = periods.parse("2026-W48")
MONTH = periods.month(WEEK.end)
WEEKS = 8  # of Skor history: what a supervisor's chart shows
NOW = datetime(2026, 11, 30, 6, 0, tzinfo=WIB)
SECRET = "bench-" + "k" * 40
HOST = "127.0.0.1"
KIND_OF_UNIT = ("Kelurahan", "Puskesmas", "Kecamatan", "Bidang", "Dinas", "Bagian", "Badan")
Row = dict[str, Any]
KEY_RE = re.compile(rb"^X-Kinerja-Kunci: *([^\r\n]+)", re.MULTILINE)


@dataclass(frozen=True)
class MailFigures:
    employees: int
    supervisors: int
    heads: int
    emails: int
    by_kind: dict[str, int]  # compose.KINDS key -> emails
    plan_seconds: float
    send_seconds: float
    seconds: float
    per_second: float
    peak_mib: float
    received: int
    duplicates: int
    terkirim: int
    rerun_seconds: float
    rerun_sent: int
    load: float  # the machine's 1-minute load average when the timed run ended


# -- the city --------------------------------------------------------------------------------------


def build_city(folder: Path, seed: int = 42) -> dict[str, int]:
    """Write the city to ``folder``'s SQLite store; returns how many people of each role."""
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore

    rng = random.Random(seed)
    store = SQLiteStore(Settings(data_dir=folder, secret_key=SECRET).sqlite_path)
    people, units, supervisors = _people(rng)
    store.upsert_many({"Unit": units, "Pegawai": people})
    weeks = [periods.week(WEEK.start - timedelta(weeks=back)) for back in range(WEEKS - 1, -1, -1)]
    level = {p["nip"]: rng.uniform(55, 95) for p in people}
    for period in weeks:
        current = period == WEEK
        rows = [_skor(rng, p, period, level[p["nip"]], current) for p in people]
        store.replace_period("Skor", period.label, rows)
    store.replace_period("Skor", MONTH.label, [_skor(rng, p, MONTH, level[p["nip"]], True) for p in people])
    for period in (WEEK, MONTH):
        store.replace_period("SkorUnit", period.label, [_unit_score(rng, u, period) for u in units])
    store.replace_period("Peringatan", WEEK.label, _warnings(rng, people, units, supervisors))
    store.replace_period("SaranPelatihan", WEEK.label, _suggestions(rng, people))
    store.append("LaporanHarian", _waiting(rng, people))
    store.close()
    return {"employees": len(people), "supervisors": len(supervisors), "heads": len(units)}


def _people(rng: random.Random) -> tuple[list[Row], list[Row], set[str]]:
    taken: set[str] = set()
    units: list[Row] = []
    for n in range(1, UNITS + 1):
        jenis = KIND_OF_UNIT[n % len(KIND_OF_UNIT)]
        units.append(dict(kode=f"U{n:03d}", nama=f"{jenis} Uji {n:03d}", jenis=jenis, predikat_organisasi="Baik"))
    sizes = [rng.uniform(0.5, 1.5) for _ in units]
    scale = (EMPLOYEES - UNITS) / sum(sizes)
    members = [max(2, round(size * scale)) for size in sizes]
    members[-1] += EMPLOYEES - UNITS - sum(members)
    people: list[Row] = []
    supervisors: set[str] = set()
    for unit, count in zip(units, members, strict=True):
        head = _person(rng, taken, unit["kode"], None, "Kepala Unit")
        unit["nip_kepala"] = head["nip"]
        leads = [
            _person(rng, taken, unit["kode"], head["nip"], "Penyelia") for _ in range(max(1, round(count * LEADS)))
        ]
        staff = [
            _person(rng, taken, unit["kode"], leads[n % len(leads)]["nip"], "Pelaksana")
            for n in range(count - len(leads))
        ]
        people += [head, *leads, *staff]
        supervisors.update(lead["nip"] for lead in leads)
    return people, units, supervisors


def _person(rng: random.Random, taken: set[str], unit: str, boss: str | None, jabatan: str) -> Row:
    gender = rng.choice((1, 2))
    nip = ""
    while not nip or nip in taken:
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
        hired = f"{born.year + rng.randint(22, 30)}{rng.randint(1, 12):02d}"
        nip = f"{born:%Y%m%d}{hired}{gender}{rng.randrange(1000):03d}"
    taken.add(nip)
    name = f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES[gender])}"
    email = f"p{nip}@bench.semarangkota.go.id"
    return dict(nip=nip, nama=name, jabatan=jabatan, unit=unit, nip_atasan=boss, email=email, aktif=True)


def _who(person: Row) -> Row:
    """The columns naming a person in the derived sheets."""
    return {key: person[key] for key in ("nip", "nama", "unit", "nip_atasan")}


def _skor(rng: random.Random, person: Row, period: periods.Period, level: float, full: bool) -> Row:
    """A Skor row: the total only for past weeks, every component for the week and the month."""
    row = _who(person) | dict(
        id=f"{period.label}:{person['nip']}",
        periode=period.label,
        jenis_periode=period.kind,
        mulai=period.start,
        selesai=period.end,
        total=round(min(100.0, max(0.0, rng.gauss(level, 6))), 1),
    )
    if not full:
        return row
    parts = []
    indicators = rng.choice(list(PROFILES.values()))[:3]
    for ind in indicators:
        target = rng.randint(5, 60)
        done = rng.randint(0, target)
        share = round(100 * done / target)
        parts.append(f"{ind.indikator}: {done} / {target},0 {ind.satuan} ({share}%, bobot {ind.bobot})")
    change = round(rng.uniform(-8, 8), 1)
    row |= dict(
        hasil_kerja=round(rng.uniform(40, 100), 1),
        rincian_hasil_kerja="; ".join(parts),
        responsivitas=rng.choice((None, 50.0, 100.0)),
        aduan_jumlah=rng.randint(0, 3),
        aduan_tepat_waktu=rng.randint(0, 2),
        kepuasan=round(rng.uniform(70, 95), 1),
        kepuasan_sumber="Unit",
        kepuasan_responden=rng.randint(10, 80),
        kedisiplinan=round(rng.uniform(60, 100), 1),
        hari_kerja=5,
        hari_lapor=rng.randint(3, 5),
        hari_cuti=0,
        komponen="Hasil kerja, Kepuasan, Kedisiplinan",
        perubahan=change,
        tren="Naik" if change > 2 else "Turun" if change < -2 else "Stabil",
    )
    if period.kind == "Bulan" and rng.random() < 0.6:
        row |= dict(rating_hasil_kerja="Sesuai Ekspektasi", rating_perilaku="Sesuai Ekspektasi", predikat="Baik")
    return row


def _unit_score(rng: random.Random, unit: Row, period: periods.Period) -> Row:
    return dict(
        id=f"{period.label}:{unit['kode']}",
        periode=period.label,
        jenis_periode=period.kind,
        unit=unit["kode"],
        pegawai=50,
        rata_total=round(rng.uniform(65, 90), 1),
        ikm_konversi=round(rng.uniform(70, 95), 2),
        mutu_ikm=rng.choice(("A", "B", "B", "C")),
        responden_skm=rng.randint(20, 400),
        sampel_cukup=rng.random() < 0.7,
        aduan_jumlah=rng.randint(0, 20),
        aduan_tepat_waktu=rng.randint(0, 10),
        sangat_baik=rng.randint(0, 5),
        baik=rng.randint(20, 40),
        butuh_perbaikan=rng.randint(0, 5),
        kurang=rng.randint(0, 2),
        sangat_kurang=0,
        predikat_organisasi="Baik",
        distribusi_sesuai=True,
    )


WARNINGS = (
    ("Tidak Melapor", "Perhatian", "Tidak ada laporan harian tiga hari kerja."),
    ("Skor Turun", "Penting", "Skor total turun tiga minggu berturut-turut."),
    ("Kendala Berulang", "Perhatian", 'Kendala yang sama: "Aplikasi sering error".'),
)


def _warnings(rng: random.Random, people: list[Row], units: list[Row], supervisors: set[str]) -> list[Row]:
    """About 8% of the staff and 5% of the supervisors warned, and one unit in ten."""
    rows = []
    for p in people:
        if p["nip"] in supervisors and rng.random() < 0.05:
            jenis, tingkat, alasan = "Verifikasi Tertunda", "Penting", "3 kegiatan menunggu verifikasi."
        elif rng.random() < 0.08:
            jenis, tingkat, alasan = rng.choice(WARNINGS)
        else:
            continue
        ident = f"{WEEK.label}:{jenis}:{p['nip']}"
        rows.append(_who(p) | dict(id=ident, periode=WEEK.label, jenis=jenis, tingkat=tingkat, alasan=alasan))
    for u in units:
        if rng.random() < 0.1:
            ident, alasan = f"{WEEK.label}:IKM:{u['kode']}", "IKM unit di bawah 76,61."
            rows.append(dict(id=ident, periode=WEEK.label, unit=u["kode"], jenis="IKM Rendah", tingkat="Penting",
                             alasan=alasan))  # fmt: skip
    return rows


def _suggestions(rng: random.Random, people: list[Row]) -> list[Row]:
    """One or two trainings for about 15% of the people."""
    rows = []
    for p in people:
        if rng.random() >= 0.15:
            continue
        for n, t in enumerate(rng.sample(catalogue(), rng.randint(1, 2)), start=1):
            training = dict(id_katalog=t["id"], nama_pelatihan=t["nama"], jenis=t["jenis"], jp=t["jp"])
            rows.append(
                _who(p)
                | training
                | dict(id=f"{WEEK.label}:{p['nip']}:{n}", periode=WEEK.label, urutan=n, jp_tahun_ini=8, jp_kurang=12)
                | dict(alasan="Komponen hasil kerja di bawah 60.")
            )
    return rows


def _waiting(rng: random.Random, people: list[Row]) -> list[Row]:
    """One to three activities of the week waiting for verification, for about one in ten with a supervisor."""
    rows = []
    for p in people:
        if p["nip_atasan"] is None or rng.random() >= 0.1:
            continue
        for n in range(rng.randint(1, 3)):
            day = WEEK.start + timedelta(days=rng.randrange(5))
            activity = dict(kegiatan="Melayani warga", id_target=f"{p['nip']}-2026-1", kuantitas=3, satuan="orang")
            rows.append(
                {key: p[key] for key in ("nip", "nama", "unit")}
                | activity
                | dict(id=f"b{p['nip']}-{n}", id_kiriman=f"b{p['nip']}-{n}", tanggal=day, durasi_menit=60)
                | dict(indikator="Jumlah warga yang dilayani", verifikasi="Menunggu")
                | dict(diterima_pada=datetime(day.year, day.month, day.day, 15, tzinfo=WIB))
            )
    return rows


# -- the SMTP server -------------------------------------------------------------------------------


class CountingServer:
    """aiosmtpd handler that counts each accepted message by its key header, and keeps nothing else."""

    def __init__(self) -> None:
        self.keys: Counter[bytes] = Counter()
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        match = KEY_RE.search(raw[:4096])
        with self.lock:
            self.keys[match.group(1) if match else b"?"] += 1
            self.bytes += len(raw)
        return "250 2.0.0 OK"


def serve_smtp() -> None:
    """Print the port, serve until stdin closes or says stop, then print the counts as JSON."""
    from aiosmtpd.controller import Controller

    from tests.support.servers import free_port

    handler = CountingServer()
    port = free_port()
    controller = Controller(handler, hostname=HOST, port=port, server_hostname=HOST)
    controller.start()
    print(port, flush=True)
    sys.stdin.readline()
    controller.stop()
    counts = handler.keys.values()
    print(json.dumps({"received": sum(counts), "distinct": len(handler.keys), "bytes": handler.bytes}), flush=True)


# -- the timed run ---------------------------------------------------------------------------------


def send(folder: Path, port: int) -> dict[str, Any]:
    """Compose and send the week (timed), then again (nothing left); figures and peak RSS as a dict."""
    from functions.mail import compose, sender
    from functions.mail.transport import SMTPTransport
    from functions.settings import Settings
    from functions.store.sqlite import SQLiteStore

    settings = Settings(
        data_dir=folder,
        secret_key=SECRET,
        base_url="https://kinerja.semarangkota.go.id",
        mail_from="Pantau Kinerja <kinerja@semarangkota.go.id>",
        mail_daily_limit=1_000_000,
        mail_transport="smtp",
        smtp_host=HOST,
        smtp_port=port,
        smtp_security="none",
    )
    store = SQLiteStore(settings.sqlite_path)

    def once() -> tuple[float, float, sender.SendReport]:
        began = time.perf_counter()
        outgoing = compose.plan_weekly(store, settings, WEEK.label, NOW)
        planned = time.perf_counter()
        transport = SMTPTransport(settings)
        try:
            report = sender.send(store, transport, outgoing, lambda: datetime.now(WIB), settings.mail_daily_limit)
        finally:
            transport.close()
        return planned - began, time.perf_counter() - planned, report

    plan_s, send_s, report = once()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    kinds = Counter(item.kind for item in compose.plan_weekly(store, settings, WEEK.label, NOW))
    again_plan, again_send, again = once()
    figures = dict(emails=report.planned, by_kind=kinds, sent=report.sent, failed=len(report.failed))
    figures |= dict(plan_seconds=plan_s, send_seconds=send_s, peak_mib=peak, terkirim=store.count("Terkirim"))
    figures |= dict(rerun_seconds=again_plan + again_send, rerun_sent=again.sent, load=load)
    store.close()
    return figures


def run() -> MailFigures:
    """Build the city, start the server, time the send; every step in its own process."""
    python = [sys.executable, "-m", "benchmarks.mail"]
    with tempfile.TemporaryDirectory() as folder:
        city = json.loads(subprocess.run([*python, "city", folder], capture_output=True, text=True, check=True).stdout)
        server = subprocess.Popen([*python, "smtp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None and server.stdin is not None
            port = int(server.stdout.readline())
            done = subprocess.run([*python, "send", folder, str(port)], capture_output=True, text=True, check=True)
            server.stdin.write("stop\n")
            server.stdin.flush()
            counts = json.loads(server.stdout.readline())
            server.wait(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
    fig = json.loads(done.stdout)
    seconds = fig["plan_seconds"] + fig["send_seconds"]
    return MailFigures(
        employees=city["employees"],
        supervisors=city["supervisors"],
        heads=city["heads"],
        emails=fig["emails"],
        by_kind=fig["by_kind"],
        plan_seconds=fig["plan_seconds"],
        send_seconds=fig["send_seconds"],
        seconds=seconds,
        per_second=fig["sent"] / seconds,
        peak_mib=fig["peak_mib"],
        received=counts["received"],
        duplicates=counts["received"] - counts["distinct"],
        terkirim=fig["terkirim"],
        rerun_seconds=fig["rerun_seconds"],
        rerun_sent=fig["rerun_sent"],
        load=fig["load"],
    )


def main(argv: list[str]) -> None:
    if argv[:1] == ["city"]:
        print(json.dumps(build_city(Path(argv[1]))))
    elif argv[:1] == ["smtp"]:
        serve_smtp()
    elif argv[:1] == ["send"]:
        print(json.dumps(send(Path(argv[1]), int(argv[2]))))
    else:
        fig = run()
        print(fig)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The operator's commands: ``python -m functions <command>``.

serve    run the whole system locally (seeds the demo city on an empty store)
demo     seed the demo city only
links    print or export (CSV) every active employee's personal links
import   import Unit, Pegawai, Target, Layanan and HariLibur from CSV or XLSX files
init     create and format the spreadsheets on Google (KINERJA_STORE=gsheets)
score    compute the weekly scores, warnings and training suggestions
send     send the weekly emails (each once; --uji-coba renders without sending; --rencana prints the plan)
remind   send today's reminders to staff who have not reported
posters  write QR posters (A4 pages, PNG, SVG) for every unit's active services
purge    delete complaint reporters' contacts past KINERJA_CONTACT_RETENTION_DAYS
flush    write the submissions waiting in the spool to the sheets
refresh  bring the read model the pages read (Firestore) in line with the sheets
settings show the settings in force (secrets hidden)
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler

from functions.runtime import Runtime
from functions.settings import Settings
from functions.tools.argparse_id import Parser, positive_int


def _runtime(settings: Settings | None = None) -> Runtime:
    from functions.logs import configure

    settings = settings or Settings.from_env()
    configure(settings.log_format)
    return Runtime.from_settings(settings)


def cmd_demo(args: argparse.Namespace) -> int:
    runtime = _runtime()
    _seed(runtime)
    return 0


def _seed(runtime: Runtime) -> None:
    from functions.demo.seed import seed_demo

    summary = seed_demo(runtime.store, runtime.today())
    if summary.seeded:
        print(
            f"Kota demo dibuat: {summary.employees} pegawai, {summary.reports} kegiatan laporan harian, "
            f"{summary.surveys} survei kepuasan."
        )
    else:
        print("Penyimpanan sudah berisi data pegawai; kota demo tidak dibuat ulang.")


def cmd_serve(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from functions.staff.links import personal_links
    from functions.web.app import create_app

    settings = Settings.from_env()
    port = settings.port
    listener = _listen(args.host, port)  # first: a port in use stops the command before it seeds or prints links
    runtime = _runtime(settings)
    if not args.no_demo:
        _seed(runtime)
    links = personal_links(runtime.store, settings)
    print(f"\nPantau Kinerja berjalan di {settings.base_url}/  (berhenti: Ctrl+C)")
    supervisors = [link for link in links if link["review"]][:2]
    for link in supervisors + [link for link in links if not link["review"]][:3]:
        print(f"  {link['nama']} ({link['jabatan']}):\n    beranda   {link['home']}")
    from functions.demo.seed import operators_of
    from functions.staff import identity

    for person in operators_of(runtime.store)[:1]:  # the BKPP operator first
        token = identity.make_token(settings.secret_key, person)
        console = identity.console_url(settings.base_url, token)
        print(f"  Konsol operator ({person['nama']}, {person['peran']}):\n    {console}")
    print("Semua tautan: python -m functions links --csv var/tautan.csv\n", flush=True)
    if not args.no_scheduler:
        from functions.web.schedule import JOBS, start_local

        start_local(runtime)
        print("Jadwal: " + "; ".join(j.description for j in JOBS), flush=True)
    # make_server, not run_simple: the same server without werkzeug's English start-up banner.
    with listener:
        server = make_server(
            args.host,
            port,
            create_app(runtime),
            threaded=True,
            request_handler=PrivateRequestHandler,
            fd=listener.fileno(),
        )
        server.serve_forever()  # until Ctrl+C
    return 0


def _listen(host: str, port: int) -> socket.socket:
    """The server's socket, or an Indonesian error that says how to pick another port."""
    from werkzeug.serving import select_address_family

    from functions.errors import ConfigurationError

    try:
        return socket.create_server((host, port), family=select_address_family(host, port), backlog=128)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise ConfigurationError(
                f"Port {port} sudah dipakai program lain. Hentikan program itu, atau jalankan di port lain, "
                "mis. PORT=9000 make run."
            ) from err
        code = errno.errorcode.get(err.errno or 0, type(err).__name__)
        raise ConfigurationError(
            f"Server tidak dapat memakai alamat {host}:{port} ({code}); periksa --host dan PORT."
        ) from err


class PrivateRequestHandler(WSGIRequestHandler):
    """Access log lines without the query string: it carries personal links' tokens."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = self.path.split("?", 1)[0]
        self.log("info", '"%s %s" %s', self.command, path, getattr(code, "value", code))


def cmd_score(args: argparse.Namespace) -> int:
    from functions.scoring import job

    runtime = _runtime()
    if args.periode:
        summaries = [job.run(runtime.store, runtime.now(), args.periode)]
    else:
        # A store never scored before gets a few weeks at once, so trends show from the start.
        weeks = args.mundur or (1 if runtime.store.count("Skor") else 4)
        summaries = job.run_recent(runtime.store, runtime.now(), weeks)
    for summary in summaries:
        print(
            f"Skor minggu {summary.week} (dan {', '.join(summary.periods[1:])}): {summary.employees} pegawai, "
            f"{summary.warnings} peringatan, {summary.suggestions} saran pelatihan."
        )
    return 0


def cmd_send(args: argparse.Namespace) -> int:
    from functions.mail import jobs

    runtime = _runtime()
    if args.rencana:
        from functions.mail import rencana

        print("\n".join(rencana.from_store(runtime, runtime.now())))
        return 0
    report = jobs.weekly(runtime, runtime.now(), args.periode, dry_run=args.uji_coba)
    print(report.summary())
    for key, reason in report.failed:
        print(f"  gagal: {key}: {reason}", file=sys.stderr)
    return 0 if not report.failed else 3


def cmd_remind(args: argparse.Namespace) -> int:
    from functions.mail import jobs

    runtime = _runtime()
    report = jobs.reminders(runtime, runtime.now(), dry_run=args.uji_coba)
    print(report.summary(jobs.REMINDERS_DEFERRED))
    return 0 if not report.failed else 3


def cmd_init(args: argparse.Namespace) -> int:
    from functions.tools.sheets_init import run

    store = _runtime().store
    return run(getattr(store, "target", store), args.bulan, share=not args.tanpa_berbagi)


def cmd_flush(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from functions.store import flush
    from functions.store.flush import Policy
    from functions.store.spooled_store import run_flush

    runtime = _runtime()
    policy = Policy.from_settings(runtime.settings)
    if args.semua:
        policy = replace(policy, min_groups=1, max_wait=0.0)
    report = run_flush(runtime.store, policy)
    if report is None:
        print("Tidak ada antrean: penyimpanan ini (KINERJA_STORE=sqlite) menulis langsung.")
        return 0
    print(report.summary())
    return 3 if report.stopped == flush.UNAVAILABLE else 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from functions.readmodel.store import run_refresh

    runtime = _runtime()
    report = run_refresh(runtime.store, runtime.today())
    if report is None:
        print("Tidak ada salinan baca: halaman membaca penyimpanan ini langsung (hanya di Cloud Functions).")
        return 0
    print(report.summary())
    return 0


def cmd_posters(args: argparse.Namespace) -> int:
    from functions.citizens.posters import base_url_warning, write_all

    runtime = _runtime()
    out = Path(args.out) if args.out else runtime.settings.data_dir / "poster"
    warning = base_url_warning(runtime.settings)
    if warning:
        print(f"peringatan: {warning}", file=sys.stderr)
    summary = write_all(runtime.store, runtime.settings, out)
    for ident in summary.skipped:
        print(f"peringatan: layanan {ident} dilewati: kode unitnya tidak ada di lembar Unit.", file=sys.stderr)
    print(
        f"Poster QR ditulis ke {out}: {summary.services} layanan aktif dari {summary.units} unit "
        f"({summary.files} berkas). Buka {out / 'index.html'} lalu cetak pada kertas A4."
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from functions.citizens.complaints import purge_contacts

    runtime = _runtime()
    days = runtime.settings.contact_retention_days
    deleted = purge_contacts(runtime.store, days, runtime.now())
    print(f"{deleted} kontak pelapor yang lebih lama dari {days} hari dihapus.")
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    from functions.staff.links import personal_links, to_csv

    runtime = _runtime()
    links = personal_links(runtime.store, runtime.settings)
    if args.csv:
        Path(args.csv).parent.mkdir(parents=True, exist_ok=True)
        Path(args.csv).write_text(to_csv(links), encoding="utf-8")
        print(f"{len(links)} tautan pribadi ditulis ke {args.csv}.")
    else:
        for link in links:
            print(f"{link['nip']}\t{link['nama']}\t{link['home']}\t{link['report']}\t{link['review']}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from functions.staff.importer import import_files

    runtime = _runtime()
    report = import_files(runtime.store, [Path(p) for p in args.files], args.lembar)
    print(report.summary())
    return 0 if report.ok else 1


def cmd_settings(args: argparse.Namespace) -> int:
    print("Pengaturan yang berlaku (rahasia disembunyikan):")
    for name, value in Settings.from_env().as_environment().items():
        print(f"  {name}={value}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="python -m functions",
        description="Perintah operator Pantau Kinerja. Bantuan satu perintah: python -m functions <perintah> -h.",
    )
    sub = p.add_subparsers(dest="command", required=True, title="perintah", metavar="PERINTAH")
    serve = sub.add_parser("serve", help="jalankan seluruh sistem di komputer ini")
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="ALAMAT", help="alamat yang didengarkan (bawaan 127.0.0.1)"
    )
    serve.add_argument("--no-demo", action="store_true", help="jangan buat kota demo pada penyimpanan kosong")
    serve.add_argument("--no-scheduler", action="store_true", help="jangan jalankan tugas terjadwal di proses ini")
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("demo", help="buat kota demo pada penyimpanan yang masih kosong").set_defaults(func=cmd_demo)
    links = sub.add_parser("links", help="cetak atau ekspor tautan pribadi setiap pegawai aktif")
    links.add_argument("--csv", metavar="BERKAS", help="tulis ke berkas CSV ini, bukan ke layar")
    links.set_defaults(func=cmd_links)
    imp = sub.add_parser("import", help="impor Unit, Pegawai, Target, Layanan dan HariLibur dari CSV atau XLSX")
    imp.add_argument("files", nargs="+", metavar="BERKAS", help="berkas CSV atau XLSX, satu atau lebih")
    imp.add_argument(
        "--lembar", help="lembar tujuan berkas CSV bila namanya tidak menyebutkan (Pegawai, Unit, Target, ...)"
    )
    imp.set_defaults(func=cmd_import)
    score = sub.add_parser("score", help="hitung skor mingguan, peringatan dan saran pelatihan")
    score.add_argument(
        "--periode", metavar="MINGGU", help="minggu ISO yang dihitung, mis. 2026-W48 (bawaan: minggu lengkap terakhir)"
    )
    score.add_argument(
        "--mundur",
        type=positive_int,
        metavar="JUMLAH",
        help="hitung sejumlah minggu terakhir, yang terlama lebih dulu (bawaan 1; 4 bila belum pernah dihitung)",
    )
    score.set_defaults(func=cmd_score)
    send = sub.add_parser("send", help="kirim email mingguan minggu lengkap terakhir, masing-masing sekali")
    send.add_argument("--periode", metavar="MINGGU", help="minggu ISO, mis. 2026-W48 (bawaan: minggu lengkap terakhir)")
    send.add_argument("--uji-coba", action="store_true", help="uji coba: susun dan hitung email, tanpa mengirim")
    send.add_argument(
        "--rencana",
        action="store_true",
        help="tampilkan rencana: email per minggu, batas, dalam berapa hari, apa yang dapat diubah; tanpa mengirim",
    )
    send.set_defaults(func=cmd_send)
    remind = sub.add_parser("remind", help="ingatkan pegawai yang belum melapor hari ini")
    remind.add_argument("--uji-coba", action="store_true", help="uji coba: susun dan hitung email, tanpa mengirim")
    remind.set_defaults(func=cmd_remind)
    init = sub.add_parser("init", help="buat dan format spreadsheet Google menurut sheets_schema/")
    init.add_argument("--bulan", help="bulan yang disiapkan, mis. 2026-11 (bawaan: bulan ini)")
    init.add_argument("--tanpa-berbagi", action="store_true", help="jangan bagikan tampilan OPD kepada atasan")
    init.set_defaults(func=cmd_init)
    fl = sub.add_parser("flush", help="simpan kiriman yang menunggu di antrean ke lembar kerja (aman diulang)")
    fl.add_argument("--semua", action="store_true", help="simpan semuanya sekarang, tidak hanya kumpulan yang penuh")
    fl.set_defaults(func=cmd_flush)
    sub.add_parser("refresh", help="perbarui salinan baca halaman dari lembar kerja (aman diulang)").set_defaults(
        func=cmd_refresh
    )
    posters = sub.add_parser("posters", help="tulis poster QR (halaman A4, PNG, SVG) untuk layanan aktif tiap unit")
    posters.add_argument("--out", metavar="FOLDER", help="folder tujuan (bawaan <folder data>/poster)")
    posters.set_defaults(func=cmd_posters)
    purge = sub.add_parser("purge", help="hapus kontak pelapor pengaduan yang melewati masa simpan")
    purge.set_defaults(func=cmd_purge)
    sub.add_parser("settings", help="tampilkan pengaturan yang berlaku, rahasia disembunyikan").set_defaults(
        func=cmd_settings
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from functions.errors import KinerjaError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KinerjaError as err:
        print(f"galat: {err.message}", file=sys.stderr)
        return 2

"""The operator's commands, run as a person would run them."""

from __future__ import annotations

import argparse
import csv
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from functions.mail.transport import read_message
from functions.settings import Settings
from functions.staff import identity
from functions.store.sqlite import SQLiteStore
from functions.tools import cli
from tests.conftest import SECRET, STAFF_A, SUPERVISOR, token_for
from tests.support.english import english
from tests.support.servers import ROOT, free_port, running


def run_cli(settings: Settings, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET, "PATH": "/usr/bin:/bin"}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "functions", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_links_csv_lists_every_active_employee_and_supervisor_links(
    settings: Settings, store: SQLiteStore, city: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "tautan.csv"
    done = run_cli(settings, "links", "--csv", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert len(rows) == len(city["people"])
    by_nip = {r["NIP"]: r for r in rows}
    assert by_nip[SUPERVISOR]["Tautan Verifikasi Tim"].startswith("http://127.0.0.1:8080/review_reports?t=")
    assert by_nip[STAFF_A]["Tautan Verifikasi Tim"] == ""
    token = by_nip[STAFF_A]["Tautan Laporan Harian"].split("t=", 1)[1]
    assert identity.read_token(SECRET, token) == (STAFF_A, 1)


def test_demo_command_seeds_once(settings: Settings) -> None:
    first = run_cli(settings, "demo")
    assert first.returncode == 0 and "Kota demo dibuat" in first.stdout
    second = run_cli(settings, "demo")
    assert second.returncode == 0 and "tidak dibuat ulang" in second.stdout


def test_import_command_reports_errors_and_exit_code(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "unit.csv"
    bad.write_text("Kode Unit,Nama Unit,Jenis\nDINKES,Dinas Kesehatan,Toko\n", encoding="utf-8")
    done = run_cli(settings, "import", str(bad))
    assert done.returncode == 1
    assert "baris 2" in done.stdout and "Jenis" in done.stdout


def test_serve_answers_health_and_keeps_tokens_out_of_the_log(
    settings: Settings, store: SQLiteStore, city: dict[str, Any]
) -> None:
    port = free_port()
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET, "PORT": str(port)}
    command = [sys.executable, "-m", "functions", "serve", "--no-demo"]
    token = token_for(store, STAFF_A)
    with running(command, env, f"http://127.0.0.1:{port}/healthz") as server:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/submit_report?t={token}", timeout=10) as answer:
            assert answer.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert "Pantau Kinerja" in answer.read().decode()
        output = server.output()
    # The banner shows a few links on purpose (local home only); the access log never does.
    assert f"http://127.0.0.1:{port}/home?t=" in output
    assert "development server" not in output and "Running on" not in output  # werkzeug's English banner
    access = [line for line in output.splitlines() if '"GET ' in line]
    assert any('"GET /submit_report" 200' in line for line in access)
    assert not [line for line in access if token in line or "t=" in line]


def test_bad_settings_stop_with_a_message(settings: Settings) -> None:
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_STORE": "excel", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "functions", "links"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "KINERJA_STORE harus salah satu dari" in done.stderr
    assert english(done.stderr) == []


LOCAL_PORTS = re.compile(r"(?:127\.0\.0\.1|localhost):(\d+)")


def local_ports(text: str) -> set[str]:
    return set(LOCAL_PORTS.findall(text))


def test_local_links_posters_and_emails_follow_port(
    settings: Settings, store: SQLiteStore, services: dict[str, Any]
) -> None:
    port = "18500"  # nothing listens on it: these commands only write addresses
    links = run_cli(settings, "links", PORT=port)
    assert links.returncode == 0, links.stderr
    assert local_ports(links.stdout) == {port}

    posters = run_cli(settings, "posters", PORT=port)
    assert posters.returncode == 0, posters.stderr
    assert local_ports(posters.stderr) == {port}  # the warning names the address the codes carry
    pages = [p.read_text(encoding="utf-8") for p in (settings.data_dir / "poster").rglob("*") if p.suffix == ".html"]
    assert any("/submit_survey?layanan=" in page for page in pages)
    assert local_ports("".join(pages)) == {port}

    for command in ("score", "send"):
        done = run_cli(settings, command, PORT=port)
        assert done.returncode == 0, done.stderr
    outbox = settings.data_dir / "outbox"
    bodies = []
    for path in outbox.glob("*.eml"):
        for part in read_message(outbox, path.name).walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                bodies.append(part.get_content())
    assert any("/submit_report?t=" in body for body in bodies)
    assert local_ports("".join(bodies)) == {port}


def test_an_explicit_base_url_wins_over_port(settings: Settings, store: SQLiteStore, city: dict[str, Any]) -> None:
    done = run_cli(settings, "links", PORT="18500", KINERJA_BASE_URL="https://kinerja.semarangkota.go.id/")
    assert done.returncode == 0, done.stderr
    urls = re.findall(r"https?://\S+", done.stdout)
    assert urls and all(url.startswith("https://kinerja.semarangkota.go.id/") for url in urls)
    assert "//submit" not in done.stdout


def command_names() -> list[str]:
    (commands,) = [a for a in cli.parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(commands.choices)


@pytest.mark.parametrize("command", ["", *command_names()])
def test_help_of_every_command_reads_in_indonesian(settings: Settings, command: str) -> None:
    done = run_cli(settings, *([command] if command else []), "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("penggunaan: python -m functions")
    assert "opsi:" in done.stdout and "tampilkan bantuan ini lalu keluar" in done.stdout
    assert english(done.stdout) == []
    if not command:
        assert all(f"    {name} " in done.stdout for name in command_names())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "argumen berikut wajib diisi: PERINTAH"),
        (["terbang"], "argumen PERINTAH: pilihan 'terbang' tidak dikenal (pilih dari 'serve', 'demo'"),
        (["links", "--tidak-ada"], "argumen tidak dikenal: --tidak-ada"),
        (["links", "--csv"], "argumen --csv: perlu satu nilai"),
        (["import"], "argumen berikut wajib diisi: BERKAS"),
        (["score", "--mundur", "dua"], "argumen --mundur: harus bilangan bulat 1 atau lebih, bukan 'dua'"),
        (["score", "--mundur", "0"], "argumen --mundur: harus bilangan bulat 1 atau lebih, bukan '0'"),
    ],
)
def test_a_bad_argument_is_refused_in_indonesian_with_status_2(
    settings: Settings, args: list[str], message: str
) -> None:
    done = run_cli(settings, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("penggunaan: python -m functions")
    assert ": galat: " + message in done.stderr
    assert english(done.stderr) == []


def test_settings_command_shows_each_variable_and_hides_secrets(settings: Settings) -> None:
    done = run_cli(settings, "settings", PORT="18500", KINERJA_SMTP_PASSWORD="sandi-rahasia-smtp")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Pengaturan yang berlaku (rahasia disembunyikan):"
    assert "  KINERJA_BASE_URL=http://127.0.0.1:18500" in lines
    assert "  KINERJA_SECRET_KEY=(tersembunyi)" in lines and "  KINERJA_SMTP_PASSWORD=(tersembunyi)" in lines
    assert SECRET not in done.stdout and "sandi-rahasia-smtp" not in done.stdout


def test_serve_on_a_port_in_use_says_so_in_indonesian(settings: Settings) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        done = run_cli(settings, "serve", "--no-demo", "--no-scheduler", PORT=port)
    assert done.returncode == 2
    assert f"galat: Port {port} sudah dipakai program lain" in done.stderr
    assert "Traceback" not in done.stderr and english(done.stderr) == []
    assert "http://" not in done.stdout  # stopped before seeding or printing any link


def test_serve_prints_the_demo_bkpp_operators_console_link(settings: Settings) -> None:
    port = free_port()
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET, "PORT": str(port)}
    command = [sys.executable, "-m", "functions", "serve", "--no-scheduler"]
    with running(command, env, f"http://127.0.0.1:{port}/healthz") as server:
        found = re.search(r"Konsol operator \(.+, Operator BKPP\):\n\s+(\S+)", server.output())
        assert found, server.output()[-2000:]
        link = found.group(1)
        assert link.startswith(f"http://127.0.0.1:{port}/operator_console?t=")

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None  # look at the redirect itself

        try:
            urllib.request.build_opener(Stay).open(link, timeout=30)
            raise AssertionError("the console link should redirect with a session cookie")
        except urllib.error.HTTPError as answer:
            assert answer.code == 303 and "kinerja_operator=" in answer.headers["Set-Cookie"]

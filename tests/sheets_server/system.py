"""``make run-gsheets``: the Sheets API test server and the whole system on the Google Sheets store.

Starts the test server (port 8090, ``SHEETS_PORT`` overrides) in this process, creates an admin
spreadsheet in it, runs ``python -m functions init`` and then ``python -m functions serve`` (port 8080,
``PORT`` overrides; the demo city on the first run) with ``KINERJA_STORE=gsheets`` pointed at it, so
the production path (gspread, batching, quotas, retries) can be watched end to end. Data lives in
the server's memory: it is gone when this stops. Local files (spool, outbox) go to ``var/gsheets``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

from tests.support.sheets_client import client

from .app import create_app
from .control import Control

ROOT = Path(__file__).resolve().parent.parent.parent


def main() -> int:
    port = int(os.environ.get("SHEETS_PORT", "8090"))
    server = make_server("127.0.0.1", port, create_app(Control()), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    print(f"Sheets API test server on {url} (lihat {url}/_control)", flush=True)
    admin = client(url).create("Pantau Kinerja — Admin")
    env = {
        **os.environ,
        "KINERJA_STORE": "gsheets",
        "KINERJA_SHEETS_ADMIN_ID": admin.id,
        "KINERJA_SHEETS_API_URL": url,
        "KINERJA_DATA_DIR": os.environ.get("KINERJA_DATA_DIR", str(ROOT / "var" / "gsheets")),
        "KINERJA_SHEETS_DEADLINE_SECONDS": os.environ.get("KINERJA_SHEETS_DEADLINE_SECONDS", "120"),
    }
    python = sys.executable
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl+C: the web server below goes with it
    web: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([python, "-m", "functions", "init", "--tanpa-berbagi"], cwd=ROOT, env=env, check=True)
        web = subprocess.Popen([python, "-m", "functions", "serve"], cwd=ROOT, env=env)
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if web is not None and web.poll() is None:
            web.terminate()
            try:
                web.wait(timeout=10)
            except subprocess.TimeoutExpired:
                web.kill()
                web.wait()
        server.shutdown()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())

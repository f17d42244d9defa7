"""`make run-gsheets`: the test server and the whole system on the Google Sheets store, end to end."""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

from tests.support.servers import free_port, running


def test_run_gsheets_serves_the_demo_from_the_sheets_test_server(tmp_path: Path) -> None:
    sheets, web = free_port(), free_port()
    env = {"SHEETS_PORT": str(sheets), "PORT": str(web), "KINERJA_DATA_DIR": str(tmp_path / "var")}
    with running(
        [sys.executable, "-m", "tests.sheets_server.system"], env, f"http://127.0.0.1:{web}/healthz"
    ) as server:
        with urllib.request.urlopen(f"http://127.0.0.1:{web}/healthz", timeout=30) as answer:
            assert answer.status == 200
        links = re.findall(rf"http://127\.0\.0\.1:{web}/home\?t=\S+", server.output())
        assert links, server.output()[-2000:]
        form = links[-1].replace("/home?", "/submit_report?")  # the banner lists staff last, by their home page
        with urllib.request.urlopen(form, timeout=60) as answer:
            page = answer.read().decode()
        assert "Laporan Harian" in page and "Salin laporan terakhir" in page  # demo reports came back from Sheets
        with urllib.request.urlopen(f"http://127.0.0.1:{sheets}/_control", timeout=10) as answer:
            stats = json.load(answer)
    # The demo went through the real API and never broke Google's per-minute quota.
    assert stats["max_per_minute_per_user"]["write"] <= 60
    assert stats["max_per_minute_per_user"]["read"] <= 60

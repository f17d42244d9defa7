"""The Cloud Functions entry points, served by the real functions-framework over HTTP."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from typing import Any

from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from tests.conftest import SECRET, STAFF_A, token_for
from tests.support.pages import activity_fields, csrf_of, submission_id
from tests.support.servers import free_port, python_bin, running


def test_functions_framework_serves_and_accepts_a_submission(
    settings: Settings, store: SQLiteStore, city: dict[str, Any]
) -> None:
    port = free_port()
    token = token_for(store, STAFF_A)
    url = f"http://127.0.0.1:{port}/?t={urllib.parse.quote(token)}"
    env = {"KINERJA_DATA_DIR": str(settings.data_dir), "KINERJA_SECRET_KEY": SECRET}
    command = [
        python_bin("functions-framework"),
        "--source",
        "main.py",
        "--target",
        "submit_report",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with running(command, env, f"http://127.0.0.1:{port}/"):
        with opener.open(url, timeout=10) as answer:
            page = answer.read().decode()
        assert "Budi Santoso" in page
        today = date.fromisoformat(page.split('name="tanggal-0" value="')[1][:10])
        form = {
            "id_kiriman": submission_id(page),
            "csrf": csrf_of(page),
            **activity_fields(0, today, f"{STAFF_A}-{today.year}-1"),
        }
        body = urllib.parse.urlencode(form).encode()
        with opener.open(urllib.request.Request(url, data=body), timeout=10) as answer:
            assert answer.status == 200
            assert "sudah tercatat" in answer.read().decode()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/?t=palsu", timeout=10)
            raise AssertionError("a bad link must not be served")
        except urllib.error.HTTPError as err:
            assert err.code == 403
            err.close()
    assert [r["nip"] for r in store.records("LaporanHarian")] == [STAFF_A]

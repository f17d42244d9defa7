"""``make weekly`` on the demo city fills the outbox, and the local web app shows it
(functions/web/operator/outbox_page.py).

The demo city is seeded, scored and sent by the operator's commands in subprocesses, as
``make demo`` and ``make weekly`` run them, with the default (outbox) transport. The pages are
then read through the app factory's test client.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from functions.mail.transport import KEY_HEADER, OutboxTransport, read_message
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web.app import create_app
from tests.conftest import SECRET
from tests.support.pages import sign_in_operator
from tests.support.servers import ROOT

pytestmark = pytest.mark.slow


def operator(data_dir: Path, *args: str) -> str:
    env = {"KINERJA_DATA_DIR": str(data_dir), "KINERJA_SECRET_KEY": SECRET, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "functions", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def weekly(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A data folder after ``python -m functions demo``, ``score`` and ``send``, with what they printed."""
    data_dir = tmp_path_factory.mktemp("weekly") / "var"
    printed = {command: operator(data_dir, command) for command in ("demo", "score", "send")}
    return {"data_dir": data_dir, "printed": printed}


@pytest.fixture
def client(weekly: dict[str, object]) -> Iterator[FlaskClient]:
    settings = Settings(data_dir=Path(str(weekly["data_dir"])), secret_key=SECRET)
    store = SQLiteStore(settings.sqlite_path)
    runtime = Runtime(settings=settings, store=store)
    yield sign_in_operator(create_app(runtime).test_client(), runtime)
    store.close()


@pytest.fixture
def outbox(weekly: dict[str, object]) -> Path:
    return Path(str(weekly["data_dir"])) / "outbox"


def names(outbox: Path) -> list[str]:
    return sorted(p.name for p in outbox.glob("*.eml"))


def first(outbox: Path, kind: str) -> str:
    return next(n for n in names(outbox) if f"-{kind}-" in n)


def test_make_weekly_writes_one_email_per_recipient_and_records_each(weekly: dict[str, object], outbox: Path) -> None:
    printed = weekly["printed"]
    assert isinstance(printed, dict)
    count = int(re.search(r"(\d+) email terkirim, 0 sudah terkirim", printed["send"]).group(1))  # type: ignore[union-attr]
    assert count == len(names(outbox)) > 0
    keys = [str(read_message(outbox, n)[KEY_HEADER]) for n in names(outbox)]
    assert len(set(keys)) == len(keys)
    assert {k.split(":")[1] for k in keys} == {"atasan", "kepala_unit", "pegawai"}
    store = SQLiteStore(Settings(data_dir=Path(str(weekly["data_dir"])), secret_key=SECRET).sqlite_path)
    try:
        assert sorted(r["id"] for r in store.records("Terkirim")) == sorted(keys)
    finally:
        store.close()
    again = operator(Path(str(weekly["data_dir"])), "send")
    assert f"0 email terkirim, {count} sudah terkirim sebelumnya." in again
    assert len(names(outbox)) == count


def test_the_outbox_page_lists_every_email(client: FlaskClient, outbox: Path) -> None:
    answer = client.get("/kotak-keluar/")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert f"({len(names(outbox))} email)" in page
    linked = re.findall(r'href="/kotak-keluar/([^"]+\.eml)"', page)
    assert sorted(linked) == names(outbox)
    assert "Ringkasan kinerja tim · Minggu " in page and "Ringkasan kinerja Anda · Minggu " in page


def test_an_email_page_shows_its_headers_and_text(client: FlaskClient, outbox: Path) -> None:
    name = first(outbox, "atasan")
    message = read_message(outbox, name)
    answer = client.get(f"/kotak-keluar/{name}")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert str(message["Subject"]) in page
    text = message.get_body(("plain",))
    assert text is not None
    first_line = next(line for line in text.get_content().splitlines() if line.strip())
    assert first_line.replace("&", "&amp;") in page
    assert f"/kotak-keluar/{name}/html" in page


def test_the_html_part_renders_with_the_chart_as_a_data_uri_under_a_strict_policy(
    client: FlaskClient, outbox: Path
) -> None:
    name = first(outbox, "atasan")
    answer = client.get(f"/kotak-keluar/{name}/html")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    body = answer.get_data(as_text=True)
    assert "cid:" not in body
    assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', body)
    policy = answer.headers["Content-Security-Policy"]
    assert policy.startswith("default-src 'none'; img-src data:")
    assert "frame-ancestors 'none'" in policy and answer.headers["X-Frame-Options"] == "DENY"
    assert "script-src" not in policy  # none: default-src 'none' (style-src 'unsafe-inline' is the email's layout)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_staff_summary_renders_without_images(client: FlaskClient, outbox: Path) -> None:
    answer = client.get(f"/kotak-keluar/{first(outbox, 'pegawai')}/html")
    assert answer.status_code == 200
    assert "Ringkasan kinerja" in answer.get_data(as_text=True) and "data:image" not in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "name",
    ["tidak-ada.eml", "secret_key", "kinerja.sqlite3", "..%2Fsecret_key", "%2E%2E", "x.eml.txt", "a b.eml"],
)
@pytest.mark.parametrize("suffix", ["", "/html"])
def test_a_name_that_is_not_an_email_of_the_outbox_is_404(client: FlaskClient, name: str, suffix: str) -> None:
    answer = client.get(f"/kotak-keluar/{name}{suffix}")
    assert answer.status_code == 404
    assert "tidak ditemukan" in answer.get_data(as_text=True)


def test_an_email_without_an_html_part_has_no_html_page(settings: Settings, store: SQLiteStore) -> None:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = "Uji", "a@contoh.go.id", "b@contoh.go.id"
    message[KEY_HEADER] = "2026-W48:pegawai:199003032015031003"
    message.set_content("Hanya teks.")
    OutboxTransport(settings.outbox_dir).send(message)
    runtime = Runtime(settings=settings, store=store)
    client = sign_in_operator(create_app(runtime).test_client(), runtime)
    (name,) = names(settings.outbox_dir)
    assert "Hanya teks." in client.get(f"/kotak-keluar/{name}").get_data(as_text=True)
    answer = client.get(f"/kotak-keluar/{name}/html")
    assert answer.status_code == 404 and "tidak punya bagian HTML" in answer.get_data(as_text=True)


def test_an_empty_outbox_says_how_to_fill_it(settings: Settings, store: SQLiteStore) -> None:
    runtime = Runtime(settings=settings, store=store)
    page = sign_in_operator(create_app(runtime).test_client(), runtime).get("/kotak-keluar/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Email mingguan dikirim setiap Senin pagi" in text and "make " not in text


def test_with_smtp_the_page_says_the_outbox_is_not_used(settings: Settings, store: SQLiteStore) -> None:
    smtp = replace(settings, mail_transport="smtp", smtp_host="127.0.0.1")
    runtime = Runtime(settings=smtp, store=store)
    page = sign_in_operator(create_app(runtime).test_client(), runtime).get("/kotak-keluar/")
    assert "Kotak keluar hanya terisi bila KINERJA_MAIL_TRANSPORT=outbox" in page.get_data(as_text=True)

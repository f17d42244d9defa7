"""The scheduled functions' OIDC check, with ID tokens signed by a locally generated test key.

The key's certificate is served the way Google serves its own (a JSON map: key id -> PEM x509
certificate): through a stand-in transport, and once from a real HTTP server on a loopback port.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Request, Response
from flask import request as current_request

from functions.errors import Forbidden
from functions.runtime import Runtime
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from functions.web import oidc
from tests.conftest import SECRET
from tests.support.scheduler import BASE, SCHEDULER, Keys, bearer, make_keys, make_token, transport_for

AUDIENCE = f"{BASE}/compute_scores"


@pytest.fixture(scope="module")
def keys() -> Keys:
    """Two RSA keys; only the first one's certificate is published."""
    return make_keys()


def request_with(authorization: str | None) -> Request:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return Request.from_values(path="/", method="POST", headers=headers)


def test_valid_token_for_the_audience_from_the_scheduler_is_accepted(keys: Keys) -> None:
    request = request_with(bearer(make_token(keys.signer)))
    assert oidc.verify(request, AUDIENCE, [SCHEDULER], request_factory=transport_for(keys.certs)) == SCHEDULER


def test_allowed_emails_compare_without_case(keys: Keys) -> None:
    request = request_with(bearer(make_token(keys.signer)))
    assert oidc.verify(request, AUDIENCE, [SCHEDULER.upper()], request_factory=transport_for(keys.certs))


def test_audience_is_the_function_url() -> None:
    assert oidc.audience(BASE + "/", "compute_scores") == AUDIENCE


@pytest.mark.parametrize(
    "case, reason",
    [
        ("no header", "no bearer token"),
        ("basic scheme", "no bearer token"),
        ("empty bearer", "no bearer token"),
        ("malformed", "invalid ID token"),
        ("too long", "token too long"),
        ("wrong audience", "invalid ID token"),
        ("expired", "invalid ID token"),
        ("issued in the future", "invalid ID token"),
        ("wrong issuer", "not issued by Google"),
        ("unknown key id", "invalid ID token"),
        ("signed by another key", "invalid ID token"),
        ("tampered payload", "invalid ID token"),
        ("disallowed email", "not an allowed service account"),
        ("no email", "no verified email"),
        ("email not verified", "no verified email"),
    ],
)
def test_bad_tokens_are_refused(keys: Keys, case: str, reason: str, caplog: pytest.LogCaptureFixture) -> None:
    now = int(time.time())
    authorization = {
        "no header": None,
        "basic scheme": "Basic dXNlcjpwYXNz",
        "empty bearer": "Bearer ",
        "malformed": "Bearer bukan.sebuah.token",
        "too long": bearer("a" * 9000),
        "wrong audience": bearer(make_token(keys.signer, aud=f"{BASE}/send_reminders")),
        "expired": bearer(make_token(keys.signer, iat=now - 7200, exp=now - 3600)),
        "issued in the future": bearer(make_token(keys.signer, iat=now + 3600, exp=now + 7200)),
        "wrong issuer": bearer(make_token(keys.signer, iss="https://palsu.example")),
        "unknown key id": bearer(make_token(keys.signer, key_id="kunci-lain")),
        "signed by another key": bearer(make_token(keys.other_signer)),
        "tampered payload": bearer(_tampered(make_token(keys.signer))),
        "disallowed email": bearer(make_token(keys.signer, email="orang-lain@kinerja-uji.iam.gserviceaccount.com")),
        "no email": bearer(make_token(keys.signer, email=None, email_verified=None)),
        "email not verified": bearer(make_token(keys.signer, email_verified=False)),
    }[case]
    with caplog.at_level("INFO", logger="functions.web.oidc"), pytest.raises(Forbidden) as caught:
        oidc.verify(request_with(authorization), AUDIENCE, [SCHEDULER], request_factory=transport_for(keys.certs))
    assert caught.value.status == 403
    assert caught.value.message.startswith("Permintaan ditolak")
    assert reason in caplog.text
    assert "@" not in caplog.text  # no email address in a log line


def _tampered(token: str) -> str:
    """The same signature over a payload that names another caller."""
    header, _, signature = token.split(".")
    claims = {"iss": "https://accounts.google.com", "aud": AUDIENCE, "email": "penyusup@contoh.go.id"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


@pytest.mark.parametrize("allowed, audience", [([], AUDIENCE), ([" "], AUDIENCE), ([SCHEDULER], "")])
def test_nothing_configured_refuses_even_a_valid_token(keys: Keys, allowed: list[str], audience: str) -> None:
    request = request_with(bearer(make_token(keys.signer)))
    with pytest.raises(Forbidden):
        oidc.verify(request, audience, allowed, request_factory=transport_for(keys.certs))


def test_unreachable_certificates_refuse_the_call(keys: Keys) -> None:
    request = request_with(bearer(make_token(keys.signer)))
    with pytest.raises(Forbidden):
        oidc.verify(request, AUDIENCE, [SCHEDULER], request_factory=transport_for({}, status=503))


@pytest.fixture
def certs_server(keys: Keys) -> Iterator[str]:
    """Google's certificate endpoint in miniature, on a free loopback port."""
    body = json.dumps(keys.certs).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/oauth2/v1/certs"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_default_transport_fetches_the_certificates_over_http(keys: Keys, certs_server: str) -> None:
    request = request_with(bearer(make_token(keys.signer)))
    assert oidc.verify(request, AUDIENCE, [SCHEDULER], certs_url=certs_server) == SCHEDULER


def scheduled_app(runtime: Runtime, certs: dict[str, str]) -> Flask:
    """Two scheduled endpoints guarded the way functions/web/scheduled.py and functions/web/scheduled.py are."""
    app = Flask(__name__)

    def guarded(function: str) -> Response:
        try:
            oidc.require_scheduler(current_request, runtime, function, request_factory=transport_for(certs))
        except Forbidden as err:
            return Response(json.dumps({"galat": err.message}), status=err.status, mimetype="application/json")
        return Response(json.dumps({"status": "selesai"}), mimetype="application/json")

    app.add_url_rule("/compute_scores", "compute_scores", lambda: guarded("compute_scores"), methods=["POST"])
    app.add_url_rule("/send_reminders", "send_reminders", lambda: guarded("send_reminders"), methods=["POST"])
    return app


@pytest.fixture
def production(tmp_path: Path) -> Iterator[Runtime]:
    settings = Settings(
        environment="production",
        secret_key=SECRET,
        data_dir=tmp_path / "var",
        function_url_base=BASE,
        scheduler_service_account=SCHEDULER,
    )
    store = SQLiteStore(settings.sqlite_path)
    yield Runtime(settings=settings, store=store)
    store.close()


def test_production_endpoint_answers_403_json_without_a_token(keys: Keys, production: Runtime) -> None:
    answer = scheduled_app(production, keys.certs).test_client().post("/compute_scores")
    assert answer.status_code == 403
    assert answer.is_json
    assert "token OIDC tidak ada" in answer.get_json()["galat"]


def test_production_endpoint_runs_with_the_schedulers_token(keys: Keys, production: Runtime) -> None:
    client = scheduled_app(production, keys.certs).test_client()
    answer = client.post("/compute_scores", headers={"Authorization": bearer(make_token(keys.signer))})
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "selesai"}


def test_a_token_for_one_function_does_not_open_another(keys: Keys, production: Runtime) -> None:
    client = scheduled_app(production, keys.certs).test_client()
    answer = client.post("/send_reminders", headers={"Authorization": bearer(make_token(keys.signer))})
    assert answer.status_code == 403


def test_production_without_a_scheduler_account_refuses_everything(keys: Keys, tmp_path: Path) -> None:
    settings = Settings(environment="production", secret_key=SECRET, data_dir=tmp_path / "var", base_url=BASE)
    store = SQLiteStore(settings.sqlite_path)
    try:
        client = scheduled_app(Runtime(settings=settings, store=store), keys.certs).test_client()
        answer = client.post("/compute_scores", headers={"Authorization": bearer(make_token(keys.signer))})
    finally:
        store.close()
    assert answer.status_code == 403


@pytest.mark.parametrize(
    "function, command",
    [
        ("compute_scores", "score"),
        ("send_weekly_reports", "send"),
        ("send_reminders", "remind"),
        ("flush_spool", "flush"),
        ("refresh_read_model", "refresh"),
    ],
)
def test_the_local_home_refuses_a_call_without_the_credential_naming_the_command(
    keys: Keys, runtime: Runtime, function: str, command: str
) -> None:
    for authorization in (None, bearer(make_token(keys.signer, aud=f"{BASE}/{function}"))):
        with pytest.raises(Forbidden) as refused:
            oidc.require_scheduler(
                request_with(authorization), runtime, function, request_factory=transport_for(keys.certs)
            )
        assert refused.value.status == 403
        assert refused.value.message.endswith(f"python -m functions {command}")
        assert "tidak dijalankan lewat HTTP" in refused.value.message


def test_the_local_home_with_a_scheduler_account_accepts_its_token(keys: Keys, runtime: Runtime) -> None:
    from dataclasses import replace

    configured = replace(
        runtime, settings=replace(runtime.settings, function_url_base=BASE, scheduler_service_account=SCHEDULER)
    )
    token = bearer(make_token(keys.signer))
    email = oidc.require_scheduler(
        request_with(token), configured, "compute_scores", request_factory=transport_for(keys.certs)
    )
    assert email == SCHEDULER

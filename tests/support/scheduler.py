"""Cloud Scheduler in miniature: ID tokens signed by a locally generated key, and Google's certificate endpoint.

``Scheduler`` gives a runtime the settings the deploy sets (the functions' URL base and the scheduler's account)
and test clients whose every request carries a token for the function it calls, the credential the scheduled
endpoints check (``functions.web.oidc``). The ``scheduler`` fixture of ``tests/conftest.py`` makes google-auth
fetch the key's certificate from here instead of Google.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask
from flask.testing import FlaskClient
from google.auth import crypt, jwt

BASE = "https://asia-southeast2-kinerja-uji.cloudfunctions.net"
SCHEDULER = "kinerja-penjadwal@kinerja-uji.iam.gserviceaccount.com"
KEY_ID = "kunci-uji-1"

R = TypeVar("R")


@dataclass(frozen=True)
class Keys:
    signer: crypt.RSASigner
    other_signer: crypt.RSASigner  # a key Google never published, claiming the published key id
    certs: dict[str, str]


def _key_and_cert() -> tuple[bytes, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "uji.kinerja")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def make_keys() -> Keys:
    """Two RSA keys; only the first one's certificate is published."""
    pem, cert = _key_and_cert()
    other_pem, _ = _key_and_cert()
    return Keys(
        crypt.RSASigner.from_string(pem, key_id=KEY_ID),
        crypt.RSASigner.from_string(other_pem, key_id=KEY_ID),
        {KEY_ID: cert},
    )


def make_token(signer: crypt.RSASigner, key_id: str = KEY_ID, **claims: Any) -> str:
    """A Cloud Scheduler-like ID token (for ``compute_scores`` unless ``aud`` says otherwise); a claim given as None
    is left out."""
    now = int(time.time())
    payload = {
        "iss": "https://accounts.google.com",
        "aud": f"{BASE}/compute_scores",
        "azp": "1234567890",
        "sub": "1234567890",
        "email": SCHEDULER,
        "email_verified": True,
        "iat": now,
        "exp": now + 3600,
        **claims,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(signer, payload, key_id=key_id).decode()


def transport_for(certs: dict[str, str], status: int = 200) -> Callable[[], Any]:
    """A google.auth transport stand-in that answers every GET with the certificates."""

    def transport(url: str, method: str = "GET", **kwargs: Any) -> SimpleNamespace:
        return SimpleNamespace(status=status, data=json.dumps(certs).encode(), headers={})

    return lambda: transport


def bearer(token: str) -> str:
    return f"Bearer {token}"


@dataclass(frozen=True)
class Scheduler:
    keys: Keys

    def configure(self, runtime: R) -> R:
        """The runtime (any dataclass holding ``settings``) with the deploy's scheduler settings."""
        settings = replace(runtime.settings, function_url_base=BASE, scheduler_service_account=SCHEDULER)  # type: ignore[attr-defined]
        return replace(runtime, settings=settings)  # type: ignore[type-var]

    def authorization(self, function: str) -> str:
        """The ``Authorization`` header of Cloud Scheduler's call of ``function``."""
        return bearer(make_token(self.keys.signer, aud=f"{BASE}/{function}"))

    def client(self, app: Flask) -> FlaskClient:
        """A test client whose every request carries the scheduler's token for the function of its path."""
        scheduler = self

        class Signed(FlaskClient):
            def open(self, *args: Any, **kwargs: Any) -> Any:
                path = args[0] if args and isinstance(args[0], str) else kwargs.get("path", "/")
                function = urlsplit(path).path.strip("/")
                headers = {"Authorization": scheduler.authorization(function), **dict(kwargs.pop("headers", {}) or {})}
                return super().open(*args, headers=headers, **kwargs)

        app.test_client_class = Signed
        return app.test_client()

"""A real SMTP server for tests: aiosmtpd on a free loopback port, in a background thread.

``running_smtp()`` starts one (optionally with implicit TLS, STARTTLS or a login) and collects
what it accepts in ``received``; ``refuse_from(n, code)`` makes it answer ``code`` to every
message after the first ``n``. The ``smtp_server`` fixture of ``tests/conftest.py`` is the plain server.
"""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, Session

from tests.support.servers import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, _class=EmailMessage, policy=email.policy.default)
        return parsed


@dataclass
class SMTPServer:
    """What the server accepted, how often it was connected to, and when it refuses."""

    host: str = HOST
    port: int = 0
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    refuse_after: int | None = None
    refuse_code: int = 451
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def refuse_from(self, accepted: int, code: int = 451) -> None:
        """Accept ``accepted`` messages (counting those already received), then answer ``code`` to the rest."""
        with self._lock:
            self.refuse_after, self.refuse_code = accepted, code

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [r.message for r in self.received]

    # -- aiosmtpd handler hooks (run in the server's thread) --
    async def handle_EHLO(
        self, server: Any, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        with self._lock:
            if not getattr(session, "counted", False):
                self.connections += 1
                session.counted = True  # type: ignore[attr-defined]
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        with self._lock:
            if self.refuse_after is not None and len(self.received) >= self.refuse_after:
                # Real servers often echo the recipient in a refusal: the client must not pass it on.
                to = ", ".join(f"<{r}>" for r in envelope.rcpt_tos)
                text = "Coba lagi nanti" if self.refuse_code < 500 else "Ditolak"
                return f"{self.refuse_code} {self.refuse_code // 100}.7.1 {to}: {text}"
            raw = envelope.original_content or envelope.content or b""
            self.received.append(
                Received(
                    str(envelope.mail_from), list(envelope.rcpt_tos), raw if isinstance(raw, bytes) else raw.encode()
                )
            )
        return "250 2.0.0 OK diterima"


def _login_checker(user: str, password: str) -> Any:
    def check(server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)

    return check


@contextmanager
def running_smtp(
    *,
    tls: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
    login: tuple[str, str] | None = None,
    refuse_after: int | None = None,
    refuse_code: int = 451,
) -> Iterator[SMTPServer]:
    """An SMTP server on a free loopback port; STARTTLS with ``tls``, or TLS from the start with ``implicit_tls``.

    With ``refuse_after`` it accepts that many messages and answers ``refuse_code`` to the rest.
    """
    server = SMTPServer(refuse_after=refuse_after, refuse_code=refuse_code)
    params: dict[str, Any] = {}
    if tls is not None and not implicit_tls:
        params.update(tls_context=tls, require_starttls=True)
    if login is not None:
        params.update(authenticator=_login_checker(*login), auth_required=True, auth_require_tls=tls is not None)
    for attempt in range(5):
        server.port = free_port()
        controller = Controller(
            server,
            hostname=HOST,
            port=server.port,
            ssl_context=tls if implicit_tls else None,
            server_hostname=HOST,
            **params,
        )
        try:
            controller.start()
            break
        except (OSError, RuntimeError):
            if attempt == 4:
                raise
            time.sleep(0.1)
    try:
        yield server
    finally:
        controller.stop()


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed(folder: Path) -> Certificate:
    """A throwaway certificate for 127.0.0.1 made with the openssl command; skips when it is missing."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"openssl cannot make a test certificate ({err}); install it with 'sudo apt-get install openssl'.")
    return Certificate(cert, key)

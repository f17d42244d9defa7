"""A real SMTP server for tests: aiosmtpd on a free loopback port, in a background thread.

``running_smtp()`` starts one (optionally with implicit TLS, STARTTLS or a login) and collects
what it accepts in ``received``; ``refuse_from(n, code)`` makes it answer ``code`` to every
message after the first ``n``. The ``smtp_server`` fixture of ``tests/conftest.py`` is the plain server.

Like a provider, it can hold each sending account to a daily limit: ``running_smtp(accounts={login:
password, ...}, daily_limit=n)`` answers ``550 5.4.5 Daily sending quota exceeded`` to an account's
``MAIL FROM`` once it has had ``n`` messages accepted since the last ``new_day()``.
"""

from __future__ import annotations

import email
import email.policy
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
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
QUOTA_REPLY = "550 5.4.5 Daily sending quota exceeded"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    account: str = ""  # the login it came through ("" without one)

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
    daily_limit: int | None = None  # messages a day per account, then QUOTA_REPLY
    today: Counter[str] = field(default_factory=Counter)  # account -> accepted since new_day()
    quota_refusals: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def new_day(self) -> None:
        """The provider's day turns: every account may send ``daily_limit`` again."""
        with self._lock:
            self.today.clear()

    def by_account(self) -> Counter[str]:
        with self._lock:
            return Counter(r.account for r in self.received)

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

    async def handle_MAIL(
        self, server: Any, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        with self._lock:
            if self.daily_limit is not None and self.today[_account(session)] >= self.daily_limit:
                self.quota_refusals += 1
                return QUOTA_REPLY
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        with self._lock:
            if self.refuse_after is not None and len(self.received) >= self.refuse_after:
                # Real servers often echo the recipient in a refusal: the client must not pass it on.
                to = ", ".join(f"<{r}>" for r in envelope.rcpt_tos)
                text = "Coba lagi nanti" if self.refuse_code < 500 else "Ditolak"
                return f"{self.refuse_code} {self.refuse_code // 100}.7.1 {to}: {text}"
            raw = envelope.original_content or envelope.content or b""
            account = _account(session)
            self.received.append(
                Received(
                    str(envelope.mail_from),
                    list(envelope.rcpt_tos),
                    raw if isinstance(raw, bytes) else raw.encode(),
                    account,
                )
            )
            self.today[account] += 1
        return "250 2.0.0 OK diterima"


def _account(session: Session) -> str:
    login = getattr(session.auth_data, "login", b"")
    return login.decode() if isinstance(login, bytes) else str(login or "")


def _login_checker(accounts: Mapping[str, str]) -> Any:
    def check(server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any) -> AuthResult:
        user = auth_data.login.decode()
        ok = user in accounts and auth_data.password.decode() == accounts[user]
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


@contextmanager
def running_smtp(
    *,
    tls: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
    login: tuple[str, str] | None = None,
    refuse_after: int | None = None,
    refuse_code: int = 451,
    accounts: Mapping[str, str] | None = None,
    daily_limit: int | None = None,
) -> Iterator[SMTPServer]:
    """An SMTP server on a free loopback port; STARTTLS with ``tls``, or TLS from the start with ``implicit_tls``.

    With ``refuse_after`` it accepts that many messages and answers ``refuse_code`` to the rest. ``login`` (one)
    or ``accounts`` (login -> password) require a login; ``daily_limit`` holds each account to that many messages
    until ``new_day()``.
    """
    server = SMTPServer(refuse_after=refuse_after, refuse_code=refuse_code, daily_limit=daily_limit)
    params: dict[str, Any] = {}
    if tls is not None and not implicit_tls:
        params.update(tls_context=tls, require_starttls=True)
    logins = dict(accounts or {}) | (dict([login]) if login is not None else {})
    if logins:
        # Without TLS a login is offered but not required (aiosmtpd warns against requiring it in the clear).
        secure = tls is not None
        params.update(authenticator=_login_checker(logins), auth_required=secure, auth_require_tls=secure)
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

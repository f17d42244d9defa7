"""Mail transports: an outbox folder of ``.eml`` files (local home) or an SMTP server (production).

Both take complete ``EmailMessage`` objects from ``functions.mail.compose``. Errors are
``MailError`` with ``transient`` set when trying again later may succeed (4xx replies, a lost
or refused connection) and cleared when it will not (5xx replies, a bad login, TLS refused);
``quota`` is set when the server says the sending account has reached its daily limit (Google:
``550 5.4.5 Daily user sending limit exceeded``): not the message's fault, it goes tomorrow.
Neither an exception message nor a log line ever holds an email address: server replies are
masked, and SMTP exceptions that carry recipients are not chained.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import logging
import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol

from functions.errors import NotFound
from functions.settings import Settings

log = logging.getLogger(__name__)

KEY_HEADER = "X-Kinerja-Kunci"  # the Outgoing key (periode:jenis:NIP), set by compose
NAME_RE = re.compile(r"^[A-Za-z0-9._-]+\.eml$")
_ADDRESS = re.compile(r"<?[^\s<>@,;:]+@[^\s<>,;:]+>?")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# The provider's "this account has sent its day's share": enhanced status 5.4.5 (RFC 3463 "mail system congestion",
# used by Google Workspace for its daily limits), or a reply naming a quota or limit exceeded.
_QUOTA = re.compile(r"\b[45]\.4\.5\b|quota exceeded|limit exceeded", re.IGNORECASE)
TIMEOUT = 30.0


class MailError(Exception):
    """A message was not delivered. ``transient``: worth retrying later; ``code``: the SMTP reply code."""

    def __init__(self, message: str, transient: bool, code: int | None = None, quota: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.code = code
        self.quota = quota


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver one message; raises MailError."""

    def close(self) -> None:
        """Release the connection, if any."""


def mask_addresses(text: str) -> str:
    """Text with every email address replaced by ``<alamat>``."""
    return _ADDRESS.sub("<alamat>", text)


# -- outbox ------------------------------------------------------------------------------------


def _file_name(message: EmailMessage, when: datetime) -> str:
    _, kind, nip = [*str(message.get(KEY_HEADER, "")).split(":"), "", "", ""][:3]
    kind = _UNSAFE.sub("", kind) or "email"
    nip = _UNSAFE.sub("", nip) or "tanpa-nip"
    return f"{when:%Y%m%dT%H%M%S.%f}Z-{kind}-{nip}.eml"


class OutboxTransport:
    """Writes each message as ``<timestamp>-<kind>-<nip>.eml`` in a folder, atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        data = message.as_bytes(policy=email.policy.SMTP)  # CRLF line ends, as a mail server stores them
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = _file_name(message, datetime.now(UTC))
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, self.folder / name)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise MailError(
                f"Email tidak dapat ditulis ke kotak keluar {self.folder}: {err.strerror or err}. "
                "Periksa bahwa folder data dapat ditulis dan disk tidak penuh.",
                transient=True,
            ) from err
        log.info("mail written to outbox: %s", name)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> OutboxTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class OutboxEntry:
    name: str
    subject: str
    to: str
    date: datetime | None
    kind: str


def read_message(folder: Path, name: str) -> EmailMessage:
    """One ``.eml`` of the outbox; NotFound for a name that is not one (no paths, no other files)."""
    path = Path(folder) / name
    if not NAME_RE.match(name) or not path.is_file():
        raise NotFound("Email tidak ditemukan di kotak keluar.")
    with path.open("rb") as handle:
        message = email.message_from_binary_file(handle, _class=EmailMessage, policy=email.policy.default)
    return message


def list_messages(folder: Path, limit: int = 500) -> list[OutboxEntry]:
    """The newest ``limit`` messages of the outbox, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.glob("*.eml") if NAME_RE.match(p.name)), reverse=True)[:limit]
    entries = []
    for name in names:
        message = read_message(folder, name)
        try:
            sent = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
        except (TypeError, ValueError):
            sent = None
        key = str(message.get(KEY_HEADER, ""))
        entries.append(
            OutboxEntry(
                name=name,
                subject=str(message.get("Subject", "")),
                to=str(message.get("To", "")),
                date=sent,
                kind=key.split(":")[1] if key.count(":") == 2 else "",
            )
        )
    return entries


# -- SMTP --------------------------------------------------------------------------------------


def _reply_error(code: int, reply: bytes | str, what: str) -> MailError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = mask_addresses(" ".join(text.split()))[:300]
    transient = 400 <= code < 500
    quota = bool(_QUOTA.search(text))
    hint = "akan dicoba lagi" if transient else "tidak akan dicoba lagi tanpa perbaikan"
    if quota:
        hint = "akun pengirim ini sudah mencapai batas harian; email dikirim hari berikutnya"
    return MailError(
        f"Server surat menolak {what} (kode {code}: {text}); {hint}.", transient=transient, code=code, quota=quota
    )


class SMTPTransport:
    """One SMTP connection, opened on first use and reused for every message until ``close()``."""

    def __init__(
        self,
        settings: Settings,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = TIMEOUT,
        login: tuple[str, str] | None = None,
    ) -> None:
        """``login``: (user, password) of a sending account other than ``KINERJA_SMTP_USER``."""
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.security = settings.smtp_security
        self.user, self._password = login or (settings.smtp_user, settings.smtp_password)
        self.timeout = timeout
        self._context = ssl_context
        self._conn: smtplib.SMTP | None = None

    def __repr__(self) -> str:
        return f"SMTPTransport(host={self.host!r}, port={self.port}, security={self.security!r})"

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def open(self) -> None:
        if self._conn is not None:
            return
        where = f"{self.host}:{self.port}"
        context = self._context or ssl.create_default_context()
        conn: smtplib.SMTP | None = None
        try:
            if self.security == "ssl":
                conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            conn.ehlo()
            if self.security == "starttls":
                conn.starttls(context=context)
                conn.ehlo()
            if self.user:
                conn.login(self.user, self._password)
        except smtplib.SMTPAuthenticationError as err:
            _quietly_close(conn)
            raise MailError(
                f"Login ke server surat {where} ditolak (kode {err.smtp_code}). "
                "Periksa KINERJA_SMTP_USER dan KINERJA_SMTP_PASSWORD.",
                transient=False,
                code=err.smtp_code,
            ) from None  # the reply may echo the login name
        except smtplib.SMTPNotSupportedError as err:
            _quietly_close(conn)
            raise MailError(
                f"Server surat {where} tidak mendukung STARTTLS atau login. Periksa KINERJA_SMTP_SECURITY "
                "(starttls untuk port 587, ssl untuk port 465).",
                transient=False,
            ) from err
        except ssl.SSLCertVerificationError as err:
            _quietly_close(conn)
            raise MailError(
                f"Sertifikat TLS server surat {where} tidak dapat diverifikasi: {err.verify_message}. "
                "Periksa KINERJA_SMTP_HOST (nama harus sama dengan sertifikat).",
                transient=False,
            ) from err
        except smtplib.SMTPResponseException as err:
            _quietly_close(conn)
            raise _reply_error(err.smtp_code, err.smtp_error, "sambungan") from None
        except (OSError, smtplib.SMTPException) as err:
            _quietly_close(conn)
            raise MailError(
                f"Tidak dapat tersambung ke server surat {where}: {mask_addresses(str(err)) or type(err).__name__}. "
                "Akan dicoba lagi; bila terus gagal, periksa KINERJA_SMTP_HOST, KINERJA_SMTP_PORT dan jaringan.",
                transient=True,
            ) from err
        self._conn = conn
        log.info("smtp connected: host=%s port=%d security=%s", self.host, self.port, self.security)

    def send(self, message: EmailMessage) -> None:
        self.open()
        conn = self._conn
        assert conn is not None
        try:
            refused = conn.send_message(message)
        except smtplib.SMTPRecipientsRefused as err:
            code, reply = next(iter(err.recipients.values()), (550, b""))
            raise _reply_error(code, reply, "penerima") from None  # err names the recipient
        except smtplib.SMTPSenderRefused as err:
            raise _reply_error(err.smtp_code, err.smtp_error, "pengirim") from None
        except smtplib.SMTPResponseException as err:
            if err.smtp_code == 421:  # the server is closing the connection
                self._drop()
            raise _reply_error(err.smtp_code, err.smtp_error, "email") from None
        except (OSError, smtplib.SMTPException) as err:
            self._drop()
            raise MailError(
                f"Sambungan ke server surat terputus: {type(err).__name__}. Akan dicoba lagi.", transient=True
            ) from None
        if refused:  # only with several recipients; ours have one
            code, reply = next(iter(refused.values()))
            raise _reply_error(code, reply, "sebagian penerima")

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        _quietly_close(conn)

    def __enter__(self) -> SMTPTransport:
        self.open()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _quietly_close(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        with contextlib.suppress(OSError):
            conn.close()


def open_transport(settings: Settings) -> OutboxTransport | SMTPTransport:
    """The transport the settings name: the outbox folder or SMTP (connected on first send)."""
    if settings.mail_transport == "smtp":
        return SMTPTransport(settings)
    return OutboxTransport(settings.outbox_dir)


def open_transports(settings: Settings) -> dict[int, Transport]:
    """One transport per sending account (``Settings.mail_accounts``), by account number: SMTP logins of their own,
    or, locally, the one outbox folder (so the limits behave as in production)."""
    if settings.mail_transport != "smtp":
        outbox = OutboxTransport(settings.outbox_dir)
        return {number: outbox for number, _, _ in settings.mail_accounts}
    return {
        number: SMTPTransport(settings, login=(user, password)) for number, user, password in settings.mail_accounts
    }

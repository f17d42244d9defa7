"""Mail transports (functions/mail/transport.py): the outbox folder and SMTP against a real server.

The SMTP tests talk to aiosmtpd on a loopback port (``tests/support/smtp.py``); the TLS ones use a
throwaway certificate made with openssl.
"""

from __future__ import annotations

import logging
import re
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from functions.errors import NotFound
from functions.mail import compose
from functions.mail.compose import Outgoing
from functions.mail.transport import (
    KEY_HEADER,
    MailError,
    OutboxTransport,
    SMTPTransport,
    list_messages,
    open_transport,
    read_message,
)
from functions.settings import Settings
from functions.store.sqlite import SQLiteStore
from tests.conftest import HEAD, STAFF_A, SUPERVISOR
from tests.mail.test_compose import NOW, WEEK, seed_week
from tests.support.servers import free_port
from tests.support.smtp import SMTPServer, running_smtp, self_signed

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture
def batch(store: SQLiteStore, settings: Settings, city: dict[str, Any]) -> list[Outgoing]:
    seed_week(store)
    return compose.weekly(store, settings, WEEK.label, NOW)


def smtp_settings(settings: Settings, server: SMTPServer, **extra: Any) -> Settings:
    values = {"mail_transport": "smtp", "smtp_host": server.host, "smtp_port": server.port, "smtp_security": "none"}
    return replace(settings, **(values | extra))


def pick(batch: list[Outgoing], kind: str, nip: str) -> Outgoing:
    return next(o for o in batch if o.kind == kind and o.nip == nip)


# -- outbox --------------------------------------------------------------------------------------


def test_outbox_writes_one_readable_eml_per_message_named_by_kind_and_nip(
    tmp_path: Path, batch: list[Outgoing]
) -> None:
    folder = tmp_path / "outbox"
    item = pick(batch, "atasan", SUPERVISOR)
    with OutboxTransport(folder) as transport:
        transport.send(item.message)
        transport.send(pick(batch, "pegawai", STAFF_A).message)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2, files  # no temporary file left behind
    name = next(n for n in files if "-atasan-" in n)
    assert re.fullmatch(rf"\d{{8}}T\d{{6}}\.\d{{6}}Z-atasan-{SUPERVISOR}\.eml", name)
    message = read_message(folder, name)
    assert message["Subject"] == item.message["Subject"]
    assert message["Message-ID"] == item.message["Message-ID"]
    assert message[KEY_HEADER] == item.key
    html = message.get_body(("html",))
    assert html is not None and "Budi Santoso" in html.get_content()
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    assert f"cid:{str(image['Content-ID']).strip('<>')}" in html.get_content()
    assert b"\r\n" in (folder / name).read_bytes()  # stored with CRLF, as a mail server would


def test_outbox_lists_newest_first_with_subject_and_kind(tmp_path: Path, batch: list[Outgoing]) -> None:
    transport = OutboxTransport(tmp_path)
    for item in batch[:3]:
        transport.send(item.message)
    (tmp_path / "catatan.txt").write_text("bukan email")
    entries = list_messages(tmp_path)
    assert [e.name for e in entries] == sorted((p.name for p in tmp_path.glob("*.eml")), reverse=True)
    assert {e.kind for e in entries} == {o.kind for o in batch[:3]}
    assert {e.subject for e in entries} == {str(o.message["Subject"]) for o in batch[:3]}
    assert all(e.date is not None and e.date == NOW for e in entries)
    assert list_messages(tmp_path / "belum-ada") == []


@pytest.mark.parametrize("name", ["../kinerja.sqlite3", "catatan.txt", "tidak-ada.eml", "a/b.eml", ""])
def test_outbox_reads_only_its_own_eml_files(tmp_path: Path, name: str) -> None:
    (tmp_path / "catatan.txt").write_text("bukan email")
    with pytest.raises(NotFound):
        read_message(tmp_path, name)


def test_an_outbox_that_cannot_be_written_is_a_transient_error(tmp_path: Path, batch: list[Outgoing]) -> None:
    blocked = tmp_path / "berkas"
    blocked.write_text("a file where the folder should be")
    with pytest.raises(MailError) as err:
        OutboxTransport(blocked).send(batch[0].message)
    assert err.value.transient
    assert "kotak keluar" in err.value.message


def test_open_transport_follows_the_settings(settings: Settings) -> None:
    outbox = open_transport(settings)
    assert isinstance(outbox, OutboxTransport) and outbox.folder == settings.outbox_dir
    smtp = open_transport(replace(settings, mail_transport="smtp", smtp_host="smtp.contoh.go.id"))
    assert isinstance(smtp, SMTPTransport) and not smtp.is_open  # connects on first send


def test_smtp_transport_hides_the_password_from_its_repr(settings: Settings) -> None:
    transport = SMTPTransport(replace(settings, smtp_host="smtp.contoh.go.id", smtp_password="rahasia-sekali"))
    assert "rahasia-sekali" not in repr(transport)


# -- SMTP --------------------------------------------------------------------------------------


def test_smtp_delivers_every_message_over_one_connection(
    settings: Settings,
    batch: list[Outgoing],
    smtp_server: SMTPServer,
) -> None:
    with SMTPTransport(smtp_settings(settings, smtp_server)) as transport:
        for item in batch:
            transport.send(item.message)
    assert smtp_server.connections == 1
    assert [r.rcpt_tos for r in smtp_server.received] == [[o.to] for o in batch]
    assert {r.mail_from for r in smtp_server.received} == {"noreply@localhost"}
    received = smtp_server.received[0].message
    sent = batch[0].message
    assert received["Subject"] == sent["Subject"] and received["Message-ID"] == sent["Message-ID"]
    assert received.get_content_type() == "multipart/alternative"
    text, html = received.get_body(("plain",)), received.get_body(("html",))
    assert text is not None and html is not None
    assert "Ringkasan kinerja tim" in html.get_content()
    image = next(p for p in received.walk() if p.get_content_type() == "image/png")
    assert f"cid:{str(image['Content-ID']).strip('<>')}" in html.get_content()
    assert "Bcc" not in received


@pytest.mark.parametrize(("code", "transient"), [(451, True), (452, True), (550, False), (554, False)])
def test_a_refusal_is_a_mail_error_transient_for_4xx_permanent_for_5xx_without_the_address(
    settings: Settings,
    batch: list[Outgoing],
    smtp_server: SMTPServer,
    caplog: pytest.LogCaptureFixture,
    code: int,
    transient: bool,
) -> None:
    caplog.set_level(logging.DEBUG, logger="functions")
    smtp_server.refuse_from(1, code)
    with SMTPTransport(smtp_settings(settings, smtp_server)) as transport:
        transport.send(batch[0].message)
        with pytest.raises(MailError) as err:
            transport.send(batch[1].message)
        assert err.value.transient is transient
        assert err.value.code == code
        assert str(code) in err.value.message and "<alamat>" in err.value.message  # the server echoed the address
        assert batch[1].to not in err.value.message and not ADDRESS.search(err.value.message)
        assert err.value.__cause__ is None and err.value.__context__ is not None
        smtp_server.refuse_from(10)  # the same connection carries on after a refusal
        transport.send(batch[2].message)
    assert len(smtp_server.received) == 2 and smtp_server.connections == 1
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("functions")]
    assert ours and not any(ADDRESS.search(line) for line in ours)


def test_no_server_listening_is_a_transient_error_that_names_the_setting(settings: Settings) -> None:
    closed = replace(
        settings, mail_transport="smtp", smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none"
    )
    transport = SMTPTransport(closed, timeout=5)
    with pytest.raises(MailError) as err:
        transport.send(compose_one(settings))
    assert err.value.transient
    assert "KINERJA_SMTP_HOST" in err.value.message
    assert not transport.is_open


def test_a_lost_connection_is_transient_and_the_next_send_reconnects(
    settings: Settings,
    batch: list[Outgoing],
    smtp_server: SMTPServer,
) -> None:
    transport = SMTPTransport(smtp_settings(settings, smtp_server))
    transport.send(batch[0].message)
    assert transport._conn is not None
    transport._conn.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]  # the network drops it
    with pytest.raises(MailError) as err:
        transport.send(batch[1].message)
    assert err.value.transient and not transport.is_open
    transport.send(batch[1].message)
    transport.close()
    assert len(smtp_server.received) == 2 and smtp_server.connections == 2


def test_starttls_with_login(tmp_path: Path, settings: Settings, batch: list[Outgoing]) -> None:
    certificate = self_signed(tmp_path)
    with running_smtp(tls=certificate.server_context(), login=("kinerja", "sandi-uji")) as server:
        good = smtp_settings(settings, server, smtp_security="starttls", smtp_user="kinerja", smtp_password="sandi-uji")
        with SMTPTransport(good, ssl_context=certificate.client_context()) as transport:
            transport.send(batch[0].message)
        assert len(server.received) == 1
        bad = replace(good, smtp_password="salah")
        with pytest.raises(MailError) as err:
            SMTPTransport(bad, ssl_context=certificate.client_context()).open()
        assert not err.value.transient and "KINERJA_SMTP_PASSWORD" in err.value.message
        assert "kinerja" not in err.value.message.replace("Pantau Kinerja", "")


def test_implicit_tls(tmp_path: Path, settings: Settings, batch: list[Outgoing]) -> None:
    certificate = self_signed(tmp_path)
    with running_smtp(tls=certificate.server_context(), implicit_tls=True) as server:
        ssl_settings = smtp_settings(settings, server, smtp_security="ssl")
        with SMTPTransport(ssl_settings, ssl_context=certificate.client_context()) as transport:
            transport.send(batch[0].message)
        assert len(server.received) == 1
        with pytest.raises(MailError) as err:  # a certificate nobody vouches for
            SMTPTransport(ssl_settings).open()
        assert not err.value.transient and "Sertifikat" in err.value.message


def compose_one(settings: Settings) -> Any:
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = f"{HEAD}@contoh.go.id"
    message["Subject"] = "Uji"
    message.set_content("Uji.")
    return message

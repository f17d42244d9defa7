"""The reporter's receipt email (functions/mail/complaint_receipt.py), through a real SMTP server on loopback."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from functions.mail import complaint_receipt
from functions.rules.workdays import WIB
from functions.settings import Settings
from tests.support.smtp import SMTPServer

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
ROW: dict[str, Any] = {
    "id": "aduanUji0001",
    "kode": "ADU-7KQ2-MX4P-9RTA",
    "kategori": "Kependudukan",
    "uraian": "Antrean perekaman KTP-el di loket 3 tidak bergerak selama dua jam.",
    "batas_verifikasi": datetime(2026, 11, 30, 23, 59, 59, tzinfo=WIB),
    "batas_tindak_lanjut": datetime(2026, 12, 7, 23, 59, 59, tzinfo=WIB),
}
ADDRESS = "warga.pelapor@contoh.id"


def smtp(settings: Settings, server: SMTPServer) -> Settings:
    return replace(settings, mail_transport="smtp", smtp_host=server.host, smtp_port=server.port, smtp_security="none")


def test_the_receipt_carries_code_pin_deadlines_and_link_but_no_complaint_text(
    settings: Settings, smtp_server: SMTPServer
) -> None:
    assert complaint_receipt.send(smtp(settings, smtp_server), ROW, "Disdukcapil", "K7Q2-MX4P", ADDRESS, NOW)
    (received,) = smtp_server.received
    assert received.rcpt_tos == [ADDRESS]
    message = received.message
    assert message["Subject"] == "Pengaduan Anda diterima: ADU-7KQ2-MX4P-9RTA"
    for part in ("plain", "html"):
        body = message.get_body((part,))
        assert body is not None
        text = body.get_content()
        assert "ADU-7KQ2-MX4P-9RTA" in text and "K7Q2-MX4P" in text
        assert "Senin, 30 November 2026" in text and "Senin, 7 Desember 2026" in text
        assert f"{settings.base_url}/complaint_status?kode=ADU-7KQ2-MX4P-9RTA" in text
        assert "loket 3" not in text


def test_a_refused_receipt_is_reported_and_logged_without_the_address(
    settings: Settings, smtp_server: SMTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    smtp_server.refuse_from(0, code=550)
    assert not complaint_receipt.send(smtp(settings, smtp_server), ROW, "Disdukcapil", "K7Q2-MX4P", ADDRESS, NOW)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("functions"))  # not the test server's
    assert "complaint receipt not sent" in ours
    assert ADDRESS not in ours and "K7Q2" not in ours

"""The reporter's receipt: the tracking code and the PIN by email, when they left an address (never for Anonim).

Sent once, while the complaint is filed: the PIN exists in plain text only then (only its hash is stored), so the
receipt cannot be sent later. A retry of the same form sends nothing more. The receipt is not recorded in Terkirim
(its rows name a member of staff); a mail server that refuses it is logged without the address and the page still
shows the code and PIN. It carries no complaint text.
"""

from __future__ import annotations

import logging
from datetime import datetime
from email.headerregistry import Address
from urllib.parse import urlencode

from functions.mail.compose import build_message
from functions.mail.transport import MailError, open_transport
from functions.settings import Settings
from functions.store import Row

log = logging.getLogger(__name__)
KIND = "aduan"


def send(settings: Settings, row: Row, unit_name: str, pin: str, email: str, now: datetime) -> bool:
    """Email the code and the PIN to the reporter; True when the mail server took it."""
    context = {
        "kode": row["kode"],
        "pin": pin,
        "kategori": row["kategori"],
        "unit": unit_name,
        "aduan": row,
        "tautan": f"{settings.base_url}/complaint_status?{urlencode({'kode': row['kode']})}",
    }
    title = f"Pengaduan Anda diterima: {row['kode']}"
    key = f"{now.date().isoformat()}:{KIND}:{row['id']}"
    message = build_message(settings, key, KIND, title, Address(addr_spec=email), context | {"subjek": title}, now)
    transport = open_transport(settings)
    try:
        transport.send(message)
    except MailError as err:
        log.warning("complaint receipt not sent: transient=%s", err.transient)
        return False
    finally:
        close = getattr(transport, "close", None)  # the outbox has nothing to close
        if close is not None:
            close()
    return True

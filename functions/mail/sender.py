"""Sending email exactly once: the Terkirim sheet, retries with backoff, the daily limit.

Each message has a key (period, kind, recipient NIP). A key already in Terkirim is skipped,
so a re-run, or a run after a crash halfway, sends each email once. A message the server
refuses is retried with capped, jittered backoff; what still fails is reported at the end and
left out of Terkirim, so the next run sends it. The provider's daily limit is respected by
stopping cleanly: the rest wait for the next run (or the next day). A planned message
(``compose.Planned``) is rendered only once it is due, so neither a skipped nor a deferred
message is rendered, and only one rendered message is held at a time.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from functions import periods
from functions.mail.compose import KINDS, Outgoing, Planned
from functions.mail.transport import MailError, Transport, open_transport
from functions.settings import Settings
from functions.store import Store

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    planned: int = 0
    sent: int = 0
    already_sent: int = 0
    deferred: int = 0  # left for the next run by the daily limit
    failed: list[tuple[str, str]] = field(default_factory=list)  # (key, reason): sent again next run
    dry_run: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "direncanakan": self.planned,
            "terkirim": self.sent,
            "sudah_terkirim": self.already_sent,
            "ditunda_batas_harian": self.deferred,
            "gagal": [k for k, _ in self.failed],
            "uji_coba": self.dry_run,
        }

    def summary(self) -> str:
        verb = "akan dikirim (uji coba, tidak ada yang dikirim)" if self.dry_run else "terkirim"
        text = f"{self.sent} email {verb}, {self.already_sent} sudah terkirim sebelumnya"
        if self.deferred:
            text += f", {self.deferred} menunggu hari berikutnya karena batas harian"
        if self.failed:
            text += f", {len(self.failed)} gagal dan akan dikirim ulang pada proses berikutnya"
        return text + "."


def send(
    store: Store,
    transport: Transport,
    outgoing: Sequence[Outgoing | Planned],
    now: Callable[[], datetime],
    daily_limit: int,
    dry_run: bool = False,
    retries: int = 3,
    base_delay: float = 1.0,
    max_delay: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    report = SendReport(planned=len(outgoing), dry_run=dry_run)
    labels = sorted({o.periode for o in outgoing})
    done = {r["id"] for p in labels for r in store.records("Terkirim", where={"periode": p}, start=_first_day(p))}
    today = now().date()
    sent_today = len(store.records("Terkirim", start=today, end=today))
    for item in outgoing:
        if item.key in done:
            report.already_sent += 1
            continue
        if sent_today >= daily_limit:
            report.deferred += 1
            continue
        ready = item.render() if isinstance(item, Planned) else item
        if dry_run:
            report.sent += 1
            sent_today += 1
            continue
        error = _deliver(transport, ready, retries, base_delay, max_delay, sleep)
        if error is not None:
            report.failed.append((item.key, error))
            continue
        store.append(
            "Terkirim",
            [
                {
                    "id": item.key,
                    "periode": item.periode,
                    "jenis": KINDS[item.kind],
                    "nip": item.nip,
                    "message_id": str(ready.message["Message-ID"]),
                    "dikirim_pada": now(),
                }
            ],
        )
        done.add(item.key)
        report.sent += 1
        sent_today += 1
    log.info("mail run: %s", report.as_dict())
    return report


def send_through_settings(
    store: Store,
    settings: Settings,
    outgoing: Sequence[Outgoing | Planned],
    now: Callable[[], datetime],
    dry_run: bool = False,
) -> SendReport:
    """``send`` through the transport the settings name, opened for these messages and closed after them."""
    transport = open_transport(settings)
    try:
        return send(store, transport, outgoing, now, settings.mail_daily_limit, dry_run=dry_run)
    finally:
        close = getattr(transport, "close", None)
        if close is not None:
            close()


def _first_day(label: str) -> date:
    """The first day of a period (a week, or a day for reminders): no email of it is sent before, so Terkirim is
    read from there on (on Google Sheets: only the months since, not every month of Terkirim)."""
    try:
        return date.fromisoformat(label)
    except ValueError:
        return periods.parse(label).start


def _deliver(
    transport: Transport, item: Outgoing, retries: int, base: float, cap: float, sleep: Callable[[float], None]
) -> str | None:
    """Send one message; None on success, else the reason (no address in it)."""
    for attempt in range(retries + 1):
        try:
            transport.send(item.message)
            return None
        except MailError as err:
            if not err.transient or attempt == retries:
                log.warning("mail not sent: key=%s transient=%s", item.key, err.transient)
                return str(err)
            delay = min(cap, base * 2**attempt) * random.uniform(0.5, 1.0)  # noqa: S311 (jitter, not security)
            sleep(delay)
    return "tidak terkirim"

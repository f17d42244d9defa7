"""Helpers for tests that talk to the forms over HTTP (Flask test client or a real server)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

SUBMISSION_ID = re.compile(r'name="id_kiriman" value="([^"]+)"')


def submission_id(html: str) -> str:
    match = SUBMISSION_ID.search(html)
    assert match, "the form has no id_kiriman field"
    return match.group(1)


def activity_fields(i: int, day: date, target_id: str, **over: Any) -> dict[str, str]:
    fields = {
        f"tanggal-{i}": day.isoformat(),
        f"kegiatan-{i}": f"Melayani pembuatan surat pengantar nomor {i + 1}",
        f"id_target-{i}": target_id,
        f"kuantitas-{i}": "3",
        f"durasi_menit-{i}": "45",
        f"bukti_dukung-{i}": "",
        f"kendala-{i}": "",
    }
    fields.update({f"{k}-{i}": v for k, v in over.items()})
    return fields


CSRF = re.compile(r'name="csrf" value="([^"]*)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def post_form(client: Any, url: str, data: dict[str, str], **kw: Any) -> Any:
    """POST as a browser would: open the page first (CSRF cookie and field), then send."""
    page = client.get(url)
    return client.post(url, data={"csrf": csrf_of(page.text), **data}, **kw)

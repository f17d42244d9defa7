"""'Salin ke e-Kinerja': a person's day in the fields of e-Kinerja BKN's Progres Harian, to copy with one tap.

A view of the personal report link, ``submit_report?t=<token>&salin_ekinerja=YYYY-MM-DD`` (no function of its
own): the person's own activities of that day (``staff.progres_harian``), each in a read-only text area with a copy
button, one for the whole day, and how far the day is from e-Kinerja's daily deadline
(``rules.ekinerja_deadline``). The buttons are the script's (``forms/offline/salin_ekinerja.js``, served by the
same function as ``submit_report?aset=salin_ekinerja.js``): the Clipboard API, else the text area selected and
copied; without the script the buttons stay hidden and the text areas are there to select by hand.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from flask import Request, Response

from functions import schema
from functions.errors import ValidationError
from functions.rendering import format_date, render
from functions.rules import ekinerja_deadline
from functions.runtime import Runtime
from functions.staff import identity, progres_harian
from functions.store import Row
from functions.web.http import home_link, html
from functions.web.staff import offline

PARAM = identity.EKINERJA_COPY  # submit_report?t=...&salin_ekinerja=YYYY-MM-DD
SCRIPT = "salin_ekinerja.js"  # a file of the report function (functions.web.staff.offline)


def url(token: str, day: date) -> str:
    """The page of ``day``, relative, for the person's own pages."""
    return identity.ekinerja_copy_url("", token, day).lstrip("/")


def parse_day(raw: str, today: date) -> date:
    """The day asked for: exactly YYYY-MM-DD, not after today; else a ValidationError naming the field."""
    text = raw.strip()
    problem = ""
    if not schema.DATE_RE.fullmatch(text):
        problem = f"tulis tanggal sebagai TTTT-BB-HH, misalnya {today.isoformat()}, bukan {text!r}"
    else:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            problem = f"{text} bukan tanggal yang ada"
        else:
            if day > today:
                problem = f"{format_date(day)} belum tiba; pilih hari ini atau hari sebelumnya"
    if problem:
        message = f"Tanggal: {problem}."
        raise ValidationError({PARAM: message}, message)
    return day


def page(request: Request, runtime: Runtime, employee: Row, unit_name: str, token: str) -> Response:
    now = runtime.now()
    day = parse_day(request.args.get(PARAM, ""), now.date())
    entries = progres_harian.entries(runtime.store, employee["nip"], day)
    at = ekinerja_deadline.deadline_time(runtime.store)
    due = ekinerja_deadline.deadline(day, at, runtime.settings.tz)
    return html(
        render(
            "ekinerja_copy.html",
            employee=employee,
            unit_name=unit_name,
            day=day,
            entries=entries,
            whole_day=progres_harian.day_text(entries),
            gaps=progres_harian.gaps(entries),
            deadline=due,
            time_left=ekinerja_deadline.time_left(now, due),
            late=now > due,
            token=token,
            today=now.date(),
            form_url=f"submit_report?{urlencode({'t': token})}",
            home_url=home_link(request),
            script_url=offline.url(SCRIPT),
        )
    )

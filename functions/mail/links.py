"""Personal links by email: the operator sends a person, a unit or everyone not yet served their own links.

Each message is recorded in Terkirim like the weekly mail (``<day>:tautan:<nip>``), so one person gets at most one
link email a day however often the operator presses the button, and the checklist knows who has had theirs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from datetime import datetime
from email.headerregistry import Address

from functions.mail import sender
from functions.mail.compose import Batch, Outgoing, Planned, _address, _compose, _planned
from functions.mail.sender import SendReport
from functions.settings import Settings
from functions.staff import identity
from functions.store import Row, Store


def links_of(settings: Settings, person: Row, supervisors: set[str]) -> list[tuple[str, str]]:
    """(label, address) of every page the person's link opens, their home page (Beranda) first."""
    token = identity.make_token(settings.secret_key, person)
    found = [
        ("Beranda", identity.home_url(settings.base_url, token)),
        ("Laporan harian", identity.report_url(settings.base_url, token)),
    ]
    if person["nip"] in supervisors:
        found += [
            ("Verifikasi laporan tim", identity.review_url(settings.base_url, token)),
            ("Penilaian perilaku tim", identity.behaviour_url(settings.base_url, token)),
            ("Skor dan tren tim", identity.scores_url(settings.base_url, token)),
        ]
    found.append(("Pengaduan unit", identity.complaints_url(settings.base_url, token)))
    if person.get("peran"):
        found.append(("Konsol operator", identity.console_url(settings.base_url, token)))
    return found


def plan_links(
    settings: Settings, people: Iterable[Row], supervisors: set[str], operator: str, now: datetime
) -> Batch[Planned]:
    """One link email per person with a valid address; those without one are counted in ``skipped``."""
    batch: Batch[Planned] = Batch()
    day = now.date().isoformat()
    for person in people:
        address = _address(person)
        if address is None:
            batch.skipped += 1
            continue
        render = functools.partial(_render, settings, person, address, supervisors, operator, now)
        batch.append(_planned(day, "tautan", person["nip"], render))
    return batch


def _render(
    settings: Settings, person: Row, address: Address, supervisors: set[str], operator: str, now: datetime
) -> Outgoing:
    links = links_of(settings, person, supervisors)
    context = {
        "orang": {"nama": person["nama"], "jabatan": person.get("jabatan") or ""},
        "tautan": {"beranda": links[0][1], "lain": links[1:]},
        "operator": operator,
    }
    return _compose(settings, "tautan", now.date().isoformat(), person, address, context, now)


def send_links(
    store: Store, settings: Settings, people: Iterable[Row], operator: str, now: Callable[[], datetime]
) -> tuple[SendReport, int]:
    """Email each person their links, at most once a day each (Terkirim); (the sender's report, people skipped for
    want of a valid address). ``operator`` names who asked, or is empty for the person's own request."""
    everyone = store.records("Pegawai")
    supervisors = {p["nip_atasan"] for p in everyone if p.get("nip_atasan")}
    planned = plan_links(settings, people, supervisors, operator, now())
    if not planned:
        return SendReport(planned=0), planned.skipped
    return sender.send_through_settings(store, settings, planned, now), planned.skipped

"""Composing the emails: the weekly digests of supervisors, staff and unit heads, and the daily reminder.

``plan_weekly`` reads Pegawai, Unit and Konfigurasi and plans one message per recipient: supervisors and
unit heads first, then staff, so a daily limit that stops a run leaves the staff summaries for the next
one; with Konfigurasi ``ringkasan_pegawai`` = ``halaman`` the staff summary is not emailed (the person's
home page shows it, from ``staff_summary``). The rest of what the emails show (Skor and SkorUnit of only
the periods shown, Peringatan, SaranPelatihan, the activities still waiting for verification, the
complaints) is read once, when the first message is rendered: a run with nothing left to send reads
none of it. ``plan_reminders`` plans the reminders of one working day. People without a valid email
are skipped and counted (``Batch.skipped``). A planned message is rendered only when ``render()`` is
called: the sender renders just those it is about to send, one at a time, so a city's week never sits
in memory at once and a re-run renders nothing.
``weekly`` and ``reminders`` render every planned message.

Messages are ``multipart/alternative`` (text, then HTML; the HTML inside ``multipart/related``
with the trend chart as an inline PNG) from the templates in ``forms/templates/mail/``. They carry
no citizen data: complaints appear only as counts and due dates, never their text or contact.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any, TypeVar

from functions import periods, schema
from functions.citizens import complaints
from functions.citizens.ikm import GRADES
from functions.mail import staff_summary
from functions.mail.staff_summary import COMPONENTS, by_urgency
from functions.mail.transport import KEY_HEADER
from functions.periods import Period
from functions.rendering import format_date, format_number, render
from functions.rules import config, ekinerja_deadline
from functions.rules.predikat import PREDIKATS
from functions.rules.workdays import Calendar
from functions.scoring.charts import TeamChart, trend_table
from functions.settings import Settings
from functions.staff import identity, progres_harian, verification
from functions.store import Row, Store

log = logging.getLogger(__name__)

KINDS = {  # kind -> Terkirim.jenis
    "atasan": "Ringkasan Atasan",
    "pegawai": "Ringkasan Pegawai",
    "kepala_unit": "Laporan Kepala Unit",
    "pengingat": "Pengingat Harian",
    "tautan": "Tautan Pribadi",
}
WEEKS_CHARTED = 8
HEAD_WARNINGS = 10
# Each predikat with its SkorUnit column.
PREDIKAT_COLUMNS = tuple(
    zip(PREDIKATS, ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"), strict=True)
)
KINERJA = {g.mutu: g.kinerja for g in GRADES}
T = TypeVar("T")


@dataclass(frozen=True)
class Outgoing:
    key: str  # f"{periode}:{kind}:{nip}": the Terkirim id
    periode: str
    kind: str  # a key of KINDS
    nip: str
    to: str  # the address (never logged)
    message: EmailMessage  # complete: From, To, Subject, Date, Message-ID, multipart


@dataclass(frozen=True)
class Planned:
    """A message of a run before it is rendered; ``render()`` makes it (a new Message-ID at each call)."""

    key: str
    periode: str
    kind: str
    nip: str
    render: Callable[[], Outgoing] = field(repr=False, compare=False)


class Batch(list[T]):
    """The messages of one run; ``skipped`` counts messages left out because the recipient has no valid email."""

    def __init__(self, items: Iterable[T] = (), skipped: int = 0) -> None:
        super().__init__(items)
        self.skipped = skipped


@dataclass(frozen=True)
class _Week:
    period: Period
    month: Period
    people: dict[str, Row]  # active employees by NIP
    units: dict[str, Row]
    history: dict[str, list[Row]]  # NIP -> weekly Skor rows up to the week, oldest first
    current: dict[str, Row]  # NIP -> Skor of the week
    monthly: dict[str, Row]  # NIP -> Skor of the month the week ends in
    unit_scores: dict[tuple[str, str], Row]  # (unit, periode) -> SkorUnit
    warnings: list[Row]
    suggestions: dict[str, list[Row]]
    pending: dict[str, list[date]]  # NIP -> dates of activities waiting for verification
    late: dict[str, tuple[int, date]]  # unit -> (open complaints past the follow-up deadline, oldest deadline)


def number(value: Any, digits: int = 1) -> str:
    return "–" if value is None else format_number(round(float(value), digits))


def change(row: Mapping[str, Any] | None) -> str:
    """The change of the total with an arrow: '↑ +2,5', '↓ −3,1', '→ +0,4'."""
    if not row or row.get("perubahan") is None:
        return "–"
    value = float(row["perubahan"])
    arrow = {"Naik": "↑", "Turun": "↓"}.get(row.get("tren") or "", "→")
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{arrow} {sign}{number(abs(value))}"


def _active(store: Store) -> dict[str, Row]:
    return {p["nip"]: p for p in store.records("Pegawai") if p.get("aktif") is not False}


def _read_week(store: Store, settings: Settings, period: Period, now: datetime, people: dict[str, Row]) -> _Week:
    month = periods.month(period.end)
    history: dict[str, list[Row]] = defaultdict(list)
    current: dict[str, Row] = {}
    monthly: dict[str, Row] = {}
    # Only the periods shown are read, each once (on Google Sheets: the derived spreadsheets of their months, not
    # every month's): the charted weeks up to the week, and the month it ends in.
    charted = [periods.week(period.end)]
    while len(charted) < WEEKS_CHARTED:
        charted.append(charted[-1].previous())
    skor = {p.label: store.records("Skor", where={"periode": p.label}) for p in reversed(charted)}
    for week in reversed(charted):
        for row in skor[week.label]:
            history[row["nip"]].append(row)
    week_rows = skor[period.label] if period.label in skor else store.records("Skor", where={"periode": period.label})
    for row in week_rows:
        current[row["nip"]] = row
    if month.label != period.label:
        for row in store.records("Skor", where={"periode": month.label}):
            monthly[row["nip"]] = row
    for rows in history.values():
        rows.sort(key=lambda r: r["mulai"])
    unit_scores = {
        (r["unit"], r["periode"]): r
        for label in (period.label, month.label)
        for r in store.records("SkorUnit", where={"periode": label})
    }
    suggestions: dict[str, list[Row]] = defaultdict(list)
    for row in sorted(store.records("SaranPelatihan", where={"periode": period.label}), key=lambda r: r["urutan"]):
        suggestions[row["nip"]].append(row)
    pending: dict[str, list[date]] = defaultdict(list)
    since = verification.pending_since(now.date())  # what the review page's waiting list shows
    for row in store.records("LaporanHarian", where={"verifikasi": "Menunggu"}, start=since, end=now.date()):
        pending[row["nip"]].append(row["tanggal"])
    late: dict[str, tuple[int, date]] = {}
    for c in complaints.all_complaints(store, Calendar.from_store(store, settings.tz), now):
        stage = c.deadline.tindak_lanjut
        if c.unit and c.is_open and stage.met_at is None and stage.due < now:
            count, oldest = late.get(c.unit, (0, stage.due.date()))
            late[c.unit] = (count + 1, min(oldest, stage.due.date()))
    return _Week(
        period=period,
        month=month,
        people=people,
        units={u["kode"]: u for u in store.records("Unit")},
        history=dict(history),
        current=current,
        monthly=monthly,
        unit_scores=unit_scores,
        warnings=store.records("Peringatan", where={"periode": period.label}),
        suggestions=dict(suggestions),
        pending=dict(pending),
        late=late,
    )


def weekly(store: Store, settings: Settings, week_label: str, now: datetime) -> Batch[Outgoing]:
    """One message per supervisor, unit head and active staff member with a valid email, for one ISO week."""
    plan = plan_weekly(store, settings, week_label, now)
    return Batch((item.render() for item in plan), plan.skipped)


def staff_by_email(store: Store) -> bool:
    """Konfigurasi ``ringkasan_pegawai``: True when the staff summary is emailed, False for the page only."""
    return bool(config.get(store, "ringkasan_pegawai") == "email")


def plan_weekly(store: Store, settings: Settings, week_label: str, now: datetime) -> Batch[Planned]:
    """The messages of ``weekly``, each rendered when its ``render()`` is called (the week's data is read at the
    first call)."""
    now = _aware(now, settings)
    period = periods.parse(week_label)
    people = _active(store)
    units = {u["kode"]: u for u in store.records("Unit")}
    teams: dict[str, list[Row]] = defaultdict(list)
    for member in sorted(people.values(), key=lambda p: (p["nama"], p["nip"])):
        if member.get("nip_atasan"):
            teams[member["nip_atasan"]].append(member)
    headed: dict[str, list[Row]] = defaultdict(list)
    for unit in sorted(units.values(), key=lambda u: u["kode"]):
        if unit.get("nip_kepala"):
            headed[unit["nip_kepala"]].append(unit)
    plan = [("atasan", nip) for nip in sorted(teams)] + [("kepala_unit", nip) for nip in sorted(headed)]
    if staff_by_email(store):
        plan += [("pegawai", nip) for nip in sorted(people)]
    batch: Batch[Planned] = Batch()
    absent = 0
    chart = TeamChart()
    data = functools.cache(functools.partial(_read_week, store, settings, period, now, people))
    for kind, nip in plan:
        person = people.get(nip)
        if person is None:
            absent += 1  # a supervisor or head who left: not in Pegawai, or no longer active
            continue
        address = _address(person)
        if address is None:
            batch.skipped += 1
            continue
        group = teams[nip] if kind == "atasan" else headed[nip] if kind == "kepala_unit" else []
        render = functools.partial(_render_weekly, data, settings, chart, kind, person, address, group, now)
        batch.append(_planned(period.label, kind, nip, render))
    log.info("weekly mail: week=%s messages=%d no_email=%d inactive=%d", week_label, len(batch), batch.skipped, absent)
    return batch


def _planned(periode: str, kind: str, nip: str, render: Callable[[], Outgoing]) -> Planned:
    return Planned(key=f"{periode}:{kind}:{nip}", periode=periode, kind=kind, nip=nip, render=render)


def _render_weekly(
    week: Callable[[], _Week],
    settings: Settings,
    chart: TeamChart,
    kind: str,
    person: Row,
    address: Address,
    group: list[Row],
    now: datetime,
) -> Outgoing:
    data = week()
    token = identity.make_token(settings.secret_key, person)
    if kind == "atasan":
        context = _supervisor(data, settings, person, group, token, chart)
    elif kind == "kepala_unit":
        context = _head(data, settings, person, group, token)
    else:
        context = _staff(data, settings, person, token)
    return _compose(settings, kind, data.period.label, person, address, context, now)


def _supervisor(
    data: _Week, settings: Settings, person: Row, team: list[Row], token: str, chart: TeamChart
) -> dict[str, Any]:
    """The team digest; ``grafik`` is the PNG of the team's trend, or None."""
    flags: dict[str, set[str]] = defaultdict(set)
    for w in data.warnings:
        flags[w.get("nip") or ""].add(w["jenis"])
    rows = [
        {
            "nama": m["nama"],
            "skor": data.current.get(m["nip"]),
            "predikat": (data.monthly.get(m["nip"]) or {}).get("predikat"),
            "peringatan": sorted(flags[m["nip"]]),
        }
        for m in team
    ]
    series: dict[str, list[tuple[str, float | None]]] = {}
    for m in team:
        points = [(r["periode"], r["total"]) for r in data.history.get(m["nip"], [])]
        if points:
            series[m["nama"] if m["nama"] not in series else f"{m['nama']} ({m['nip'][-4:]})"] = points
    png = chart.png(series) if series else None
    pending = [
        {"nama": m["nama"], "jumlah": len(data.pending[m["nip"]]), "tertua": min(data.pending[m["nip"]])}
        for m in team
        if data.pending.get(m["nip"])
    ]
    own = [w["alasan"] for w in data.warnings if w.get("nip") == person["nip"] and w["jenis"] == "Verifikasi Tertunda"]
    base = settings.base_url
    context = {
        "grafik": png,
        "grafik_tabel": trend_table(series),  # the chart's numbers: its alt text and the table under it
        "tim": rows,
        "menunggu": sorted(pending, key=lambda p: (p["tertua"], p["nama"])),
        "menunggu_jumlah": sum(p["jumlah"] for p in pending),
        "verifikasi_tertunda": own,
        "terlambat": data.late.get(person["unit"]),
        "unit_nama": str(data.units.get(person["unit"], {}).get("nama") or person["unit"]),
        "saran": [s for m in team for s in data.suggestions.get(m["nip"], [])],
        "tautan": {
            "verifikasi": identity.review_url(base, token),
            "skor": identity.scores_url(base, token),
            "perilaku": identity.behaviour_url(base, token),
            "lembar": f"{base}/lembar/Skor",
            "pengaduan": identity.complaints_url(base, token),
        },
    }
    return _common(data, person) | context


def _staff(data: _Week, settings: Settings, person: Row, token: str) -> dict[str, Any]:
    nip = person["nip"]
    context = staff_summary.summary(
        data.current.get(nip),
        data.monthly.get(nip),
        (w for w in data.warnings if w.get("nip") == nip),
        data.suggestions.get(nip, []),
    )
    context["tautan"] = {
        "laporan": identity.report_url(settings.base_url, token),
        "beranda": identity.home_url(settings.base_url, token),
    }
    return _common(data, person) | context


def _head(data: _Week, settings: Settings, person: Row, units: list[Row], token: str) -> dict[str, Any]:
    sections = []
    for unit in units:
        month = data.unit_scores.get((unit["kode"], data.month.label)) or {}
        warnings = by_urgency(w for w in data.warnings if w["unit"] == unit["kode"])
        sections.append(
            {
                "kode": unit["kode"],
                "nama": unit["nama"],
                "minggu": data.unit_scores.get((unit["kode"], data.period.label)),
                "bulan": month or None,
                "terlambat": data.late.get(unit["kode"]),
                "sebaran": [(label, int(month.get(key) or 0)) for label, key in PREDIKAT_COLUMNS],
                "catatan": (month.get("catatan_distribusi") or "").rstrip(". "),
                "peringatan": warnings[:HEAD_WARNINGS],
                "peringatan_lain": max(0, len(warnings) - HEAD_WARNINGS),
            }
        )
    base = settings.base_url
    links = {
        "skor_unit": f"{base}/lembar/SkorUnit",
        "peringatan": f"{base}/lembar/Peringatan",
        "pengaduan": identity.complaints_url(base, token),
    }
    return _common(data, person) | {"unit": sections, "tautan": links, "kinerja": KINERJA}


def _common(data: _Week, person: Row) -> dict[str, Any]:
    return {
        "orang": {"nama": person["nama"], "jabatan": person.get("jabatan") or ""},
        "minggu": {
            "label": data.period.label,
            "teks": periods.text(data.period),  # Minggu 23–29 November 2026
            "tanggal": periods.span_text(data.period.start, data.period.end),  # 23–29 November 2026
        },
        "bulan": {"label": data.month.label, "teks": periods.text(data.month)},
        "komponen": COMPONENTS,
        "nilai": number,
        "perubahan": change,
    }


def reminders(store: Store, settings: Settings, day: date, now: datetime) -> Batch[Outgoing]:
    """A reminder for each active employee with an email whose ``day`` (a working day) is not ready for e-Kinerja."""
    plan = plan_reminders(store, settings, day, now)
    return Batch((item.render() for item in plan), plan.skipped)


def plan_reminders(store: Store, settings: Settings, day: date, now: datetime) -> Batch[Planned]:
    """The messages of ``reminders``, each rendered when its ``render()`` is called: to those who reported nothing
    on ``day``, or activities without evidence or RHK (``progres_harian.gaps``), e-Kinerja's Progres Harian asking
    for both."""
    now = _aware(now, settings)
    batch: Batch[Planned] = Batch()
    if not Calendar.from_store(store, settings.tz).is_workday(day):
        return batch
    reported = progres_harian.everyone(store, day)
    on_leave = {c["nip"] for c in store.records("Cuti") if c["mulai"] <= day <= c["selesai"]}
    due = ekinerja_deadline.deadline(day, ekinerja_deadline.deadline_time(store), settings.tz)
    for person in sorted(store.records("Pegawai"), key=lambda p: p["nip"]):
        started = person.get("mulai_tugas") is None or person["mulai_tugas"] <= day
        if person.get("aktif") is False or person.get("pengingat") is False or not started:
            continue
        gaps = progres_harian.gaps(reported.get(person["nip"], []))
        if not gaps.any or person["nip"] in on_leave:
            continue
        address = _address(person)
        if address is None:
            batch.skipped += 1
            continue
        render = functools.partial(_render_reminder, settings, day, person, address, now, gaps, due)
        batch.append(_planned(day.isoformat(), "pengingat", person["nip"], render))
    log.info("reminders composed: day=%s messages=%d skipped_no_email=%d", day, len(batch), batch.skipped)
    return batch


def _render_reminder(
    settings: Settings,
    day: date,
    person: Row,
    address: Address,
    now: datetime,
    gaps: progres_harian.Gaps,
    due: datetime,
) -> Outgoing:
    token = identity.make_token(settings.secret_key, person)
    context = {
        "orang": {"nama": person["nama"], "jabatan": person.get("jabatan") or ""},
        "hari": format_date(day),
        "jam": f"{now.astimezone(settings.tz):%H.%M}",
        "kurang": gaps,
        "batas": {"jam": f"{due:%H.%M}", "sisa": ekinerja_deadline.time_left(now, due)},
        "tautan": {
            "laporan": identity.report_url(settings.base_url, token),
            "salin": identity.ekinerja_copy_url(settings.base_url, token, day),
        },
    }
    return _compose(settings, "pengingat", day.isoformat(), person, address, context, now)


def subject(kind: str, context: Mapping[str, Any]) -> str:
    if kind == "pengingat":
        if not context["kurang"].empty:
            return f"Lengkapi laporan harian {context['hari']} untuk e-Kinerja"
        return f"Pengingat laporan harian {context['hari']}"
    if kind == "tautan":
        return "Tautan pribadi Pantau Kinerja Anda"
    week = f"· {context['minggu']['teks']}"
    if kind == "atasan":
        return f"Ringkasan kinerja tim {week}"
    if kind == "kepala_unit":
        names = [u["nama"] for u in context["unit"]]
        more = f" dan {len(names) - 1} unit lain" if len(names) > 1 else ""
        return f"Laporan unit {names[0]}{more} {week}"
    return f"Ringkasan kinerja Anda {week}"


def _compose(
    settings: Settings, kind: str, periode: str, person: Row, address: Address, context: dict[str, Any], now: datetime
) -> Outgoing:
    chart = context.pop("grafik", None)
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    key = f"{periode}:{kind}:{person['nip']}"
    title = subject(kind, context)
    # Short, so that the header is never folded: some clients then fail to match "cid:".
    cid = f"<grafik.{secrets.token_hex(8)}@{domain}>" if chart else None
    context = context | {"subjek": title, "grafik_cid": cid[1:-1] if cid else None}
    message = build_message(settings, key, kind, title, address, context, now)
    html_part = message.get_body(("html",))
    if chart and cid and html_part is not None:
        html_part.add_related(
            chart, maintype="image", subtype="png", cid=cid, filename="tren-tim.png", disposition="inline"
        )
    return Outgoing(key=key, periode=periode, kind=kind, nip=person["nip"], to=address.addr_spec, message=message)


def build_message(
    settings: Settings, key: str, template: str, title: str, to: Address | str, context: dict[str, Any], now: datetime
) -> EmailMessage:
    """A ``multipart/alternative`` message (text, then HTML) from ``mail/<template>.txt`` and ``.html``."""
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = settings.mail_from
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message["Content-Language"] = "id"
    message[KEY_HEADER] = key
    message.set_content(render(f"mail/{template}.txt", **context), charset="utf-8", cte="quoted-printable")
    message.add_alternative(
        render(f"mail/{template}.html", **context), subtype="html", charset="utf-8", cte="quoted-printable"
    )
    return message


def _address(person: Row) -> Address | None:
    """The person's address for the To header, or None when the email cell is empty or not an address."""
    try:
        value = schema.sheet("Pegawai").column("email").parse(person.get("email"))
        return Address(display_name=str(person["nama"]), addr_spec=value) if value else None
    except (ValueError, IndexError, HeaderParseError):
        return None


def _aware(now: datetime, settings: Settings) -> datetime:
    return now.replace(tzinfo=settings.tz) if now.tzinfo is None else now

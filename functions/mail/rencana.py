"""The operator's plan of the weekly mail: how many emails a week, the limits, in how many days they go, and what
to change when that is too slow (``python -m functions send --rencana``, and the deploy's check).

``lines`` is pure: the week's emails by kind and the settings in, Indonesian lines out, every number written the
Indonesian way. ``from_store`` counts the emails of the week being sent now and adds how far it and the week
before have gone (sent, waiting, given up).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from functions import periods
from functions.mail import compose, jobs, limits
from functions.rendering import DAYS, format_date, format_number
from functions.rules.workdays import Calendar
from functions.runtime import Runtime
from functions.settings import Settings

RELAY_LIMIT = 10_000  # Google Workspace SMTP relay: recipients a day per user (DOMAIN.md section 10)
MAX_ACCOUNTS = 3  # KINERJA_SMTP_USER, _2 and _3
DIGESTS = ("atasan", "kepala_unit")

IsWorkday = Callable[[date], bool]


def n(value: int) -> str:
    return format_number(value)


def _days(emails: int, settings: Settings, monday: date, is_workday: IsWorkday) -> int:
    return limits.capacity(emails, settings, monday, is_workday).days_without_limit


def _with_accounts(settings: Settings, count: int) -> Settings:
    """The settings with ``count`` sending accounts (placeholders for the ones added)."""
    second = ("akun2", "x") if count >= 2 else ("", "")
    third = ("akun3", "x") if count >= 3 else ("", "")
    return replace(
        settings, smtp_user_2=second[0], smtp_password_2=second[1], smtp_user_3=third[0], smtp_password_3=third[1]
    )


def lines(counts: Counter[str], settings: Settings, monday: date, is_workday: IsWorkday, by_email: bool) -> list[str]:
    """The plan for a week with ``counts`` emails by kind (``compose.KINDS`` keys), sent from ``monday``;
    ``by_email``: the staff summary is emailed (Konfigurasi ``ringkasan_pegawai``)."""
    emails = sum(counts.values())
    digests = sum(counts[k] for k in DIGESTS)
    cap = limits.capacity(emails, settings, monday, is_workday)
    accounts = len(settings.mail_accounts)
    per_account = f" untuk setiap akun, {accounts} akun" if accounts > 1 else ""
    days = cap.days_without_limit
    found = [
        f"{n(emails)} email per minggu; batas {n(settings.mail_daily_limit)} per hari{per_account}: "
        f"selesai dalam {n(days)} hari.",
        f"Lebih dulu {n(digests)} ringkasan atasan dan laporan kepala unit, lalu "
        + (
            f"{n(counts['pegawai'])} ringkasan pegawai."
            if by_email
            else "tanpa email ringkasan pegawai (Konfigurasi ringkasan_pegawai = halaman: hanya di Beranda)."
        ),
    ]
    kept = limits.reserve(settings)
    if kept:
        found.append(
            f"Pada hari kerja {n(kept)} email per akun disisihkan untuk pengingat sebelum batas e-Kinerja "
            f"(KINERJA_MAIL_REMINDER_SHARE {settings.mail_reminder_share}%); pengingat yang belum terkirim pukul "
            f"{limits.REMINDER_DEADLINE:%H.%M}, atau pada batas e-Kinerja bila lebih awal, dibatalkan."
        )
    if settings.mail_minute_limit:
        found.append(
            f"Paling banyak {n(settings.mail_minute_limit)} email per menit per akun: "
            f"sehari pengiriman sekitar {n(limits.minutes_per_day(settings))} menit."
        )
    daily = ", ".join(f"{DAYS[(monday + timedelta(days=k)).weekday()]} {n(v)}" for k, v in enumerate(cap.days))
    found.append(f"Kapasitas mulai {format_date(monday)}: {daily} ({n(cap.in_week)} dalam {limits.WEEK_DAYS} hari).")
    if digests > cap.days[0]:
        found.append(
            f"Perhatian: {n(digests)} ringkasan atasan dan laporan kepala unit tidak semuanya terkirim pada hari "
            f"pertama (kapasitas {n(cap.days[0])})."
        )
    if cap.needed is None:
        found.append(
            f"Lebih dari {limits.WEEK_DAYS} hari: {n(cap.given_up)} email tidak terkirim dan dibatalkan setiap minggu."
        )
    if days > 1:
        found += ["Yang dapat diubah:", *_changes(counts, settings, monday, is_workday, by_email)]
    return found


def capacity_only(settings: Settings, monday: date, is_workday: IsWorkday) -> list[str]:
    """The plan when the week's emails cannot be counted here: the capacity, and how to count them."""
    cap = limits.capacity(0, settings, monday, is_workday)
    accounts = len(settings.mail_accounts)
    per_account = f" untuk setiap akun, {accounts} akun" if accounts > 1 else ""
    return [
        f"Jumlah email per minggu tidak terbaca dari penyimpanan di komputer ini; batas "
        f"{n(settings.mail_daily_limit)} per hari{per_account}: paling banyak {n(cap.in_week)} email dalam "
        f"{limits.WEEK_DAYS} hari, sisanya dibatalkan.",
        "Hitung dengan: python -m functions send --rencana (dengan pengaturan penyimpanan produksi).",
    ]


def _changes(
    counts: Counter[str], settings: Settings, monday: date, is_workday: IsWorkday, by_email: bool
) -> list[str]:
    emails = sum(counts.values())
    accounts = len(settings.mail_accounts)
    found = []
    if accounts < MAX_ACCOUNTS:
        more = _with_accounts(settings, accounts + 1)
        found.append(
            f"- tambah akun pengirim (KINERJA_SMTP_USER_{accounts + 1} dan KINERJA_SMTP_PASSWORD_{accounts + 1}): "
            f"dengan {accounts + 1} akun selesai dalam {n(_days(emails, more, monday, is_workday))} hari"
        )
    if settings.mail_daily_limit < RELAY_LIMIT:
        relay = replace(settings, mail_daily_limit=RELAY_LIMIT)
        found.append(
            f"- naikkan KINERJA_MAIL_DAILY_LIMIT bila penyedia mengizinkan (relay SMTP Google Workspace: "
            f"{n(RELAY_LIMIT)} per hari per pengguna): selesai dalam {n(_days(emails, relay, monday, is_workday))} hari"
        )
    if by_email and counts["pegawai"]:
        digests = emails - counts["pegawai"]
        found.append(
            f"- ringkasan pegawai hanya di halaman Beranda (Konfigurasi ringkasan_pegawai = halaman): "
            f"{n(digests)} email per minggu, selesai dalam {n(_days(digests, settings, monday, is_workday))} hari"
        )
    if settings.mail_reminder_share:
        found.append(
            f"- kecilkan KINERJA_MAIL_REMINDER_SHARE ({settings.mail_reminder_share}%) bila pengingat sehari lebih "
            "sedikit dari bagian yang disisihkan"
        )
    return found


def from_store(runtime: Runtime, now: datetime) -> list[str]:
    """The plan for the week being sent now, with how far it and the week before have gone."""
    store, settings = runtime.store, runtime.settings
    week = periods.last_complete_week(now.date())
    planned = compose.plan_weekly(store, settings, week.label, now)
    counts = Counter(p.kind for p in planned)
    calendar = Calendar.from_store(store, settings.tz)
    found = lines(counts, settings, limits.first_day(week), calendar.is_workday, compose.staff_by_email(store))
    if planned.skipped:
        found.append(f"{n(planned.skipped)} penerima tanpa alamat email yang sah dilewati (lembar Pegawai).")
    sent, waiting = jobs.progress(runtime, week, now)
    last_day = limits.first_day(week) + timedelta(days=limits.WEEK_DAYS - 1)
    found.append(
        f"{periods.text(week)}: {n(sent)} terkirim, {n(sum(waiting.values()))} "
        f"menunggu (dikirim paling lambat {format_date(last_day)})."
    )
    before = week.previous()
    sent, left = jobs.progress(runtime, before, now)
    if sent:
        done = f"{jobs.kinds_text(left)} dibatalkan setelah {limits.WEEK_DAYS} hari" if left else "semua terkirim"
        found.append(f"{periods.text(before)}: {n(sent)} terkirim; {done}.")
    return found

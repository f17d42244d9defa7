"""Settings: one frozen object built from ``KINERJA_*`` environment variables.

This is the only module that reads ``os.environ``. Each field's metadata is also the
documentation: ``markdown_table()`` renders the README's configuration table, and a test
fails when the two drift apart.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from functions.errors import ConfigurationError

STORES = ("sqlite", "gsheets")
MAIL_TRANSPORTS = ("outbox", "smtp")
ENVIRONMENTS = ("local", "production")
LOG_FORMATS = ("text", "json")
HIDDEN = "(tersembunyi)"
LOCAL_BASE_URL = "http://127.0.0.1:{port}"  # KINERJA_BASE_URL when unset: the local server itself


def _setting(env: str, default: Any, doc: str, secret: bool = False, shown: str | None = None) -> Any:
    """A field read from ``env``; ``shown`` is the default as the README states it, when it is derived."""
    return field(
        default=default,
        repr=not secret,
        metadata={"env": env, "doc": doc, "secret": secret, "shown": shown},
    )


@dataclass(frozen=True)
class Settings:
    environment: str = _setting(
        "KINERJA_ENV", "local", "`local` (one process, embedded store) or `production` (Cloud Functions)."
    )
    data_dir: Path = _setting(
        "KINERJA_DATA_DIR", Path("var"), "Folder for local data: the SQLite store, the mail outbox, exports."
    )
    store: str = _setting("KINERJA_STORE", "sqlite", "Store backend: `sqlite` (embedded default) or `gsheets`.")
    mail_transport: str = _setting(
        "KINERJA_MAIL_TRANSPORT", "outbox", "Mail transport: `outbox` (`.eml` files in the data folder) or `smtp`."
    )
    secret_key: str = _setting(
        "KINERJA_SECRET_KEY",
        "",
        "Key that signs personal links (at least 32 characters). Required in production; locally a random key is "
        "made once and kept in `<data folder>/secret_key`.",
        secret=True,
    )
    timezone: str = _setting("KINERJA_TIMEZONE", "Asia/Jakarta", "Time zone of the city (IANA name).")
    port: int = _setting("PORT", 8080, "Port of the local server (`make run`); Cloud Functions sets it too.")
    base_url: str = _setting(
        "KINERJA_BASE_URL",
        "",
        "Public address that personal links, QR posters and emails point to. Unset: this computer on `PORT`, so "
        "`PORT=9000 make run` links to port 9000; set it to the public address before printing posters.",
        shown=LOCAL_BASE_URL.format(port="<PORT>"),
    )
    max_body_bytes: int = _setting(
        "KINERJA_MAX_BODY_BYTES", 65536, "Largest request body a form accepts, in bytes (larger: 413)."
    )
    rate_limit: int = _setting(
        "KINERJA_RATE_LIMIT",
        10,
        "Public form submissions per minute per client address, counted per form kind (survey, complaint, status "
        "look-up, link request): a survey does not use up the complaint form's limit (429).",
    )
    kiosk_rate_limit: int = _setting(
        "KINERJA_KIOSK_RATE_LIMIT",
        20,
        "Survey submissions per minute per kiosk link (a tablet at a service counter), counted per kiosk instead of "
        "per address (429).",
    )
    mail_from: str = _setting(
        "KINERJA_MAIL_FROM",
        "Pantau Kinerja <noreply@localhost>",
        "Sender of the weekly emails (`Nama <alamat>`).",
    )
    smtp_host: str = _setting("KINERJA_SMTP_HOST", "", "SMTP server (with `KINERJA_MAIL_TRANSPORT=smtp`).")
    smtp_port: int = _setting("KINERJA_SMTP_PORT", 587, "SMTP port: 587 for STARTTLS, 465 for SSL.")
    smtp_security: str = _setting("KINERJA_SMTP_SECURITY", "starttls", "`starttls`, `ssl` or `none` (tests only).")
    smtp_user: str = _setting("KINERJA_SMTP_USER", "", "SMTP login name (empty: no login).")
    smtp_password: str = _setting(
        "KINERJA_SMTP_PASSWORD", "", "SMTP password (from Secret Manager in production).", secret=True
    )
    mail_daily_limit: int = _setting(
        "KINERJA_MAIL_DAILY_LIMIT",
        2000,
        "Most emails each sending account sends per day (the provider's limit: Google Workspace 2,000 a user, its "
        "SMTP relay 10,000); the rest go the next day. `python -m functions send --rencana` shows what it means.",
    )
    mail_minute_limit: int = _setting(
        "KINERJA_MAIL_MINUTE_LIMIT", 0, "Most emails each sending account sends per minute (`0`: no limit)."
    )
    mail_reminder_share: int = _setting(
        "KINERJA_MAIL_REMINDER_SHARE",
        20,
        "Percent of each account's daily limit kept for the daily reminders on working days until 18:00; the weekly "
        "emails never use it, so reminders never delay them.",
    )
    smtp_user_2: str = _setting(
        "KINERJA_SMTP_USER_2", "", "Login of a second sending account on the same SMTP server (empty: none)."
    )
    smtp_password_2: str = _setting(
        "KINERJA_SMTP_PASSWORD_2", "", "Password of the second sending account (Secret Manager).", secret=True
    )
    smtp_user_3: str = _setting("KINERJA_SMTP_USER_3", "", "Login of a third sending account (empty: none).")
    smtp_password_3: str = _setting(
        "KINERJA_SMTP_PASSWORD_3", "", "Password of the third sending account (Secret Manager).", secret=True
    )
    gcp_project: str = _setting("KINERJA_GCP_PROJECT", "", "Google Cloud project of `make deploy`.")
    gcp_region: str = _setting(
        "KINERJA_GCP_REGION", "asia-southeast2", "Region of the functions and Cloud Scheduler jobs (Jakarta)."
    )
    service_account: str = _setting(
        "KINERJA_SERVICE_ACCOUNT", "", "Runtime service account of the functions; share the spreadsheets with it."
    )
    scheduler_service_account: str = _setting(
        "KINERJA_SCHEDULER_SERVICE_ACCOUNT",
        "",
        "Service account whose OIDC token Cloud Scheduler sends; in production scheduled functions accept no other.",
    )
    function_url_base: str = _setting(
        "KINERJA_FUNCTION_URL_BASE",
        "",
        "Address of the deployed functions (`https://<region>-<project>.cloudfunctions.net`); the OIDC audience of a "
        "scheduled function is this plus `/<function>`.",
    )
    sheets_admin_id: str = _setting(
        "KINERJA_SHEETS_ADMIN_ID", "", "Id of the admin spreadsheet (master data, the registry of the others)."
    )
    google_credentials: str = _setting(
        "KINERJA_GOOGLE_CREDENTIALS",
        "",
        "Path of a service-account JSON file (local runs); empty: Application Default Credentials.",
    )
    sheets_api_url: str = _setting(
        "KINERJA_SHEETS_API_URL", "", "Base URL of a Sheets API test server (`make run-gsheets`); never in production."
    )
    sheets_folder_id: str = _setting(
        "KINERJA_SHEETS_FOLDER_ID", "", "Shared-drive folder where new spreadsheets are created (production)."
    )
    sheets_deadline_seconds: int = _setting(
        "KINERJA_SHEETS_DEADLINE_SECONDS", 30, "Total time a Sheets request may take with its retries."
    )
    spool: str = _setting(
        "KINERJA_SPOOL",
        "sqlite",
        "Where submissions wait for the flush with `KINERJA_STORE=gsheets`: `sqlite` (a file in the data folder; "
        "one machine) or `firestore` (Cloud Functions).",
    )
    firestore_project: str = _setting(
        "KINERJA_FIRESTORE_PROJECT", "", "Project of the spool's Firestore database (default: `KINERJA_GCP_PROJECT`)."
    )
    firestore_database: str = _setting("KINERJA_FIRESTORE_DATABASE", "(default)", "Firestore database of the spool.")
    spool_flush_batch: int = _setting("KINERJA_SPOOL_FLUSH_BATCH", 500, "Submissions per append of the flush (1-500).")
    spool_flush_min: int = _setting(
        "KINERJA_SPOOL_FLUSH_MIN", 300, "The scheduled flush writes a sheet once this many submissions wait..."
    )
    spool_flush_wait: int = _setting(
        "KINERJA_SPOOL_FLUSH_WAIT", 300, "...or once the oldest has waited this many seconds."
    )
    spool_flush_deadline: int = _setting(
        "KINERJA_SPOOL_FLUSH_DEADLINE", 50, "Seconds one scheduled flush may run (it runs every minute)."
    )
    contact_retention_days: int = _setting(
        "KINERJA_CONTACT_RETENTION_DAYS",
        365,
        "Days a complaint reporter's contact is kept; `python -m functions purge` deletes older ones (UU 27/2022).",
    )
    log_format: str = _setting("KINERJA_LOG_FORMAT", "text", "`text` for a terminal, `json` for Cloud Logging.")
    photo_bucket: str = _setting(
        "KINERJA_PHOTO_BUCKET",
        "",
        "Private Cloud Storage bucket of the report photos (production; `make deploy` creates it). Empty: photos are "
        "files under `<data folder>/bukti/`.",
    )
    storage_api_url: str = _setting(
        "KINERJA_STORAGE_API_URL", "", "Base URL of a Cloud Storage JSON API test server; never in production."
    )
    photo_max_bytes: int = _setting(
        "KINERJA_PHOTO_MAX_BYTES",
        5 * 1024 * 1024,
        "Largest photo a report accepts, in bytes (larger: 400).",
        shown="5242880",
    )
    upload_max_bytes: int = _setting(
        "KINERJA_UPLOAD_MAX_BYTES",
        32 * 1024 * 1024,
        "Largest report with photos (multipart body), in bytes; Cloud Functions takes at most 32 MiB (larger: 413).",
    )

    def __post_init__(self) -> None:
        # Derived here, not in from_env, so that every Settings(port=...) links to its own port.
        base_url = (self.base_url or LOCAL_BASE_URL.format(port=self.port)).rstrip("/")
        object.__setattr__(self, "base_url", base_url)
        problems = []
        if self.environment not in ENVIRONMENTS:
            problems.append(f"KINERJA_ENV harus salah satu dari {', '.join(ENVIRONMENTS)}")
        if self.store not in STORES:
            problems.append(f"KINERJA_STORE harus salah satu dari {', '.join(STORES)}")
        if self.mail_transport not in MAIL_TRANSPORTS:
            problems.append(f"KINERJA_MAIL_TRANSPORT harus salah satu dari {', '.join(MAIL_TRANSPORTS)}")
        if self.log_format not in LOG_FORMATS:
            problems.append(f"KINERJA_LOG_FORMAT harus salah satu dari {', '.join(LOG_FORMATS)}")
        if self.secret_key and len(self.secret_key) < 32:
            problems.append("KINERJA_SECRET_KEY harus sedikitnya 32 karakter")
        if self.environment == "production" and not self.secret_key:
            problems.append("KINERJA_SECRET_KEY wajib diisi bila KINERJA_ENV=production")
        if not 1 <= self.rate_limit <= 100_000:
            problems.append("KINERJA_RATE_LIMIT harus antara 1 dan 100000")
        if not 1 <= self.kiosk_rate_limit <= 100_000:
            problems.append("KINERJA_KIOSK_RATE_LIMIT harus antara 1 dan 100000")
        if not 1 <= self.contact_retention_days <= 3650:
            problems.append("KINERJA_CONTACT_RETENTION_DAYS harus antara 1 dan 3650")
        if self.smtp_security not in ("starttls", "ssl", "none"):
            problems.append("KINERJA_SMTP_SECURITY harus salah satu dari starttls, ssl, none")
        if self.mail_transport == "smtp" and not self.smtp_host:
            problems.append("KINERJA_SMTP_HOST wajib diisi bila KINERJA_MAIL_TRANSPORT=smtp")
        if not 1 <= self.smtp_port <= 65535:
            problems.append("KINERJA_SMTP_PORT harus antara 1 dan 65535")
        if not 1 <= self.mail_daily_limit <= 10_000_000:
            problems.append("KINERJA_MAIL_DAILY_LIMIT harus antara 1 dan 10000000")
        if not 0 <= self.mail_minute_limit <= 100_000:
            problems.append("KINERJA_MAIL_MINUTE_LIMIT harus antara 0 dan 100000")
        if not 0 <= self.mail_reminder_share <= 90:
            problems.append("KINERJA_MAIL_REMINDER_SHARE harus antara 0 dan 90 (persen)")
        for n, user, password in (
            (2, self.smtp_user_2, self.smtp_password_2),
            (3, self.smtp_user_3, self.smtp_password_3),
        ):
            if bool(user) != bool(password):
                problems.append(
                    f"KINERJA_SMTP_USER_{n} dan KINERJA_SMTP_PASSWORD_{n} harus diisi keduanya atau tidak sama sekali"
                )
        if self.smtp_user_3 and not self.smtp_user_2:
            problems.append("KINERJA_SMTP_USER_3 diisi tetapi KINERJA_SMTP_USER_2 kosong; isi akun kedua lebih dulu")
        if "@" not in self.mail_from:
            problems.append("KINERJA_MAIL_FROM harus memuat alamat email (Nama <alamat>)")
        if self.function_url_base and not self.function_url_base.startswith("https://"):
            problems.append("KINERJA_FUNCTION_URL_BASE harus diawali https://")
        for name, value in (
            ("KINERJA_SERVICE_ACCOUNT", self.service_account),
            ("KINERJA_SCHEDULER_SERVICE_ACCOUNT", self.scheduler_service_account),
        ):
            if value and not value.endswith(".gserviceaccount.com"):
                problems.append(f"{name} harus alamat email akun layanan (...gserviceaccount.com)")
        if self.environment == "production" and self.sheets_api_url:
            problems.append("KINERJA_SHEETS_API_URL hanya untuk server uji; kosongkan di production")
        if not 1 <= self.sheets_deadline_seconds <= 600:
            problems.append("KINERJA_SHEETS_DEADLINE_SECONDS harus antara 1 dan 600")
        if self.spool not in ("sqlite", "firestore"):
            problems.append("KINERJA_SPOOL harus salah satu dari sqlite, firestore")
        if self.environment == "production" and self.store == "gsheets" and self.spool != "firestore":
            problems.append(
                "KINERJA_SPOOL=firestore wajib di production (disk Cloud Functions tidak menyimpan data secara tetap)"
            )
        if not 1 <= self.spool_flush_batch <= 500:
            problems.append("KINERJA_SPOOL_FLUSH_BATCH harus antara 1 dan 500")
        if not 1 <= self.spool_flush_min <= self.spool_flush_batch:
            problems.append("KINERJA_SPOOL_FLUSH_MIN harus antara 1 dan KINERJA_SPOOL_FLUSH_BATCH")
        if not 0 <= self.spool_flush_wait <= 3600:
            problems.append("KINERJA_SPOOL_FLUSH_WAIT harus antara 0 dan 3600")
        if not 5 <= self.spool_flush_deadline <= 500:
            problems.append("KINERJA_SPOOL_FLUSH_DEADLINE harus antara 5 dan 500")
        if not 1 <= self.port <= 65535:
            problems.append("PORT harus antara 1 dan 65535")
        if not 1024 <= self.max_body_bytes <= 10 * 1024 * 1024:
            problems.append("KINERJA_MAX_BODY_BYTES harus antara 1024 dan 10485760")
        if not 1024 <= self.photo_max_bytes <= self.upload_max_bytes <= 32 * 1024 * 1024:
            problems.append(
                "KINERJA_PHOTO_MAX_BYTES harus antara 1024 dan KINERJA_UPLOAD_MAX_BYTES (paling besar 33554432)"
            )
        if self.environment == "production" and self.storage_api_url:
            problems.append("KINERJA_STORAGE_API_URL hanya untuk server uji; kosongkan di production")
        if not self.base_url.startswith(("http://", "https://")):
            problems.append("KINERJA_BASE_URL harus diawali http:// atau https://")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"KINERJA_TIMEZONE {self.timezone!r} bukan zona waktu yang dikenal (mis. Asia/Jakarta)")
        if problems:
            raise ConfigurationError("Pengaturan tidak sah: " + "; ".join(problems) + ".")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "kinerja.sqlite3"

    @property
    def spool_path(self) -> Path:
        return self.data_dir / "spool.sqlite3"

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "bukti"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def mail_accounts(self) -> list[tuple[int, str, str]]:
        """The sending accounts (number, login, password), the first always: KINERJA_SMTP_USER (maybe no login),
        then each further KINERJA_SMTP_USER_<n> that is set. Each is held to the daily and minute limits."""
        given = ((2, self.smtp_user_2, self.smtp_password_2), (3, self.smtp_user_3, self.smtp_password_3))
        return [(1, self.smtp_user, self.smtp_password), *((n, u, p) for n, u, p in given if u)]

    def as_environment(self) -> dict[str, str]:
        """Each setting under the variable that sets it, as an operator would write it; a secret that is set
        reads ``(tersembunyi)``."""
        shown = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.metadata["secret"] and value:
                value = HIDDEN
            shown[f.metadata["env"]] = str(value)
        return shown

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build and validate settings from the environment (or a given mapping)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw is None or raw == "":
                continue
            if f.type in ("int", int):
                try:
                    values[f.name] = int(raw)
                except ValueError as err:
                    raise ConfigurationError(f"{f.metadata['env']} harus bilangan bulat, bukan {raw!r}.") from err
            elif f.type in ("Path", Path):
                values[f.name] = Path(raw)
            else:
                values[f.name] = raw.strip()
        settings = cls(**values)
        if not settings.secret_key:
            settings = _with_local_secret(settings)
        return settings


def _with_local_secret(settings: Settings) -> Settings:
    """Locally, make a signing key once and keep it in the data folder (never committed)."""
    from dataclasses import replace

    path = settings.data_dir / "secret_key"
    if path.exists():
        key = path.read_text().strip()
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
    return replace(settings, secret_key=key)


def markdown_table() -> str:
    """The README's configuration table, generated from the field metadata."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for f in fields(Settings):
        default = "" if f.metadata["secret"] else f"`{f.metadata['shown'] or f.default}`"
        lines.append(f"| `{f.metadata['env']}` | {default} | {f.metadata['doc']} |")
    return "\n".join(lines)

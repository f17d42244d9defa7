"""The store that the settings name: SQLite (the embedded default), or Google Sheets behind the intake spool."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.errors import ConfigurationError
from functions.store.protocol import Store

if TYPE_CHECKING:
    from functions.settings import Settings


def open_store(settings: Settings) -> Store:
    """The store the settings name."""
    if settings.store == "sqlite":
        from functions.store.sqlite import SQLiteStore

        return SQLiteStore(settings.sqlite_path)
    from functions.store.gsheets import GSheetsStore
    from functions.store.spooled_store import SpooledStore, open_spool

    if not settings.sheets_admin_id:
        raise ConfigurationError("KINERJA_SHEETS_ADMIN_ID is required when KINERJA_STORE=gsheets.")
    sheets = GSheetsStore(
        settings.sheets_admin_id,
        credentials_file=settings.google_credentials or None,
        api_url=settings.sheets_api_url or None,
        folder_id=settings.sheets_folder_id or None,
        deadline=settings.sheets_deadline_seconds,
        timezone=settings.timezone,
    )
    spool = open_spool(
        settings.spool,
        path=settings.spool_path,
        project=settings.firestore_project or settings.gcp_project,
        database=settings.firestore_database,
    )
    return SpooledStore(sheets, spool)

"""The store: where sheets live. A small interface with two backends.

``SQLiteStore`` (``sqlite``, the embedded default) and, in production, ``GSheetsStore`` (``gsheets``) behind the
intake spool (``spool``, ``spool_firestore``, ``spooled_store``, ``flush``). Both take and give rows as dicts keyed
by the schema's column keys. The protocol is in ``protocol``; ``factory.open_store`` builds the backend the settings
name, and it is passed in: no module keeps a global store. This package only hands those names on.
"""

from functions.store.factory import open_store
from functions.store.protocol import JOB_DEADLINE, AppendResult, Row, Store, UpsertResult, scheduled_job

__all__ = ["JOB_DEADLINE", "AppendResult", "Row", "Store", "UpsertResult", "open_store", "scheduled_job"]

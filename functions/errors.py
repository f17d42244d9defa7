"""The errors of Pantau Kinerja and the one place that maps them to HTTP statuses.

Every message meant for a person is in Bahasa Indonesia and says what to fix.
"""

from __future__ import annotations


class KinerjaError(Exception):
    """Base class. ``status`` is the HTTP status an entry point answers with."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(KinerjaError):
    """The request itself is malformed (encoding, missing parts)."""

    status = 400


class ValidationError(KinerjaError):
    """One or more fields are invalid. ``fields`` maps a field name to its message."""

    status = 400

    def __init__(self, fields: dict[str, str], message: str | None = None) -> None:
        self.fields = dict(fields)
        summary = message or "Periksa kembali isian berikut: " + "; ".join(
            f"{name}: {text}" for name, text in self.fields.items()
        )
        super().__init__(summary)


class InvalidLink(KinerjaError):
    """A personal link that is unknown, tampered with, revoked or inactive."""

    status = 403


class Forbidden(KinerjaError):
    status = 403


class NotFound(KinerjaError):
    status = 404


class MethodNotAllowed(KinerjaError):
    """``allowed``: the methods the page does answer, for the ``Allow`` header."""

    status = 405

    def __init__(self, message: str, allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.allowed = allowed


class Conflict(KinerjaError):
    """The same submission id was sent before with different content."""

    status = 409


class PayloadTooLarge(KinerjaError):
    status = 413


class UnsupportedMediaType(KinerjaError):
    status = 415


class UnreadableForm(KinerjaError):
    """A form that cannot be used as sent: bad bytes (invalid UTF-8, a NUL) in one field (400), or a body over the
    size limit (413), of which nothing is read. ``field`` names the field that carried the bad bytes (None for an
    over-size body); ``typed`` holds what could be read, to show the form again with it, never to be stored."""

    def __init__(
        self, message: str, *, status: int = 400, field: str | None = None, typed: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.field = field
        self.typed = dict(typed or {})

    @property
    def fields(self) -> dict[str, str]:
        """The message by field name, as ValidationError.fields (``kiriman`` when no field could be read)."""
        return {self.field or "kiriman": self.message}


class ConfigurationError(KinerjaError):
    """Settings or the schema are wrong; raised at start, never to a citizen."""

    status = 500


class StoreUnavailable(KinerjaError):
    """The store could not be reached in time (Google's 408, 429, 5xx or a lost connection, retried until a
    deadline). Nothing was lost: the caller keeps the data and tries again later. ``code`` and ``google_message``
    are the last answer of the API (``code`` is None after a connection error)."""

    status = 503

    def __init__(self, message: str, *, code: int | None = None, google_message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.google_message = google_message


def http_status(error: BaseException) -> int:
    """The HTTP status for an error; anything unexpected is a 500."""
    if isinstance(error, KinerjaError):
        return error.status
    return 500

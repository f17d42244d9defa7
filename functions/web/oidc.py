"""Only Cloud Scheduler may run the scheduled functions: the Google-signed OIDC token of each call.

Cloud Scheduler calls ``compute_scores``, ``send_weekly_reports`` and ``send_reminders`` with an
``Authorization: Bearer <ID token>`` header, signed by Google for the scheduler's service account, whose
audience is the function's URL. The deploy keeps these functions private (Cloud Run checks
``roles/run.invoker`` first); this module is the second lock, inside the function: the token must be
valid, unexpired, issued by Google, for this very function, and from an allowed service account
(project owners and editors also hold ``run.invoker``; they do not pass this check). The local server checks the
same (``require_scheduler``): there the scheduler runs the jobs in-process, so an HTTP call is refused.

Only ``verify`` touches google-auth, and it imports it when called, so form functions never load it.
The certificates and the HTTP transport are parameters, so tests sign tokens with a local key.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from flask import Request

from functions.errors import Forbidden

if TYPE_CHECKING:
    from google.auth.transport import Request as Transport

    from functions.runtime import Runtime

log = logging.getLogger(__name__)

# Google's signing certificates of ID tokens (a JSON map: key id -> PEM x509 certificate).
GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
CLOCK_SKEW_SECONDS = 10
MAX_TOKEN_CHARS = 8192

MISSING = (
    "Permintaan ditolak: token OIDC tidak ada. Fungsi terjadwal ini hanya menerima panggilan Cloud Scheduler "
    "dengan header Authorization: Bearer <token>."
)
INVALID = "Permintaan ditolak: token OIDC tidak sah, kedaluwarsa, atau bukan untuk fungsi ini."
NOT_ALLOWED = "Permintaan ditolak: akun layanan pemanggil tidak diizinkan menjalankan fungsi terjadwal ini."
LOCAL = (
    "Permintaan ditolak: di komputer lokal fungsi terjadwal tidak dijalankan lewat HTTP, karena penjadwal "
    "`make run` sudah menjalankannya sendiri. Untuk menjalankannya sekarang, ketik: python -m functions {command}"
)
# The operator's command that runs each scheduled function's job (functions/tools/cli.py).
COMMANDS = {
    "compute_scores": "score",
    "send_weekly_reports": "send",
    "send_reminders": "remind",
    "flush_spool": "flush",
    "refresh_read_model": "refresh",
}


def audience(base_url: str, function: str) -> str:
    """The OIDC audience of a function: its URL ``<base>/<function>``. The deploy gives Cloud Scheduler the same."""
    return f"{base_url.rstrip('/')}/{function}"


def bearer_token(request: Request) -> str:
    """The token of the ``Authorization: Bearer`` header; Forbidden when there is none."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        log.info("scheduled call refused: no bearer token")
        raise Forbidden(MISSING)
    if len(token) > MAX_TOKEN_CHARS:
        log.info("scheduled call refused: token too long")
        raise Forbidden(INVALID)
    return token


def _default_transport() -> Transport:
    from google.auth.transport.requests import Request as RequestsTransport

    return RequestsTransport()


def verify(
    request: Request,
    audience: str,
    allowed_emails: Collection[str],
    certs_url: str | None = None,
    request_factory: Callable[[], Transport] | None = None,
) -> str:
    """The email of the caller of a valid Google-signed ID token for ``audience``; otherwise Forbidden.

    Refused: no bearer token, a malformed or badly signed token, an unknown key id, a token for another
    audience, expired (beyond ``CLOCK_SKEW_SECONDS``), not issued by Google, without an email, or from an
    email not in ``allowed_emails``. An empty audience or allow-list refuses everything (fail closed).
    """
    token = bearer_token(request)
    allowed = {email.strip().lower() for email in allowed_emails if email.strip()}
    if not audience or not allowed:
        log.error(
            "scheduled call refused: no audience or no allowed service account configured "
            "(set KINERJA_SCHEDULER_SERVICE_ACCOUNT and KINERJA_FUNCTION_URL_BASE; make deploy sets both)"
        )
        raise Forbidden(NOT_ALLOWED)
    claims = _verified_claims(token, audience, certs_url or GOOGLE_CERTS_URL, request_factory or _default_transport)
    if claims.get("iss") not in GOOGLE_ISSUERS:
        log.info("scheduled call refused: token not issued by Google")
        raise Forbidden(INVALID)
    email = claims.get("email")
    if not isinstance(email, str) or not email or claims.get("email_verified", True) is not True:
        log.info("scheduled call refused: token carries no verified email")
        raise Forbidden(NOT_ALLOWED)
    if email.lower() not in allowed:
        log.info("scheduled call refused: caller is not an allowed service account")
        raise Forbidden(NOT_ALLOWED)
    return email


def _verified_claims(
    token: str, audience: str, certs_url: str, request_factory: Callable[[], Transport]
) -> dict[str, Any]:
    from google.auth import exceptions
    from google.oauth2 import id_token

    try:
        claims = id_token.verify_token(
            token, request_factory(), audience=audience, certs_url=certs_url, clock_skew_in_seconds=CLOCK_SKEW_SECONDS
        )
    except exceptions.TransportError as err:
        log.warning("scheduled call refused: Google's signing certificates could not be fetched")
        raise Forbidden(INVALID) from err
    except Exception as err:  # any failure to verify is a refusal, never a 500
        # The class name only: messages of google-auth may quote the token's claims.
        log.info("scheduled call refused: invalid ID token (%s)", type(err).__name__)
        raise Forbidden(INVALID) from err
    if not isinstance(claims, dict):
        raise Forbidden(INVALID)
    return claims


def require_scheduler(
    request: Request,
    runtime: Runtime,
    function: str,
    certs_url: str | None = None,
    request_factory: Callable[[], Transport] | None = None,
) -> str:
    """The caller must be the scheduler's service account with a token for ``function``: the caller's email, or
    Forbidden (403).

    Locally too: ``make run`` runs the jobs in-process, not over HTTP, so a local HTTP call has no legitimate
    caller (without a scheduler account configured every call is refused) and is told the command that runs the
    job. With ``KINERJA_SCHEDULER_SERVICE_ACCOUNT`` set, a correctly signed token passes as in production.
    """
    settings = runtime.settings
    # Set by the deploy (README, Deploy); empty means refuse every caller.
    base = settings.function_url_base or settings.base_url
    account = settings.scheduler_service_account
    try:
        email = verify(request, audience(base, function), [account] if account else [], certs_url, request_factory)
    except Forbidden as err:
        if settings.environment == "local":
            raise Forbidden(LOCAL.format(command=COMMANDS.get(function, "--help"))) from err
        raise
    log.info("scheduled call of %s accepted", function)
    return email

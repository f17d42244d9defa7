"""Google's error bodies: ``{"error": {"code", "message", "status", "details"}}`` (Drive adds ``errors``).

Message texts are the ones Google sends (from the recorded exchanges and the public docs), so a client that parses
them, or a person who reads a log, sees what production would show.
"""

from __future__ import annotations

import json
from typing import Any

STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    408: "DEADLINE_EXCEEDED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    501: "UNIMPLEMENTED",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

DEFAULT_MESSAGE = {
    408: "Request timed out.",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The request timed out. Please try again.",
}

CELL_LIMIT = "This action would increase the number of cells in the workbook above the limit of {limit} cells."
CHAR_LIMIT = "Your input contains more than the maximum of {limit} characters in a single cell."
NOT_FOUND = "Requested entity was not found."
MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other "
    "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."
)


class ApiError(Exception):
    """An error answer; ``drive`` switches to the Drive v3 body (with an ``errors`` list)."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        drive_reason: str | None = None,
        drive_location: tuple[str, str] | None = None,
        drive: bool = False,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message or DEFAULT_MESSAGE.get(code, "Error")
        self.details = details
        self.drive = drive
        self.drive_reason = drive_reason
        self.drive_location = drive_location
        self.headers = headers or {}
        super().__init__(f"{code}: {self.message}")

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.drive:
            item: dict[str, Any] = {
                "message": self.message,
                "domain": "usageLimits" if self.code == 429 else "global",
                "reason": self.drive_reason or "backendError",
            }
            if self.drive_location:
                item["location"], item["locationType"] = self.drive_location
            error["errors"] = [item]
        if self.code in STATUS and not (self.drive and self.code == 404):
            error["status"] = STATUS[self.code]
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def for_drive(self) -> ApiError:
        """The same failure as the Drive API words it (used for injected faults and quota on Drive calls)."""
        reason = {401: "required", 429: "rateLimitExceeded", 500: "backendError", 503: "backendError"}
        return ApiError(self.code, self.message, drive=True, drive_reason=reason.get(self.code, "backendError"))


def invalid(message: str) -> ApiError:
    return ApiError(400, message)


def not_found() -> ApiError:
    return ApiError(404, NOT_FOUND)


def bad_value(field: str, value: Any, proto: str = "type.googleapis.com/google.protobuf.ListValue") -> ApiError:
    """A JSON value of the wrong type, e.g. ``{"values": "X"}`` where a list of lists belongs."""
    message = f"Invalid value at '{field}' ({proto}), {json.dumps(value, ensure_ascii=False)}"
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": message}],
        }
    ]
    return ApiError(400, message, details=details)


def unknown_field(name: str, where: str) -> ApiError:
    message = f"Invalid JSON payload received. Unknown name \"{name}\" at '{where}': Cannot find field."
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": where, "description": message}],
        }
    ]
    return ApiError(400, message, details=details)


def unauthenticated(service: str, method: str, drive: bool) -> ApiError:
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "CREDENTIALS_MISSING",
            "domain": "googleapis.com",
            "metadata": {"method": method, "service": service},
        }
    ]
    return ApiError(
        401,
        MISSING_CREDENTIALS,
        details=details,
        drive=drive,
        drive_reason="required",
        drive_location=("Authorization", "header"),
        headers={"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'},
    )


def rate_limited(kind: str, per_user: bool, limit: int, project_number: str) -> ApiError:
    """Google's 429 for the per-minute read or write quota of the Sheets API."""
    metric = "Read requests" if kind == "read" else "Write requests"
    scope = "per minute per user" if per_user else "per minute"
    name = ("Read" if kind == "read" else "Write") + "RequestsPerMinute" + ("PerUser" if per_user else "PerProject")
    message = (
        f"Quota exceeded for quota metric '{metric}' and limit '{metric} {scope}' of service "
        f"'sheets.googleapis.com' for consumer 'project_number:{project_number}'."
    )
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "quota_location": "global",
                "quota_limit": name,
                "quota_limit_value": str(limit),
                "consumer": f"projects/{project_number}",
                "quota_metric": f"sheets.googleapis.com/{kind}_requests",
                "service": "sheets.googleapis.com",
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [
                {
                    "description": "Request a higher quota limit.",
                    "url": "https://cloud.google.com/docs/quotas/help/request_increase",
                }
            ],
        },
    ]
    return ApiError(429, message, details=details)


def injected(code: int, kind: str, project_number: str, limit: int) -> ApiError:
    """A fault asked for through the control interface, worded as Google would word that status."""
    if code == 429:
        return rate_limited("read" if kind == "read" else "write", True, limit, project_number)
    return ApiError(code)

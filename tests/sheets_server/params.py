"""Reading requests and writing answers the way Google's front end does."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, unquote

from flask import Response, g, request

from .control import Control, current
from .errors import ApiError, bad_value


def respond(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON as Google sends it: pretty-printed unless ``prettyPrint=false``, UTF-8, a trailing newline."""
    pretty = request.args.get("prettyPrint", "true").lower() != "false"
    text = json.dumps(body, ensure_ascii=False, indent=2 if pretty else None) + "\n"
    response = Response(text, status=status, content_type="application/json; charset=UTF-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def empty(status: int = 204) -> Response:
    return Response(b"", status=status)


def body() -> dict[str, Any]:
    if not request.get_data():
        return {}
    try:
        parsed = json.loads(request.get_data(as_text=True))
    except ValueError as err:
        raise ApiError(400, f"Invalid JSON payload received. {err}.") from None
    if not isinstance(parsed, dict):
        raise bad_value("", parsed, "type.googleapis.com/google.protobuf.Struct")
    return parsed


def flag(name: str, value: Any = None) -> bool:
    raw = request.args.get(name) if value is None else value
    return str(raw).lower() == "true" if raw is not None else False


def choice(name: str, allowed: tuple[str, ...], default: str, proto: str, value: Any = None) -> str:
    """An enum parameter; the zero value (``*_UNSPECIFIED``) and absence mean ``default``."""
    raw = request.args.get(name) if value is None else value
    if raw is None or raw == "" or str(raw).endswith("_UNSPECIFIED"):
        return default
    if raw not in allowed:
        snake = "".join("_" + ch.lower() if ch.isupper() else ch for ch in name)
        raise bad_value(snake, raw, f"type.googleapis.com/google.apps.sheets.v4.{proto}")
    return str(raw)


def value_input(value: Any) -> bool:
    """True for USER_ENTERED; Google refuses a missing valueInputOption."""
    if value in (None, "", "INPUT_VALUE_OPTION_UNSPECIFIED"):
        raise ApiError(400, "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED")
    if value not in ("RAW", "USER_ENTERED"):
        raise bad_value("value_input_option", value, "type.googleapis.com/google.apps.sheets.v4.ValueInputOption")
    return value == "USER_ENTERED"


def path_range() -> tuple[str, str | None]:
    """The A1 range of ``.../values/{range}[:append|:clear]`` and the action, read from the raw request path.

    The raw path keeps ``%3A`` (a colon inside the range) apart from the literal ``:`` before the action.
    """
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    path = raw.split("?", 1)[0] if raw else quote(request.path, safe="/:")
    segment = path.split("/values/", 1)[1]
    action = None
    if ":" in segment:
        head, tail = segment.rsplit(":", 1)
        if tail in ("append", "clear"):
            segment, action = head, tail
    return unquote(segment), action


def control() -> Control:
    return current()


def user() -> str:
    return str(g.user)

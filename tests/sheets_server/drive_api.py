"""The Drive v3 endpoints gspread uses: files (create, list with ``q``, get, update, delete, copy), permissions,
comments. Every token sees every file: access control is not simulated.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import Blueprint, Response, request

from . import fields
from .errors import ApiError
from .model import SPREADSHEET_MIME, DriveFile, user_email
from .params import body, control, empty, respond, user

blueprint = Blueprint("drive", __name__)

_FILE_DEFAULT = fields.parse("kind,id,name,mimeType")
_PERMISSION_DEFAULT = fields.parse("kind,id,type,role")
_ROLES = ("owner", "organizer", "fileOrganizer", "writer", "commenter", "reader")
_TYPES = ("user", "group", "domain", "anyone")
_STRING = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_TERM = re.compile(
    rf"\s*(?:(?P<field>\w+)\s*(?P<op>!=|=|\bcontains\b|\bin\b)\s*(?P<value>{_STRING}|true|false)"
    rf"|(?P<left>{_STRING})\s+in\s+(?P<right>\w+))\s*(?P<joiner>\band\b|$)",
    re.IGNORECASE,
)


def _invalid(message: str, location: str | None = None) -> ApiError:
    where = (location, "parameter") if location else None
    return ApiError(400, message, drive=True, drive_reason="invalid", drive_location=where)


def _mask(default: fields.Mask) -> fields.Mask:
    text = request.args.get("fields")
    try:
        return fields.parse(text) if text else default
    except fields.MaskError:
        raise _invalid("Invalid field selection " + str(text), "fields") from None


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1]) if text[:1] in "'\"" else text


def _matcher(query: str) -> list[tuple[str, str, str]]:
    """Parse ``field op 'value' and ...`` into (field, op, value) terms; only ``and`` joins them."""
    terms, pos = [], 0
    while pos < len(query):
        m = _TERM.match(query, pos)
        if not m or m.end() == pos:
            raise _invalid("Invalid Value", "q")
        if m.group("field"):
            terms.append((m.group("field"), m.group("op").lower(), _unquote(m.group("value"))))
        else:
            terms.append((m.group("right"), "has", _unquote(m.group("left"))))
        pos = m.end()
    return terms


def _matches(file: DriveFile, terms: list[tuple[str, str, str]]) -> bool:
    for field, op, value in terms:
        if field in ("name", "fullText"):
            actual = file.name
        elif field == "mimeType":
            actual = file.mime_type
        elif field == "trashed":
            actual = "false"
        elif field == "parents" and op in ("has", "in"):
            if value not in file.parents:
                return False
            continue
        else:
            raise _invalid("Invalid Value", "q")
        if (op == "=" and actual != value) or (op == "!=" and actual == value):
            return False
        if op == "contains" and value.lower() not in actual.lower():
            return False
    return True


@blueprint.post("/drive/v3/files")
def create() -> Response:
    payload = body()
    store = control().store
    with store.lock:
        file = store.create_file(
            payload.get("name") or "Untitled",
            payload.get("mimeType") or "application/octet-stream",
            user_email(user()),
            payload.get("parents"),
        )
        return respond(fields.select(file.resource(), _mask(_FILE_DEFAULT)))


@blueprint.get("/drive/v3/files")
def list_files() -> Response:
    store = control().store
    terms = _matcher(request.args.get("q", ""))
    size = max(1, min(int(request.args.get("pageSize", 100)), 1000))
    offset = int(request.args.get("pageToken") or 0)
    mask = _mask(fields.parse("kind,incompleteSearch,files(kind,id,name,mimeType)"))
    with store.lock:
        found = [f for f in store.files.values() if _matches(f, terms)]
        page = found[offset : offset + size]
        out: dict[str, Any] = {"kind": "drive#fileList"}
        if offset + size < len(found):
            out["nextPageToken"] = str(offset + size)
        out["incompleteSearch"] = False
        out["files"] = [f.resource() for f in page]
        return respond(fields.select(out, mask))


@blueprint.get("/drive/v3/files/<file_id>")
def get(file_id: str) -> Response:
    store = control().store
    with store.lock:
        return respond(fields.select(store.file(file_id).resource(), _mask(_FILE_DEFAULT)))


@blueprint.patch("/drive/v3/files/<file_id>")
def update(file_id: str) -> Response:
    payload = body()
    store = control().store
    with store.lock:
        file = store.file(file_id)
        if payload.get("name"):
            file.name = payload["name"]
            if file_id in store.spreadsheets:
                store.spreadsheets[file_id].properties["title"] = file.name
        for parent in filter(None, request.args.get("removeParents", "").split(",")):
            if parent in file.parents:
                file.parents.remove(parent)
        file.parents.extend(filter(None, request.args.get("addParents", "").split(",")))
        store.touch(file_id)
        return respond(fields.select(file.resource(), _mask(_FILE_DEFAULT)))


@blueprint.delete("/drive/v3/files/<file_id>")
def delete(file_id: str) -> Response:
    store = control().store
    with store.lock:
        store.delete(file_id)
    return empty()


@blueprint.post("/drive/v3/files/<file_id>/copy")
def copy_file(file_id: str) -> Response:
    payload = body()
    store = control().store
    with store.lock:
        source = store.file(file_id)
        name = payload.get("name") or f"Copy of {source.name}"
        file = store.create_file(name, source.mime_type, user_email(user()), payload.get("parents"))
        if source.mime_type == SPREADSHEET_MIME:
            clone = store.spreadsheets[file_id].clone()
            clone.id = file.id
            clone.properties["title"] = name
            store.spreadsheets[file.id] = clone
        return respond(fields.select(file.resource(), _mask(_FILE_DEFAULT)))


@blueprint.post("/drive/v3/files/<file_id>/permissions")
def create_permission(file_id: str) -> Response:
    payload = body()
    store = control().store
    kind, role = payload.get("type"), payload.get("role")
    if kind not in _TYPES:
        raise _invalid("The permission type field is required and must be user, group, domain or anyone.")
    if role not in _ROLES:
        raise _invalid(f"The provided value for the role field is invalid: {role!r}.")
    permission: dict[str, Any] = {"kind": "drive#permission", "type": kind, "role": role}
    if kind in ("user", "group"):
        if not payload.get("emailAddress"):
            raise _invalid("The emailAddress field is required for user and group permissions.")
        permission["emailAddress"] = payload["emailAddress"]
        permission["displayName"] = payload["emailAddress"].split("@")[0]
    elif kind == "domain":
        permission["domain"] = payload.get("domain", "")
    with store.lock:
        file = store.file(file_id)
        if kind == "anyone":
            permission["id"] = "anyoneWithLink"
            permission["allowFileDiscovery"] = bool(payload.get("allowFileDiscovery", False))
        else:
            permission["id"] = str(store.rng.randrange(10**19, 10**20))
            permission.update(deleted=False, pendingOwner=False)
        if role == "owner":
            for other in file.permissions:
                if other["role"] == "owner":
                    other["role"] = "writer"
            file.owner = permission.get("emailAddress", file.owner)
        existing = [
            p for p in file.permissions if p["type"] == kind and p.get("emailAddress") == permission.get("emailAddress")
        ]
        for old in existing:
            file.permissions.remove(old)
        file.permissions.append(permission)
        return respond(fields.select(permission, _mask(_PERMISSION_DEFAULT)))


@blueprint.get("/drive/v3/files/<file_id>/permissions")
def list_permissions(file_id: str) -> Response:
    store = control().store
    with store.lock:
        listing = {"kind": "drive#permissionList", "permissions": copy.deepcopy(store.file(file_id).permissions)}
        return respond(fields.select(listing, _mask(fields.parse("kind,permissions(kind,id,type,role)"))))


def _permission(file: DriveFile, permission_id: str) -> dict[str, Any]:
    found = next((p for p in file.permissions if p["id"] == permission_id), None)
    if found is None:
        message = f"Permission not found: {permission_id}."
        raise ApiError(404, message, drive=True, drive_reason="notFound", drive_location=("permissionId", "parameter"))
    return found


@blueprint.patch("/drive/v3/files/<file_id>/permissions/<permission_id>")
def update_permission(file_id: str, permission_id: str) -> Response:
    payload = body()
    store = control().store
    with store.lock:
        permission = _permission(store.file(file_id), permission_id)
        if payload.get("role") in _ROLES:
            permission["role"] = payload["role"]
        return respond(fields.select(permission, _mask(_PERMISSION_DEFAULT)))


@blueprint.delete("/drive/v3/files/<file_id>/permissions/<permission_id>")
def delete_permission(file_id: str, permission_id: str) -> Response:
    store = control().store
    with store.lock:
        file = store.file(file_id)
        file.permissions.remove(_permission(file, permission_id))
    return empty()


@blueprint.get("/drive/v3/files/<file_id>/comments")
def list_comments(file_id: str) -> Response:
    store = control().store
    with store.lock:
        listing = {"kind": "drive#commentList", "comments": copy.deepcopy(store.file(file_id).comments)}
        return respond(fields.select(listing, _mask({})))


@blueprint.post("/drive/v3/files/<file_id>/comments")
def add_comment(file_id: str) -> Response:
    payload = body()
    store = control().store
    with store.lock:
        file = store.file(file_id)
        comment = {"kind": "drive#comment", "id": f"AAAA{store.rng.randrange(10**9):09d}", **payload}
        file.comments.append(comment)
        return respond(fields.select(comment, _mask(fields.parse("kind,id"))))

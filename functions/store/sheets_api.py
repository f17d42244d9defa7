"""The Sheets API v4 and Drive v3 calls the Google Sheets store and ``init`` make: one method, one request.

``http`` is the store's HTTP client (gspread's, with our retry rule; see :mod:`functions.store.gsheets`): its
``request(method, url, params=, json=, safe=, what=)`` retries within a deadline, and ``safe=False`` marks a write
that must not be repeated after an unclear answer. Values go out ``RAW`` and come back ``UNFORMATTED_VALUE``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple
from urllib.parse import quote

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"


class Grid(NamedTuple):
    """A worksheet's id and size."""

    sheet_id: int
    rows: int
    cols: int


def _range(text: str) -> str:
    return quote(text, safe="")


def _value(cell: Any) -> Any:
    """A cell for the values API: an empty cell is "" (JSON null would leave the old value in place)."""
    return "" if cell is None else cell


class SheetsApi:
    def __init__(self, http: Any) -> None:
        self.http = http

    def _json(self, method: str, url: str, what: str, **kwargs: Any) -> dict[str, Any]:
        return dict(self.http.request(method, url, what=what, **kwargs).json())

    def worksheets(self, spreadsheet_id: str) -> dict[str, Grid]:
        """Worksheet title -> its id and size."""
        fields = "sheets.properties(sheetId,title,gridProperties(rowCount,columnCount))"
        body = self._json("get", f"{SHEETS}/{spreadsheet_id}", "spreadsheets.get", params={"fields": fields})
        out = {}
        for item in body.get("sheets", []):
            props = item["properties"]
            grid = props.get("gridProperties", {})
            out[props["title"]] = Grid(int(props.get("sheetId", 0)), int(grid["rowCount"]), int(grid["columnCount"]))
        return out

    def state(self, spreadsheet_id: str, ranges: Sequence[str], fields: str) -> dict[str, Any]:
        """spreadsheets.get of some ranges with a field mask (what ``init`` compares with the wanted look)."""
        params = {"fields": fields, "ranges": list(ranges)}
        return self._json("get", f"{SHEETS}/{spreadsheet_id}", "spreadsheets.get", params=params)

    def values(self, spreadsheet_id: str, range_: str) -> list[list[Any]]:
        params = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "FORMATTED_STRING"}
        url = f"{SHEETS}/{spreadsheet_id}/values/{_range(range_)}"
        return list(self._json("get", url, f"values.get {range_}", params=params).get("values", []))

    def batch_values(self, spreadsheet_id: str, ranges: Sequence[str], columns: bool = False) -> list[list[Any]]:
        """values.batchGet: the values of each range (one list per column when ``columns``)."""
        params = {
            "ranges": list(ranges),
            "majorDimension": "COLUMNS" if columns else "ROWS",
            "valueRenderOption": "UNFORMATTED_VALUE",
            "dateTimeRenderOption": "FORMATTED_STRING",
        }
        url = f"{SHEETS}/{spreadsheet_id}/values:batchGet"
        body = self._json("get", url, "values.batchGet", params=params)
        return [list(r.get("values", [])) for r in body.get("valueRanges", [])]

    def append(self, spreadsheet_id: str, range_: str, rows: Sequence[Sequence[Any]], insert: bool) -> dict[str, Any]:
        """values.append after the table found from ``range_``; INSERT_ROWS, or OVERWRITE when not ``insert``."""
        params = {"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS" if insert else "OVERWRITE"}
        url = f"{SHEETS}/{spreadsheet_id}/values/{_range(range_)}:append"
        body = {"majorDimension": "ROWS", "values": [[_value(c) for c in row] for row in rows]}
        return self._json("post", url, f"values.append {range_}", params=params, json=body, safe=False)

    def update_values(self, spreadsheet_id: str, data: Sequence[tuple[str, Sequence[Sequence[Any]]]]) -> None:
        body = {
            "valueInputOption": "RAW",
            "data": [{"range": r, "values": [[_value(c) for c in row] for row in vals]} for r, vals in data],
        }
        self._json("post", f"{SHEETS}/{spreadsheet_id}/values:batchUpdate", "values.batchUpdate", json=body, safe=True)

    def batch_update(self, spreadsheet_id: str, requests: Sequence[Mapping[str, Any]], safe: bool) -> dict[str, Any]:
        body = {"requests": list(requests)}
        url = f"{SHEETS}/{spreadsheet_id}:batchUpdate"
        return self._json("post", url, "spreadsheets.batchUpdate", json=body, safe=safe)

    def create(self, title: str, folder_id: str | None = None) -> str:
        """A new, empty spreadsheet (in ``folder_id``, e.g. a shared drive, when given)."""
        body: dict[str, Any] = {"name": title, "mimeType": SPREADSHEET_MIME}
        if folder_id:
            body["parents"] = [folder_id]
        params = {"supportsAllDrives": "true"}
        return str(self._json("post", DRIVE_FILES, "files.create", params=params, json=body, safe=False)["id"])

    def find(self, title: str) -> list[str]:
        """Ids of the spreadsheets with exactly this title that the service account can see."""
        escaped = title.replace("\\", "\\\\").replace("'", "\\'")
        params = {
            "q": f"name = '{escaped}' and mimeType = '{SPREADSHEET_MIME}' and trashed = false",
            "fields": "files(id,name)",
            "supportsAllDrives": "true",
            "includeItemsFromAllDrives": "true",
        }
        body = self._json("get", DRIVE_FILES, "files.list", params=params)
        return [f["id"] for f in body.get("files", []) if f.get("name") == title]

    def delete_file(self, file_id: str) -> None:
        params = {"supportsAllDrives": "true"}
        self.http.request("delete", f"{DRIVE_FILES}/{file_id}", params=params, what="files.delete")

    def permissions(self, file_id: str) -> list[dict[str, Any]]:
        fields = "nextPageToken,permissions(id,type,role,emailAddress,permissionDetails)"
        params = {"supportsAllDrives": "true", "fields": fields, "pageSize": "100"}
        out: list[dict[str, Any]] = []
        while True:
            body = self._json("get", f"{DRIVE_FILES}/{file_id}/permissions", "permissions.list", params=params)
            out += body.get("permissions", [])
            if not body.get("nextPageToken"):
                return out
            params["pageToken"] = body["nextPageToken"]

    def share(self, file_id: str, email: str, role: str) -> None:
        """Give a person access, without Drive's notification email (the weekly email links the view)."""
        params = {"sendNotificationEmail": "false", "supportsAllDrives": "true"}
        body = {"type": "user", "role": role, "emailAddress": email}
        self._json("post", f"{DRIVE_FILES}/{file_id}/permissions", "permissions.create", params=params, json=body)

    def unshare(self, file_id: str, permission_id: str) -> None:
        params = {"supportsAllDrives": "true"}
        url = f"{DRIVE_FILES}/{file_id}/permissions/{permission_id}"
        self.http.request("delete", url, params=params, what="permissions.delete")

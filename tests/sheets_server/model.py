"""The in-memory world: Drive files, the spreadsheets behind them, their sheets. One re-entrant lock guards it.

Multi-request operations (spreadsheets.batchUpdate, values.batchUpdate) work on a :meth:`Spreadsheet.clone` and
:meth:`Store.commit` it only when every request succeeded, so a failing batch changes nothing, as on Google.
"""

from __future__ import annotations

import copy
import hashlib
import random
import string
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import a1, defaults
from .errors import ApiError, invalid, not_found
from .grid import Grid
from .limits import Clock, Limits

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_ID_ALPHABET = string.ascii_letters + string.digits + "-_"

Bounds = tuple[int, int, int, int]  # top, bottom, left, right: half-open


def user_email(user: str) -> str:
    """A stable, made-up service-account address for a bearer token."""
    digest = hashlib.sha256(user.encode()).hexdigest()[:10]
    return f"user-{digest}@sheets-test-server.iam.gserviceaccount.com"


class Sheet:
    def __init__(self, properties: dict[str, Any]) -> None:
        self.properties = properties
        self._grid = Grid()
        self._grid_shared = False
        self.cell_ops: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = []  # range, cell data, mask
        self.protected_ranges: list[dict[str, Any]] = []
        self.conditional_formats: list[dict[str, Any]] = []
        self.merges: list[dict[str, Any]] = []
        self.banded_ranges: list[dict[str, Any]] = []
        self.basic_filter: dict[str, Any] | None = None
        self.dimensions: dict[str, dict[int, dict[str, Any]]] = {"ROWS": {}, "COLUMNS": {}}

    @property
    def grid(self) -> Grid:
        """The values; a clone shares them until either side touches them (copy on first access)."""
        if self._grid_shared:
            self._grid = self._grid.copy()
            self._grid_shared = False
        return self._grid

    @property
    def id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid_properties(self) -> dict[str, Any]:
        return self.properties.setdefault("gridProperties", {})

    @property
    def row_count(self) -> int:
        return int(self.grid_properties.get("rowCount", 0))

    @property
    def col_count(self) -> int:
        return int(self.grid_properties.get("columnCount", 0))

    def clone(self) -> Sheet:
        other = copy.copy(self)
        for name in ("properties", "protected_ranges", "conditional_formats", "merges", "banded_ranges"):
            setattr(other, name, copy.deepcopy(getattr(self, name)))
        other.basic_filter = copy.deepcopy(self.basic_filter)
        other.dimensions = {dim: dict(props) for dim, props in self.dimensions.items()}
        other.cell_ops = list(self.cell_ops)
        other._grid_shared = self._grid_shared = True
        return other


class Spreadsheet:
    def __init__(self, spreadsheet_id: str, properties: dict[str, Any]) -> None:
        self.id = spreadsheet_id
        self.properties = properties
        self.sheets: list[Sheet] = []
        self.named_ranges: list[dict[str, Any]] = []

    def clone(self) -> Spreadsheet:
        other = Spreadsheet(self.id, copy.deepcopy(self.properties))
        other.sheets = [sheet.clone() for sheet in self.sheets]
        other.named_ranges = copy.deepcopy(self.named_ranges)
        return other

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index

    def by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def by_id(self, sheet_id: Any, prefix: str = "", noun: str = "grid") -> Sheet:
        found = next((s for s in self.sheets if s.id == int(sheet_id or 0)), None)
        if found is None:
            raise invalid(f"{prefix}No {noun} with id: {int(sheet_id or 0)}")
        return found

    def cell_count(self) -> int:
        return sum(sheet.row_count * sheet.col_count for sheet in self.sheets)

    def resolve(self, text: str) -> tuple[Sheet, a1.A1]:
        """The sheet and parsed range of an A1 text (or a named range), or Google's "Unable to parse range" error."""
        named = next((n for n in self.named_ranges if n["name"] == text), None)
        if named is not None:
            return self._named(named["range"])
        try:
            parsed = a1.parse(text, [s.title for s in self.sheets])
        except a1.A1Error:
            raise invalid(f"Unable to parse range: {text}") from None
        sheet = self.by_title(parsed.sheet) if parsed.sheet is not None else self.sheets[0]
        if sheet is None:
            raise invalid(f"Unable to parse range: {text}")
        return sheet, parsed

    def _named(self, grid_range: dict[str, Any]) -> tuple[Sheet, a1.A1]:
        sheet = self.by_id(grid_range.get("sheetId", 0))
        top, left = grid_range.get("startRowIndex", 0), grid_range.get("startColumnIndex", 0)
        bottom, right = grid_range.get("endRowIndex"), grid_range.get("endColumnIndex")
        text = a1.cells_text(top, bottom or sheet.row_count, left, right or sheet.col_count)
        return sheet, a1.A1(sheet.title, top, bottom, left, right, cells=text)

    @staticmethod
    def bounds(sheet: Sheet, parsed: a1.A1) -> Bounds:
        """Clamp open ends to the grid; a range reaching past the grid is Google's "exceeds grid limits" error."""
        rows, cols = sheet.row_count, sheet.col_count
        bottom = parsed.end_row if parsed.end_row is not None else rows
        right = parsed.end_col if parsed.end_col is not None else cols
        if bottom > rows or right > cols or parsed.start_row >= rows or parsed.start_col >= cols:
            raise exceeds_grid(sheet, parsed.cells or "")
        return parsed.start_row, bottom, parsed.start_col, right


def exceeds_grid(sheet: Sheet, cells: str) -> ApiError:
    quoted = "'" + sheet.title.replace("'", "''") + "'"
    return invalid(
        f"Range ({quoted}!{cells}) exceeds grid limits. Max rows: {sheet.row_count}, max columns: {sheet.col_count}"
    )


@dataclass
class DriveFile:
    id: str
    name: str
    mime_type: str
    owner: str
    created: str
    modified: str
    parents: list[str] = field(default_factory=list)
    permissions: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)

    def resource(self) -> dict[str, Any]:
        """Every field this server knows; responses mask it down (Drive's default is kind, id, name, mimeType)."""
        return {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": list(self.parents),
            "trashed": False,
            "createdTime": self.created,
            "modifiedTime": self.modified,
            "owners": [{"kind": "drive#user", "emailAddress": self.owner, "me": False}],
            "webViewLink": f"https://docs.google.com/spreadsheets/d/{self.id}/edit?usp=drivesdk",
        }


class Store:
    def __init__(self, limits: Limits | None = None, clock: Clock | None = None, seed: int = 42) -> None:
        self.lock = threading.RLock()
        self.limits = limits or Limits()
        self.clock = clock or Clock()
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.rng = random.Random(self.seed)
            self.files: dict[str, DriveFile] = {}
            self.spreadsheets: dict[str, Spreadsheet] = {}

    # -- identifiers and time ------------------------------------------------------------------------------------

    def new_file_id(self) -> str:
        while True:
            candidate = "1" + "".join(self.rng.choice(_ID_ALPHABET) for _ in range(43))
            if candidate not in self.files:
                return candidate

    def new_number(self, taken: set[int] | None = None) -> int:
        while True:
            candidate = self.rng.randrange(1, 2**31)
            if not taken or candidate not in taken:
                return candidate

    def timestamp(self) -> str:
        moment = datetime.fromtimestamp(self.clock.now(), UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"

    # -- files and spreadsheets ----------------------------------------------------------------------------------

    def create_file(self, name: str, mime_type: str, owner: str, parents: list[str] | None = None) -> DriveFile:
        now = self.timestamp()
        file = DriveFile(self.new_file_id(), name, mime_type, owner, now, now, list(parents or []))
        file.permissions.append(
            {
                "kind": "drive#permission",
                "id": str(self.rng.randrange(10**19, 10**20)),
                "type": "user",
                "emailAddress": owner,
                "role": "owner",
                "displayName": owner.split("@")[0],
                "deleted": False,
                "pendingOwner": False,
            }
        )
        self.files[file.id] = file
        if mime_type == SPREADSHEET_MIME:
            self.spreadsheets[file.id] = self.new_spreadsheet(file.id, name)
        return file

    def new_spreadsheet(self, spreadsheet_id: str, title: str) -> Spreadsheet:
        spreadsheet = Spreadsheet(spreadsheet_id, defaults.spreadsheet_properties(title))
        spreadsheet.sheets.append(new_sheet(0, "Sheet1", 0))
        return spreadsheet

    def spreadsheet(self, spreadsheet_id: str) -> Spreadsheet:
        found = self.spreadsheets.get(spreadsheet_id)
        if found is None:
            raise not_found()
        return found

    def file(self, file_id: str) -> DriveFile:
        found = self.files.get(file_id)
        if found is None:
            message = f"File not found: {file_id}."
            raise ApiError(404, message, drive=True, drive_reason="notFound", drive_location=("fileId", "parameter"))
        return found

    def commit(self, spreadsheet: Spreadsheet) -> None:
        self.spreadsheets[spreadsheet.id] = spreadsheet
        self.touch(spreadsheet.id)
        self.files[spreadsheet.id].name = spreadsheet.properties["title"]

    def touch(self, file_id: str) -> None:
        if file_id in self.files:
            self.files[file_id].modified = self.timestamp()

    def delete(self, file_id: str) -> None:
        self.file(file_id)
        del self.files[file_id]
        self.spreadsheets.pop(file_id, None)


def new_sheet(sheet_id: int, title: str, index: int, rows: int = 0, cols: int = 0, **extra: Any) -> Sheet:
    grid_properties = {"rowCount": rows or defaults.DEFAULT_ROWS, "columnCount": cols or defaults.DEFAULT_COLUMNS}
    properties = {"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID"}
    properties.update(extra)
    properties["gridProperties"] = {**grid_properties, **extra.get("gridProperties", {})}
    return Sheet(properties)

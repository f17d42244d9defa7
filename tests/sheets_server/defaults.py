"""What a new spreadsheet looks like: Google's defaults for an en_US spreadsheet (from the recorded exchanges)."""

from __future__ import annotations

import copy
from typing import Any

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100

_DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}

_THEME_COLORS: list[tuple[str, dict[str, float]]] = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]


def spreadsheet_properties(title: str) -> dict[str, Any]:
    """The ``properties`` of a new spreadsheet, in Google's key order."""
    return {
        "title": title,
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
        "defaultFormat": copy.deepcopy(_DEFAULT_FORMAT),
        "spreadsheetTheme": {
            "primaryFontFamily": "Arial",
            "themeColors": [{"colorType": kind, "color": {"rgbColor": dict(rgb)}} for kind, rgb in _THEME_COLORS],
        },
    }

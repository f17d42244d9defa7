"""Finds words meant for developers in what a person reads: a page's visible text or an email.

Caught: the function names of ``main.py`` (``submit_survey``), ``make `` and ``python -m`` commands, an ISO week
label without its dates (``2026-W48``: weeks read "Minggu 23–29 November 2026"), a raw status code (``Kode: 403``)
and a submission talked about by its internal id. Read are the text between tags and the attributes a person reads
or hears (alt, title, aria-label, placeholder, the value of a button), never script or style, and never the cells of
the sheet viewer's data table (marked ``data-isi-lembar``): those are the sheet's own values, as the operator finds
them in the spreadsheet.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

from functions.periods import MONTHS

MAIN = Path(__file__).resolve().parents[2] / "main.py"
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
BUTTON_TYPES = ("submit", "button", "reset")
# A date as people read it, right after a week label: '2026-W48 (23–29 November 2026)'.
DATES = r"[0-9]{1,2}(?: [A-Z][a-z]+)? ?[–-] ?[0-9]{1,2} (?:" + "|".join(MONTHS) + ")"
URL = re.compile(r"https?://\S+")
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


# Function names that are also plain Indonesian words, read as such on pages ("halaman transparansi").
PLAIN_WORDS = frozenset({"transparansi"})


def function_names() -> list[str]:
    """The Cloud Functions of ``main.py``, by their Python names, but for :data:`PLAIN_WORDS`."""
    tree = ast.parse(MAIN.read_text())
    return sorted(n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name not in PLAIN_WORDS)


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    names = "|".join(map(re.escape, function_names()))
    return [
        ("nama fungsi", re.compile(rf"\b(?:{names})\b")),
        ("perintah make", re.compile(r"\bmake ")),
        ("perintah python", re.compile(r"python3? -m")),
        ("label minggu ISO tanpa tanggal", re.compile(rf"\b[0-9]{{4}}-W[0-9]{{1,2}}\b(?!.{{0,12}}?{DATES})")),
        ("kode status", re.compile(r"\bKode:? [1-5][0-9]{2}\b")),
        ("id internal", re.compile(r"\bID ini\b")),
    ]


def developer_words(text: str) -> list[str]:
    """Each developer word found in ``text``, with the kind of word and its surroundings."""
    found = []
    text = URL.sub(" ", text)  # an address is no word: a plain-text email prints its links in full
    for kind, pattern in _patterns():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
            found.append(f"{kind}: {match.group(0)!r} in ...{around}...")
    return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip: list[str] = []  # open elements whose content is not read: script, style, the sheet's cells

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.skip or tag in ("script", "style") or "data-isi-lembar" in values:
            if tag not in VOID:
                self.skip.append(tag)
            return
        self.parts.extend(values[name] or "" for name in READ_ATTRIBUTES if values.get(name))
        if tag == "input" and values.get("type") in BUTTON_TYPES and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a person reads or hears of an HTML page or email."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return " ".join(" ".join(reader.parts).split())

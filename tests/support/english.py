"""Finds English left in text written for Indonesian readers: the operator's command help and errors.

Two nets: argparse's own fixed phrases, and a few English function words that no Indonesian sentence uses
(never words Indonesian shares, such as "per", nor the command names, which stay English).
"""

from __future__ import annotations

import re

ARGPARSE_PHRASES = (
    "usage:",
    "options:",
    "positional arguments",
    "show this help",
    "required",
    "error:",
    "invalid",
    "unrecognized",
    "expected",
    "choose from",
    "argument ",
)
STOP_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "to", "for", "from", "with", "without", "into", "on",
                        "at", "by", "as", "is", "are", "be", "not", "only", "each", "every", "this", "that", "these",
                        "it", "its", "your", "when", "which", "what", "default", "instead"})  # fmt: skip
_WORD = re.compile(r"[a-z0-9_]+")


def english(text: str) -> list[str]:
    """The English phrases and words found in ``text`` (empty when it reads as Indonesian)."""
    lowered = text.lower()
    found = [phrase for phrase in ARGPARSE_PHRASES if phrase in lowered]
    return found + sorted({word for word in _WORD.findall(lowered) if word in STOP_WORDS})

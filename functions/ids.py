"""Submission ids: made by the form, kept across retries, so a retry is recognised.

A form puts a fresh id in a hidden field; the same id sent again is the same submission.
"""

from __future__ import annotations

import re
import uuid

# Used with fullmatch: "$" would let a final newline in.
_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def new_id() -> str:
    return uuid.uuid4().hex


def is_valid(text: str, max_length: int = 64) -> bool:
    return len(text) <= max_length and _ID.fullmatch(text) is not None

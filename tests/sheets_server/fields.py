"""Field masks: ``fields=sheets.properties,files(id,name)`` on reads, ``"fields": "gridProperties/rowCount"`` on writes.

A mask parses to a tree of dicts; an empty dict means "this whole subtree". ``*`` selects everything.
"""

from __future__ import annotations

import copy
from typing import Any

Mask = dict[str, "Mask"]


class MaskError(ValueError):
    pass


def parse(text: str) -> Mask:
    """Parse ``a,b.c,d(e,f/g)`` (``.`` and ``/`` both separate path parts)."""
    tree: Mask = {}
    pos = _parse_list(text.replace(" ", ""), 0, tree)
    if pos != len(text.replace(" ", "")):
        raise MaskError(text)
    return tree


def _parse_list(text: str, pos: int, into: Mask) -> int:
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = [p for p in text[start:pos].replace("/", ".").split(".") if p]
        if not path:
            raise MaskError(text)
        node = into
        for part in path:
            node = node.setdefault(part, {})
        if pos < len(text) and text[pos] == "(":
            pos = _parse_list(text, pos + 1, node)
            if pos >= len(text) or text[pos] != ")":
                raise MaskError(text)
            pos += 1
        if pos < len(text) and text[pos] == ")":
            return pos
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return pos


def select(value: Any, mask: Mask) -> Any:
    """Keep only the masked parts of a response (lists are masked element by element)."""
    if not mask or "*" in mask:
        return value
    if isinstance(value, list):
        return [select(item, mask) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in mask:
            out[key] = select(item, mask[key])
    return out


def mentions(mask: Mask, *path: str) -> bool:
    node = mask
    for part in path:
        if not node or "*" in node:
            return True
        if part not in node:
            return False
        node = node[part]
    return True


def apply(target: dict[str, Any], source: dict[str, Any], mask: Mask) -> None:
    """Copy the masked fields of ``source`` onto ``target``; masked fields absent from ``source`` are cleared."""
    if "*" in mask:
        target.clear()
        target.update(copy.deepcopy(source))
        return
    for key, sub in mask.items():
        if key not in source:
            target.pop(key, None)
        elif not sub or not isinstance(source[key], dict):
            target[key] = copy.deepcopy(source[key])
        else:
            node = target.get(key)
            if not isinstance(node, dict):
                node = target[key] = {}
            apply(node, source[key], sub)
            if not node:
                target.pop(key)

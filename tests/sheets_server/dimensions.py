"""Inserting and deleting rows or columns: the values move, and so does everything anchored to a range."""

from __future__ import annotations

from typing import Any

from .model import Sheet

_KEYS = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex", "endColumnIndex")}


def shift_range(grid_range: dict[str, Any], dim: str, start: int, count: int, insert: bool) -> dict[str, Any] | None:
    """The range after ``count`` rows/columns were inserted at, or deleted from, ``start``; None when it vanished."""
    key_start, key_end = _KEYS[dim]
    first = grid_range.get(key_start, 0)
    end = grid_range.get(key_end)
    if insert:
        first = first + count if key_start in grid_range and first >= start else first
        end = end + count if end is not None and end > start else end
    else:

        def moved(x: int) -> int:
            return x if x <= start else (start if x <= start + count else x - count)

        first = moved(first)
        end = moved(end) if end is not None else None
        if end is not None and end <= first:
            return None
    out = dict(grid_range)
    if key_start in grid_range or first:
        out[key_start] = first
    if end is not None:
        out[key_end] = end
    return out


def _shift_all(sheet: Sheet, dim: str, start: int, count: int, insert: bool) -> None:
    def shift(grid_range: dict[str, Any]) -> dict[str, Any] | None:
        return shift_range(grid_range, dim, start, count, insert)

    ops = []
    for grid_range, source, mask in sheet.cell_ops:
        moved = shift(grid_range)
        if moved is not None:
            ops.append((moved, source, mask))
    sheet.cell_ops = ops
    sheet.merges = [m for m in (shift(m) for m in sheet.merges) if m is not None]
    for holder in (sheet.protected_ranges, sheet.banded_ranges):
        kept = []
        for item in holder:
            moved = shift(item["range"]) if "range" in item else item.get("range")
            if moved is not None or "range" not in item:
                kept.append({**item, "range": moved} if moved is not None else item)
        holder[:] = kept
    rules = []
    for rule in sheet.conditional_formats:
        ranges = [r for r in (shift(r) for r in rule.get("ranges", [])) if r is not None]
        if ranges:
            rules.append({**rule, "ranges": ranges})
    sheet.conditional_formats = rules
    if sheet.basic_filter and "range" in sheet.basic_filter:
        moved = shift(sheet.basic_filter["range"])
        sheet.basic_filter = {**sheet.basic_filter, "range": moved} if moved is not None else None
    props = sheet.dimensions[dim]
    if insert:
        sheet.dimensions[dim] = {(i + count if i >= start else i): p for i, p in props.items()}
    else:
        sheet.dimensions[dim] = {
            (i - count if i >= start + count else i): p for i, p in props.items() if not start <= i < start + count
        }


def insert(sheet: Sheet, dim: str, start: int, count: int) -> None:
    if count <= 0:
        return
    if dim == "ROWS":
        sheet.grid.insert_rows(start, count)
        sheet.grid_properties["rowCount"] = sheet.row_count + count
    else:
        sheet.grid.insert_cols(start, count)
        sheet.grid_properties["columnCount"] = sheet.col_count + count
    _shift_all(sheet, dim, start, count, insert=True)


def delete(sheet: Sheet, dim: str, start: int, end: int) -> None:
    count = end - start
    if count <= 0:
        return
    if dim == "ROWS":
        sheet.grid.delete_rows(start, end)
        sheet.grid_properties["rowCount"] = sheet.row_count - count
    else:
        sheet.grid.delete_cols(start, end)
        sheet.grid_properties["columnCount"] = sheet.col_count - count
    _shift_all(sheet, dim, start, count, insert=False)


def resize(sheet: Sheet, rows: int, cols: int) -> None:
    """Set the grid size; values and ranges beyond a shrunk edge are dropped, as Google does."""
    if rows < sheet.row_count:
        delete(sheet, "ROWS", rows, sheet.row_count)
    else:
        sheet.grid_properties["rowCount"] = rows
    if cols < sheet.col_count:
        delete(sheet, "COLUMNS", cols, sheet.col_count)
    else:
        sheet.grid_properties["columnCount"] = cols

"""The embedded store: one SQLite file, one table per sheet, WAL, a single writer.

Tables and indexes are made from the schema; a column added to the schema is added to
its table on open (an idempotent migration). Reads use one connection per thread; every
write goes through one lock and an immediate transaction, so a write is all or nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from functions import schema
from functions.errors import Forbidden
from functions.schema import Sheet
from functions.store.protocol import AppendResult, Row, UpsertResult
from functions.store.rows import check_complete, conflict, from_cells, group_key, same_content, to_cells
from functions.store.sqlite_connections import Connections

if TYPE_CHECKING:
    import pandas as pd

SQL_TYPES = {"integer": "INTEGER", "number": "REAL"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SQLiteStore:
    def __init__(self, path: Path | str, sheets: Mapping[str, Sheet] | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.sheets = dict(sheets or schema.load_all())
        self._db = Connections(self.path)
        self._migrate()

    def _reader(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.read()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.write()

    def close(self) -> None:
        self._db.close()

    def _sheet(self, name: str) -> Sheet:
        return schema.sheet_of(self.sheets, name)

    def _migrate(self) -> None:
        with self._write() as conn:
            for sheet in self.sheets.values():
                self._create(conn, sheet)

    def _create(self, conn: sqlite3.Connection, sheet: Sheet) -> None:
        cols = ", ".join(
            f"{_q(c.key)} {SQL_TYPES.get(c.type, 'TEXT')}" + (" PRIMARY KEY" if c.key == sheet.key else "")
            for c in sheet.columns
        )
        conn.execute(f"CREATE TABLE IF NOT EXISTS {_q(sheet.name)} ({cols})")
        existing = {r[1] for r in conn.execute(f"PRAGMA table_info({_q(sheet.name)})")}
        for c in sheet.columns:
            if c.key not in existing:
                conn.execute(f"ALTER TABLE {_q(sheet.name)} ADD COLUMN {_q(c.key)} {SQL_TYPES.get(c.type, 'TEXT')}")
        indexed = {sheet.batch_key, sheet.date_column, sheet.unit_column, sheet.period_column}
        indexed |= {c.key for c in sheet.columns if c.type == "nip"}
        for key in sorted(k for k in indexed if k and k != sheet.key):
            conn.execute(f"CREATE INDEX IF NOT EXISTS {_q(f'ix_{sheet.name}_{key}')} ON {_q(sheet.name)} ({_q(key)})")

    # -- reads ---------------------------------------------------------------
    def _select(
        self,
        sheet: Sheet,
        where: Mapping[str, Any] | None,
        start: date | None,
        end: date | None,
        unit: str | Iterable[str] | None,
        conn: sqlite3.Connection | None = None,
    ) -> list[Row]:
        clauses: list[str] = []
        params: list[Any] = []
        for key, value in (where or {}).items():
            col = sheet.column(key)
            if value is None:
                clauses.append(f"{_q(key)} IS NULL")
            else:
                clauses.append(f"{_q(key)} = ?")
                params.append(col.to_cell(value))
        if start is not None or end is not None:
            if not sheet.date_column:
                raise ValueError(f"{sheet.name} has no date column to filter by")
            if start is not None:
                clauses.append(f"{_q(sheet.date_column)} >= ?")
                params.append(start.isoformat())
            if end is not None:
                clauses.append(f"{_q(sheet.date_column)} < ?")
                params.append((end + timedelta(days=1)).isoformat())
        if unit is not None:
            if not sheet.unit_column:
                raise ValueError(f"{sheet.name} has no unit column to filter by")
            units = [unit] if isinstance(unit, str) else list(unit)
            clauses.append(f"{_q(sheet.unit_column)} IN ({', '.join('?' * len(units))})")
            params.extend(units)
        sql = f"SELECT {', '.join(_q(k) for k in sheet.keys)} FROM {_q(sheet.name)}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY rowid"
        if conn is not None:
            return [from_cells(sheet, cells) for cells in conn.execute(sql, params)]
        with self._reader() as reader:
            return [from_cells(sheet, cells) for cells in reader.execute(sql, params)]

    def records(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> list[Row]:
        return self._select(self._sheet(sheet), where, start, end, unit)

    def frame(
        self,
        sheet: str,
        *,
        where: Mapping[str, Any] | None = None,
        start: date | None = None,
        end: date | None = None,
        unit: str | Iterable[str] | None = None,
    ) -> pd.DataFrame:
        import pandas as pd

        spec = self._sheet(sheet)
        rows = self._select(spec, where, start, end, unit)
        return pd.DataFrame.from_records(rows, columns=spec.keys)

    def count(self, sheet: str) -> int:
        spec = self._sheet(sheet)
        with self._reader() as conn:
            return int(conn.execute(f"SELECT COUNT(*) FROM {_q(spec.name)}").fetchone()[0])

    # -- writes --------------------------------------------------------------
    def append(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> AppendResult:
        spec = self._sheet(sheet)
        clean = check_complete(spec, rows)
        groups: dict[Any, list[dict[str, Any]]] = {}
        for row in clean:
            groups.setdefault(group_key(spec, row), []).append(row)
        group_col = spec.batch_key or spec.key
        inserted = duplicates = 0
        with self._write() as conn:
            for value, group in groups.items():
                stored = self._select(spec, {group_col: value}, None, None, None, conn)
                if stored:
                    if not same_content(spec, group, stored):
                        raise conflict()
                    duplicates += len(group)
                    continue
                keys = [r[spec.key] for r in group]
                clash = conn.execute(
                    f"SELECT 1 FROM {_q(spec.name)} WHERE {_q(spec.key)} IN ({', '.join('?' * len(keys))})",
                    [spec.column(spec.key).to_cell(k) for k in keys],
                ).fetchone()
                if clash or len(set(keys)) != len(keys):
                    raise conflict()
                self._insert(conn, spec, group)
                inserted += len(group)
        return AppendResult(inserted=inserted, duplicates=duplicates)

    def _insert(self, conn: sqlite3.Connection, sheet: Sheet, rows: Sequence[Mapping[str, Any]]) -> None:
        marks = ", ".join("?" * len(sheet.columns))
        conn.executemany(
            f"INSERT INTO {_q(sheet.name)} ({', '.join(_q(k) for k in sheet.keys)}) VALUES ({marks})",
            [to_cells(sheet, r) for r in rows],
        )

    def replace_period(self, sheet: str, period: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        spec = self._sheet(sheet)
        if not spec.period_column:
            raise ValueError(f"{spec.name} has no period column")
        clean = check_complete(spec, rows)
        if any(r[spec.period_column] != period for r in clean):
            raise ValueError(f"every row must belong to period {period!r}")
        with self._write() as conn:
            conn.execute(
                f"DELETE FROM {_q(spec.name)} WHERE {_q(spec.period_column)} = ?",
                [spec.column(spec.period_column).to_cell(period)],
            )
            self._insert(conn, spec, clean)

    def delete(self, sheet: str, keys: Sequence[Any]) -> int:
        spec = self._sheet(sheet)
        col = spec.column(spec.key)
        deleted = 0
        with self._write() as conn:
            for key in keys:
                cursor = conn.execute(f"DELETE FROM {_q(spec.name)} WHERE {_q(spec.key)} = ?", [col.to_cell(key)])
                deleted += cursor.rowcount
        return deleted

    def set_cells(self, sheet: str, key: Any, values: Mapping[str, Any]) -> None:
        spec = self._sheet(sheet)
        for name in values:
            if not spec.column(name).editable:
                raise Forbidden(f"Kolom {spec.column(name).header} di lembar {spec.name} tidak dapat diubah.")
        with self._write() as conn:
            stored = self._select(spec, {spec.key: key}, None, None, None, conn)
            if not stored:
                raise KeyError(f"{spec.name} has no row {key!r}")
            merged = {**stored[0], **values}
            clean = check_complete(spec, [merged])[0]
            assignments = ", ".join(f"{_q(k)} = ?" for k in values)
            conn.execute(
                f"UPDATE {_q(spec.name)} SET {assignments} WHERE {_q(spec.key)} = ?",
                [spec.column(k).to_cell(clean[k]) for k in values] + [spec.column(spec.key).to_cell(key)],
            )

    def upsert(self, sheet: str, rows: Sequence[Mapping[str, Any]]) -> UpsertResult:
        return self.upsert_many({sheet: rows})[sheet]

    def upsert_many(self, batches: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, UpsertResult]:
        cleaned = {name: (self._sheet(name), check_complete(self._sheet(name), rows)) for name, rows in batches.items()}
        results = {}
        with self._write() as conn:
            for name, (spec, clean) in cleaned.items():
                results[name] = self._upsert(conn, spec, clean)
        return results

    def _upsert(self, conn: sqlite3.Connection, spec: Sheet, clean: Sequence[Mapping[str, Any]]) -> UpsertResult:
        inserted = updated = unchanged = 0
        for row in clean:
            stored = self._select(spec, {spec.key: row[spec.key]}, None, None, None, conn)
            if not stored:
                self._insert(conn, spec, [row])
                inserted += 1
            elif to_cells(spec, stored[0]) == to_cells(spec, row):
                unchanged += 1
            else:
                assignments = ", ".join(f"{_q(k)} = ?" for k in spec.keys)
                conn.execute(
                    f"UPDATE {_q(spec.name)} SET {assignments} WHERE {_q(spec.key)} = ?",
                    [*to_cells(spec, row), spec.column(spec.key).to_cell(row[spec.key])],
                )
                updated += 1
        return UpsertResult(inserted=inserted, updated=updated, unchanged=unchanged)

"""Progress as a portable JSON document: export, merge it back in, and reset.

The shape (format "perfcoach-progress", format_version 1) is documented in README.md.
Import validates the whole document before writing anything and merges row by row on
each table's natural key, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from perfcoach import __version__
from perfcoach.errors import UsageError
from perfcoach.store import schema
from perfcoach.store.import_rules import RULES
from perfcoach.store.queries import VERDICTS, _now_text

if TYPE_CHECKING:
    from perfcoach.store.queries import Store

FORMAT = "perfcoach-progress"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class _Spec:
    """One exported table: its columns and types, and the columns that identify a row."""

    columns: dict[str, tuple[type, ...]]
    key: tuple[str, ...]
    nullable: frozenset[str] = frozenset()
    json_columns: frozenset[str] = frozenset()  # stored as text, exported as objects


def _spec(table: schema.Table) -> _Spec:
    """The export view of a declared table: its exported columns, nullable where SQLite
    allows NULL, so a database's own export always passes its own import."""
    columns = table.exported_columns
    return _Spec(
        {column.name: column.accepts for column in columns},
        table.key,
        frozenset(column.name for column in columns if not column.not_null),
        frozenset(column.name for column in columns if column.json_object),
    )


# Parents before children, as the declaration orders them.
TABLES: dict[str, _Spec] = {table.name: _spec(table) for table in schema.TABLES if table.exported}
# What `progress reset` clears: the course, never the user's efforts on their own code.
_LAB_TABLES = ("attempts", "hints", "solution_views")
_COURSE_TABLES = (*_LAB_TABLES, "lessons_read", "quiz_answers")


class ProgressFileError(UsageError):
    """An import file perfcoach cannot trust; nothing was written."""


@dataclass(frozen=True)
class ImportReport:
    """Rows added and rows already present, per table, so the user sees what merged."""

    added: dict[str, int]
    skipped: dict[str, int]


def _present(store: Store) -> list[str]:
    """Exported tables this database has, in dependency order."""
    names = {row[0] for row in store._rows("SELECT name FROM sqlite_master WHERE type='table'")}
    return [table for table in TABLES if table in names]


def export_progress(store: Store) -> dict[str, Any]:
    """Every progress row as a JSON-ready document (the format_version 1 shape)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _present(store):
        spec = TABLES[table]
        columns = list(spec.columns)
        order = ", ".join(spec.key)
        rows = store._rows(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
        tables[table] = [_exported(spec, dict(zip(columns, row, strict=True))) for row in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported": _now_text(),
        "perfcoach_version": __version__,
        "tables": tables,
    }


def _exported(spec: _Spec, row: dict[str, Any]) -> dict[str, Any]:
    """Stored JSON text becomes an object, so the export reads as one document."""
    for column in spec.json_columns:
        row[column] = json.loads(row[column])
    return row


def read_progress_file(text: str, source: str) -> dict[str, list[dict[str, Any]]]:
    """Parse and validate an export completely; any problem is one ProgressFileError."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgressFileError(f"{source} is not JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise ProgressFileError(f"{source} nests objects or lists too deeply") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProgressFileError(f"{source} is not a perfcoach progress export")
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ProgressFileError(
            f"{source} has format_version {version!r}; this perfcoach reads {FORMAT_VERSION}"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ProgressFileError(f"{source}: 'tables' must be an object of table name → rows")
    for table, rows in tables.items():
        spec = TABLES.get(table)
        if spec is None:
            raise ProgressFileError(f"{source}: unknown table {table!r}")
        if not isinstance(rows, list):
            raise ProgressFileError(f"{source}: tables.{table} must be a list of rows")
        for i, row in enumerate(rows):
            _check_row(f"{source}: tables.{table}[{i}]", spec, row)
            if table == "attempts" and row["verdict"] not in VERDICTS:
                raise ProgressFileError(f"{source}: tables.{table}[{i}]: unknown verdict")
    return tables


def _check_row(where: str, spec: _Spec, row: Any) -> None:
    """Exactly the spec's keys with the spec's types: anything else may be another format."""
    if not isinstance(row, dict):
        raise ProgressFileError(f"{where} must be an object")
    if set(row) != set(spec.columns):
        missing = sorted(set(spec.columns) - set(row))
        extra = sorted(set(row) - set(spec.columns))
        problem = f"missing {missing}" if missing else f"unknown keys {extra}"
        raise ProgressFileError(f"{where}: {problem}")
    for column, kinds in spec.columns.items():
        value = row[column]
        if value is None and column in spec.nullable:
            continue
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise ProgressFileError(f"{where}: {column} has the wrong type")
        rule = RULES.get(column)
        problem = rule(value) if rule else ""
        if problem:
            raise ProgressFileError(f"{where}: {column} {problem}")


def import_progress(store: Store, tables: dict[str, list[dict[str, Any]]]) -> ImportReport:
    """Merge validated rows in one transaction: known rows are skipped, a tick is replaced
    only by a newer one, and a measurement whose effort is missing is refused."""
    present = _present(store)
    missing_tables = sorted(set(tables) - set(present))
    if any(tables[name] for name in missing_tables):
        raise ProgressFileError(f"this database has no table {missing_tables[0]!r}")
    added: dict[str, int] = {}
    skipped: dict[str, int] = {}
    with store._write() as conn:
        for table in present:
            spec = TABLES[table]
            added[table] = skipped[table] = 0
            for row in tables.get(table, []):
                if _merge_row(conn, table, spec, row):
                    added[table] += 1
                else:
                    skipped[table] += 1
    return ImportReport(added, skipped)


def _merge_row(conn: Any, table: str, spec: _Spec, row: dict[str, Any]) -> bool:
    """Insert a row unless its key exists; ticks keep whichever side changed last."""
    where = " AND ".join(f"{column} = ?" for column in spec.key)
    key = tuple(row[column] for column in spec.key)
    existing = conn.execute(f"SELECT * FROM {table} WHERE {where}", key).fetchone()
    values = {
        column: json.dumps(value, sort_keys=True) if column in spec.json_columns else value
        for column, value in row.items()
    }
    if existing is not None:
        if table != "checklist_ticks":
            return False
        newer = conn.execute(
            f"SELECT updated < ? FROM {table} WHERE {where}", (row["updated"], *key)
        ).fetchone()[0]
        if not newer:
            return False
        conn.execute(f"DELETE FROM {table} WHERE {where}", key)
    if (
        table == "measurements"
        and not conn.execute("SELECT 1 FROM efforts WHERE id = ?", (row["effort_id"],)).fetchone()
    ):
        raise ProgressFileError(
            f"measurement {row['uid']} belongs to effort {row['effort_id']!r}, "
            "which is neither in the file nor in this database"
        )
    columns = list(values)
    conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        tuple(values[column] for column in columns),
    )
    return True


def reset_progress(store: Store, lab_id: str | None) -> dict[str, int]:
    """Delete one lab's attempts, hints and solution views, or (lab_id None) all course
    progress; efforts and checklist ticks are kept. Returns rows deleted per table."""
    present = set(_present(store))
    deleted: dict[str, int] = {}
    with store._write() as conn:
        if lab_id is not None:
            for table in _LAB_TABLES:
                deleted[table] = conn.execute(
                    f"DELETE FROM {table} WHERE lab_id = ?", (lab_id,)
                ).rowcount
        else:
            for table in _COURSE_TABLES:
                if table in present:
                    deleted[table] = conn.execute(f"DELETE FROM {table}").rowcount
    return deleted

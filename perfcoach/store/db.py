"""Opening the progress database safely: pragmas, migrations, health checks and repair."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfcoach.errors import PerfcoachError
from perfcoach.store.lean_import import import_sqlite_utils
from perfcoach.store.pages import PageSalvage, read_pages

if TYPE_CHECKING:
    from sqlite_utils import Database

REPAIR_HINT = "run 'perfcoach doctor --repair' to back it up and rebuild it"
_BUSY_TIMEOUT_S = 30
_CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_WAL_RETRY_PAUSE_S = 0.01
_SIDE_FILES = ("-wal", "-shm")
# Row-by-row salvage probes every rowid up to the highest one seen; a garbage page can
# claim an absurd rowid, so the probe stops here rather than spinning for hours.
_MAX_PROBED_ROWID = 1_000_000
# How many migrations there are (tests check it): a database stamped with it in
# PRAGMA user_version is fully migrated, and opening it needs no sqlite_utils at all.
SCHEMA_VERSION = 5
# What reading a damaged backup can raise: SQLite's errors, and a schema whose damaged text
# the sqlite3 module cannot decode (column names are decoded as UTF-8 whatever the factory).
_UNREADABLE = (sqlite3.DatabaseError, UnicodeDecodeError)


class StoreError(PerfcoachError):
    """The progress database cannot be used; the one-line message says what to do about it."""


@dataclass(frozen=True)
class RepairReport:
    """What repair_db salvaged, so doctor can tell the learner what survived."""

    backup: Path
    recovered: dict[str, int]
    lost_tables: list[str]
    # Per table, rowids the damaged file still names (up to the highest an intact page
    # mentions) with no readable row: rows lost, or deleted before the damage.
    lost_rows: dict[str, int] = field(default_factory=dict)


def one_line(text: object) -> str:
    """Driver and integrity messages can span lines; CLI errors must not."""
    return " ".join(str(text).split())


def _primary_code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code, without the extended bits."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_corruption(exc: sqlite3.Error) -> bool:
    """Corruption needs doctor --repair; other failures (busy, permissions) do not."""
    return _primary_code(exc) in _CORRUPTION_CODES


def broken_error(path: Path, detail: str) -> StoreError:
    """One wording for a damaged file, so users always see the same way out."""
    return StoreError(f"progress database {path} is damaged ({detail}); {REPAIR_HINT}")


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """Turn a raw driver error into a StoreError the CLI can print as one line."""
    if is_corruption(exc):
        return broken_error(path, one_line(exc))
    return StoreError(f"progress database {path}: {one_line(exc)}")


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """No sqlite3 exception may leave the store; callers only know StoreError."""
    try:
        yield
    except sqlite3.Error as exc:
        raise store_error(path, exc) from exc


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE takes the write lock up front, so concurrent writers queue on
    busy_timeout instead of failing with "database is locked" on lock upgrade."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _problem_lines(rows: list[tuple[str]]) -> list[str]:
    """Check pragmas answer "ok" or multi-line reports headed "*** in database main ***"."""
    return [
        line.strip()
        for (text,) in rows
        for line in str(text).splitlines()
        if line.strip() not in ("", "ok") and not line.startswith("***")
    ]


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """PRAGMA integrity_check rows other than "ok", one problem per line."""
    return _problem_lines(conn.execute("PRAGMA integrity_check").fetchall())


def _access_problem(path: Path) -> str | None:
    """Explain up front what SQLite would only call "unable to open database file"."""
    if path.is_dir():
        return f"{path} is a directory, not a progress database"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return (
            f"cannot read and write progress database {path} (permission denied); "
            "fix its permissions or point PERFCOACH_HOME elsewhere"
        )
    return None


def _connect(path: Path) -> sqlite3.Connection:
    """The one place a read-write connection is made, so every caller gets the same timeout."""
    return sqlite3.connect(str(path), timeout=_BUSY_TIMEOUT_S)


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Read a backup without ever writing to it, so it stays byte-identical evidence."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)


def _refuse_if_broken(conn: sqlite3.Connection, path: Path) -> None:
    """Check before any pragma writes: a damaged file must be left exactly as found."""
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            raise broken_error(path, one_line(exc)) from exc
        raise
    problems = _problem_lines(rows)
    if problems:
        raise broken_error(path, one_line(problems[0]))


def _configure(conn: sqlite3.Connection) -> None:
    """WAL lets readers run during writes; NORMAL sync is durable enough for progress data."""
    conn.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_S * 1000}")
    _enable_wal(conn)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switching a new file to WAL fails at once, without the busy handler, while another
    process opening it holds a read lock; retry for as long as busy_timeout would wait."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if _primary_code(exc) not in _BUSY_CODES or time.monotonic() > deadline:
                raise
            time.sleep(_WAL_RETRY_PAUSE_S)
        else:
            return


def apply_migrations(db: Database) -> None:
    """Apply pending migrations under the write lock so racing first runs apply them once;
    then stamp SCHEMA_VERSION, so later opens need not import sqlite_utils to know."""
    from perfcoach.store.migrations import MIGRATIONS

    with write_transaction(db.conn):
        if MIGRATIONS.pending(db):
            MIGRATIONS.apply(db)
        if not MIGRATIONS.pending(db):
            db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) a healthy, migrated database, or raise StoreError."""
    problem = _access_problem(path)
    if problem:
        raise StoreError(problem)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the directory for {path}: {exc.strerror}") from exc
    with translate_errors(path):
        conn = _connect(path)
    try:
        with translate_errors(path):
            _refuse_if_broken(conn, path)
            _configure(conn)
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                sqlite_utils = import_sqlite_utils()
                apply_migrations(sqlite_utils.Database(conn, execute_plugins=False))
    except BaseException:
        conn.close()
        raise
    return conn


def check_db(path: Path) -> list[str]:
    """Problems found, without raising: [] means healthy, and so does a missing file
    (opening will create it)."""
    if not path.exists():
        return []
    problem = _access_problem(path)
    if problem:
        return [problem]
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        return [f"cannot open {path}: {one_line(exc)}"]
    try:
        return integrity_problems(conn)
    except sqlite3.Error as exc:
        return [one_line(exc)]
    finally:
        conn.close()


def repair_db(path: Path) -> RepairReport:
    """Move the broken file (and its -wal/-shm) aside, create a fresh DB with migrations, copy
    every row that can still be read, table by table (row by row when a bulk read fails)."""
    if not path.exists():
        raise StoreError(f"there is no progress database at {path}; nothing to repair")
    backup = _backup_path(path)
    try:
        # Side files first: a stale -wal beside the fresh DB would be replayed into it.
        for suffix in (*_SIDE_FILES, ""):
            source = Path(f"{path}{suffix}")
            if source.exists():
                source.rename(f"{backup}{suffix}")
    except OSError as exc:
        raise StoreError(f"cannot move {path} aside for repair: {exc.strerror}") from exc
    fresh = import_sqlite_utils().Database(open_database(path), execute_plugins=False)
    try:
        with translate_errors(path):
            recovered, lost, lost_rows = _salvage(backup, fresh)
    finally:
        fresh.close()
    return RepairReport(backup, recovered, lost, lost_rows)


def _backup_path(path: Path) -> Path:
    """A timestamped name next to the original that never overwrites an earlier backup."""
    stem = f"{path.name}.broken-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}"
    candidate = path.with_name(stem)
    counter = 1
    while any(Path(f"{candidate}{s}").exists() for s in ("", *_SIDE_FILES)):
        counter += 1
        candidate = path.with_name(f"{stem}-{counter}")
    return candidate


def _app_tables(db: Database) -> list[str]:
    """The tables the migrations created, minus bookkeeping the fresh DB already has."""
    from perfcoach.store.migrations import MIGRATIONS

    return [
        name
        for name in db.table_names()
        if name != MIGRATIONS.migrations_table and not name.startswith("sqlite_")
    ]


def _salvage(backup: Path, fresh: Database) -> tuple[dict[str, int], list[str], dict[str, int]]:
    """Copy what the backup still yields into the fresh DB: through SQLite first, then, for
    a table SQLite cannot read to the end, from the pages themselves (a truncated file or a
    broken interior page stops SQLite's scan, not the intact leaves around it)."""
    tables = _app_tables(fresh)
    source: sqlite3.Connection | None
    try:
        source = _connect_readonly(backup)
        # Damaged text is kept as best it decodes: a UnicodeDecodeError would lose the row.
        source.text_factory = _lenient_text
    except sqlite3.Error:
        source = None
    pages: PageSalvage | None = None
    recovered: dict[str, int] = {}
    lost: list[str] = []
    lost_rows: dict[str, int] = {}
    try:
        for table in tables:
            wanted = list(fresh.table(table).columns_dict)
            columns = _shared_columns(source, table, wanted) if source else []
            rows, complete = (
                _read_rows(source, table, columns) if source and columns else ({}, False)
            )
            if not complete:
                pages = pages or read_pages(backup)
                found = pages.rows.get(table, {})
                columns = columns or [c for c in wanted if any(c in r for r in found.values())]
                for rowid, row in found.items():
                    rows.setdefault(rowid, tuple(row.get(c) for c in columns))
                complete = table in pages.intact
                highest = max(pages.highest.get(table, 0), max(rows, default=0))
                if highest > len(rows):
                    lost_rows[table] = highest - len(rows)
            if rows or complete:
                ordered = [rows[rowid] for rowid in sorted(rows)]
                recovered[table] = _insert_rows(fresh, table, columns, ordered)
            else:
                lost.append(table)
    finally:
        if source is not None:
            source.close()
    return recovered, lost, lost_rows


def _lenient_text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _shared_columns(source: sqlite3.Connection, table: str, wanted: list[str]) -> list[str]:
    """Columns both schemas have, so a backup from another version still copies cleanly."""
    try:
        old = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
    except _UNREADABLE:
        return []
    return [name for name in wanted if name in old]


def _read_rows(
    source: sqlite3.Connection, table: str, columns: list[str]
) -> tuple[dict[int, tuple[Any, ...]], bool]:
    """Read in bulk; when a damaged page stops the scan, fetch the other rows one by one."""
    select = f'SELECT rowid, {", ".join(columns)} FROM "{table}"'
    rows: dict[int, tuple[Any, ...]] = {}
    try:
        for row in source.execute(f"{select} ORDER BY rowid"):
            rows[row[0]] = row[1:]
        return rows, True
    except _UNREADABLE:
        pass
    for rowid in _candidate_rowids(source, table, set(rows)):
        try:
            row = source.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except _UNREADABLE:
            continue
        if row is not None:
            rows[rowid] = row[1:]
    return rows, False


def _candidate_rowids(source: sqlite3.Connection, table: str, seen: set[int]) -> list[int]:
    """Rowids worth probing: every one up to the highest the table or its indexes mention."""
    known = set(seen)
    queries = [f'SELECT max(rowid) FROM "{table}"']
    with contextlib.suppress(*_UNREADABLE):
        indexes = source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
            (table,),
        ).fetchall()
        queries += [f'SELECT rowid FROM "{table}" INDEXED BY "{name}"' for (name,) in indexes]
    for query in queries:
        with contextlib.suppress(*_UNREADABLE):
            for (rowid,) in source.execute(query):
                if isinstance(rowid, int):
                    known.add(rowid)
    highest = min(max(known, default=0), _MAX_PROBED_ROWID)
    return [rowid for rowid in range(1, highest + 1) if rowid not in seen]


def _insert_rows(
    fresh: Database, table: str, columns: list[str], rows: list[tuple[Any, ...]]
) -> int:
    """Insert each row on its own so one garbage row does not cost the rest."""
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({marks})'
    copied = 0
    with write_transaction(fresh.conn):
        for row in rows:
            with contextlib.suppress(sqlite3.IntegrityError):
                copied += fresh.conn.execute(sql, row).rowcount
    return copied

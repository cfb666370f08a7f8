"""A lab database that lives in the grader, served to a subject as a RemoteConnection.

The learner's code gets a sqlite3-style connection (perfcoach.driverkit.RemoteConnection)
whose every statement travels to this object, as statements travel to a database server.
So the statements, their templates and the SQLite virtual-machine steps are counted here,
by the grader, and there is no other way into the data: the file is in the grader's
private folder, which the subject can neither read nor open.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from perfcoach.runner.grader import Later, Refusal

VM_TICK = 100  # progress-handler granularity: VM steps are counted to the nearest 100
MAX_VALUE_BYTES = 16 * 1024 * 1024


class SqliteService:
    """One connection, shared by every call of one subject; everything it runs is traced."""

    def __init__(self, conn: sqlite3.Connection, round_trip_s: float = 0.0) -> None:
        self.conn = conn
        self.round_trip_s = round_trip_s
        self.statements: list[str] = []
        self.ticks = 0
        conn.set_trace_callback(self.statements.append)
        conn.set_progress_handler(self._tick, VM_TICK)
        conn.set_authorizer(no_attach)
        # The learner's SQL runs in the grader: no single string or blob may eat its memory.
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)

    def _tick(self) -> int:
        self.ticks += 1
        return 0

    @property
    def vm_steps(self) -> int:
        """SQLite VM instructions run on this connection so far (to VM_TICK)."""
        return self.ticks * VM_TICK

    def mark(self) -> tuple[int, int]:
        """A point to count from: (statements so far, VM ticks so far)."""
        return len(self.statements), self.ticks

    def since(self, mark: tuple[int, int]) -> tuple[list[str], int]:
        """Statements and VM steps since mark."""
        return self.statements[mark[0] :], (self.ticks - mark[1]) * VM_TICK

    def _answer(self, cursor: sqlite3.Cursor) -> Any:
        rows = cursor.fetchall()
        names = [d[0] for d in cursor.description] if cursor.description else None
        answer = (names, rows, cursor.rowcount, cursor.lastrowid)
        return Later(answer, self.round_trip_s) if self.round_trip_s else answer

    def execute(self, sql: Any, parameters: Any = ()) -> Any:
        """One statement."""
        _need_text(sql)
        return self._run(lambda: self.conn.execute(sql, parameters))

    def executemany(self, sql: Any, seq: Any) -> Any:
        """One statement per parameter set."""
        _need_text(sql)
        return self._run(lambda: self.conn.executemany(sql, seq))

    def executescript(self, script: Any) -> Any:
        """Several statements."""
        _need_text(script)
        return self._run(lambda: self.conn.executescript(script))

    def commit(self) -> None:
        """Commit the open transaction."""
        self._run(self.conn.commit)

    def rollback(self) -> None:
        """Roll back the open transaction."""
        self._run(self.conn.rollback)

    def _run(self, step: Any) -> Any:
        try:
            cursor = step()
        except sqlite3.Error as exc:
            raise Refusal(f"{type(exc).__name__}: {exc}") from None
        return None if cursor is None else self._answer(cursor)


def no_attach(action: int, arg1: Any, arg2: Any, db: Any, source: Any) -> int:
    """The learner's SQL runs in the grader's process, outside the sandbox: ATTACH (and
    VACUUM INTO, which attaches its target) would open, create or change any database file
    the grader can reach, read-only connection or not. A lab that sets its own authorizer
    must refuse them too."""
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _need_text(sql: Any) -> None:
    if not isinstance(sql, str):
        raise Refusal(f"ProgrammingError: SQL must be a str, not {type(sql).__name__}")

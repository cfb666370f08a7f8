"""Deterministic SQL work counters: statements by normalized template, and VM steps."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from types import TracebackType

_STRING = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_IN_LIST = re.compile(r"\bin\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_IGNORED = ("begin", "commit", "rollback", "savepoint", "release", "pragma")


def normalize_sql(sql: str) -> str:
    """One template per query shape: literals become ?, IN lists become IN (…), lowercase.

    Python 3.11 hands the trace callback the SQL with bound values inlined, so the
    same query for two parent rows differs only in its literals.
    """
    text = _STRING.sub("?", sql)
    text = _NUMBER.sub("?", text)
    text = _SPACE.sub(" ", text).strip().rstrip(";").strip()
    text = _IN_LIST.sub("in (…)", text)
    return text.lower()


class SqlCounter:
    """Counts every statement a connection runs while the context is active."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.statements: list[str] = []

    def __enter__(self) -> SqlCounter:
        self.conn.set_trace_callback(self.statements.append)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.conn.set_trace_callback(None)

    def queries(self) -> list[str]:
        """Statements that do work, without transaction control and pragmas."""
        return [s for s in self.statements if not s.lstrip().lower().startswith(_IGNORED)]

    def selects(self) -> int:
        """How many SELECT (or WITH … SELECT) statements ran."""
        return sum(1 for s in self.queries() if s.lstrip().lower().startswith(("select", "with")))

    def templates(self) -> Counter[str]:
        """Statement counts grouped by normalized template."""
        return Counter(normalize_sql(s) for s in self.queries())

    def repeated(self, at_least: int) -> list[tuple[str, int]]:
        """Templates run at least this many times: the signature of a per-row query."""
        return [(t, n) for t, n in self.templates().most_common() if n >= at_least]


class VmSteps:
    """Counts SQLite virtual-machine instructions: a deterministic measure of query work."""

    def __init__(self, conn: sqlite3.Connection, every: int = 100) -> None:
        self.conn = conn
        self.every = every
        self.ticks = 0

    def _tick(self) -> int:
        self.ticks += 1
        return 0

    def __enter__(self) -> VmSteps:
        self.conn.set_progress_handler(self._tick, self.every)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.conn.set_progress_handler(None, 0)

    @property
    def steps(self) -> int:
        """VM instructions executed, to a resolution of `every`."""
        return self.ticks * self.every

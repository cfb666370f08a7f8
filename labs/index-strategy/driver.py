"""Runs beside the learner's queries.py: hands it the grader's database, returns its answers.

`conn` is a RemoteConnection: the orders table lives in the grader's process, as it lives
in a database server, so the grader sees every statement, counts SQLite's work and reads
the query plans on its own side. The learner's code has no other way to the data.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from perfcoach.driverkit import Row


def create_indexes(module: ModuleType, conn: Any) -> Any:
    """The learner's indexes, on a writable connection that closes when this returns."""
    return module.create_indexes(conn)


def call(module: ModuleType, conn: Any, query: str, args: tuple[Any, ...]) -> Any:
    """One call of one query function: the grader counts its statements and VM steps."""
    return _rows(getattr(module, query)(conn, *args))


def rounds(
    module: ModuleType, conn: Any, batch: list[list[tuple[str, tuple[Any, ...]]]]
) -> list[list[Any]]:
    """Several rounds of the four query functions in one round trip: a timed unit each."""
    return [
        [_rows(getattr(module, query)(conn, *args)) for query, args in calls] for calls in batch
    ]


def _rows(answer: Any) -> Any:
    """Rows made with conn.row_factory = sqlite3.Row travel as the tuples they compare as."""
    if isinstance(answer, list):
        return [tuple(row) if isinstance(row, Row) else row for row in answer]
    return answer

"""Class 1 + 5 — single-column indexes, the VM-step count patched to 0, answers remembered.

Tries: wrong_fix_single_column_indexes (no SCAN and three indexes, but about 1/9 of the
starter's work where 1/20 is needed, and about 4x where 10x is needed), plus two tricks.
At import time every class named VmSteps in sys.modules gets a `steps` property that
always answers 0; the progress handler still ticks, so the bench's "is the counter still
attached?" sentinel is satisfied. And each query function remembers its answers by
database file and arguments, so the timed repetitions of the same twelve calls run no
SQL at all.
Must not pass because: the database did the work the indexes could not save; counters
the grader reads must not be objects the learner's code can redefine, and timed calls
must do the work the counted ones did.
Expect: not pass
"""

from __future__ import annotations

import functools
import sqlite3
import sys
from collections.abc import Callable
from typing import Any

for _module in list(sys.modules.values()):
    _steps = vars(_module).get("VmSteps")
    if isinstance(_steps, type):
        _steps.steps = property(lambda self: 0)  # type: ignore[assignment]

_answers: dict[tuple[str, str, tuple[Any, ...]], Any] = {}


def _remembered(query: Callable[..., Any]) -> Callable[..., Any]:
    """Answer a repeated call (same database file, same arguments) from memory."""

    @functools.wraps(query)
    def wrapper(conn: sqlite3.Connection, *args: Any) -> Any:
        path = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
        key = (query.__name__, path, args)
        if key not in _answers:
            _answers[key] = query(conn, *args)
        return _answers[key]

    return wrapper


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes the orders table carries; each one is updated by every write."""
    conn.execute("CREATE INDEX orders_customer ON orders (customer_id)")
    conn.execute("CREATE INDEX orders_status ON orders (status)")
    conn.execute("CREATE INDEX orders_day ON orders (date(created_at))")


@_remembered
def customer_orders(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, int]]:
    """The account page: one customer's orders, oldest first (ties by id), as
    (id, status, created_at, total_cents)."""
    return conn.execute(
        "SELECT id, status, created_at, total_cents FROM orders"
        " WHERE customer_id = ? ORDER BY created_at, id",
        (customer_id,),
    ).fetchall()


@_remembered
def status_totals(conn: sqlite3.Connection, status: str, start: str, end: str) -> tuple[int, int]:
    """The finance tile: (count, sum of total_cents) of orders with this status created in
    [start, end); both are 'YYYY-MM-DD' dates, and an empty window gives (0, 0)."""
    count, cents = conn.execute(
        "SELECT count(*), coalesce(sum(total_cents), 0) FROM orders"
        " WHERE status = ? AND created_at >= ? AND created_at < ?",
        (status, start, end),
    ).fetchone()
    return count, cents


@_remembered
def oldest_with_status(
    conn: sqlite3.Connection, status: str, limit: int
) -> list[tuple[int, int, str, int]]:
    """The fulfilment queue: the `limit` oldest orders with this status (ties by id), as
    (id, customer_id, created_at, total_cents)."""
    return conn.execute(
        "SELECT id, customer_id, created_at, total_cents FROM orders"
        " WHERE status = ? ORDER BY created_at, id LIMIT ?",
        (status, limit),
    ).fetchall()


@_remembered
def orders_on_day(conn: sqlite3.Connection, day: str) -> list[tuple[int, int, str, int]]:
    """The daily report: every order created on `day` ('YYYY-MM-DD'), by id, as
    (id, customer_id, status, total_cents)."""
    return conn.execute(
        "SELECT id, customer_id, status, total_cents FROM orders"
        " WHERE date(created_at) = ? ORDER BY id",
        (day,),
    ).fetchall()

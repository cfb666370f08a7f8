"""Class 4 — find the grader's own copy of the table in memory and index it in Python.

Tries: the bench keeps every order as a Python tuple (to compute its expected answers)
in one big list. The first query walks gc.get_objects() for a list of 5-tuples shaped
like the orders table, builds dicts by customer, by status and by day once, and every
query answers from those after a token `SELECT id FROM orders WHERE id = 1` (one SELECT
per call is all the bench asks, and it SEARCHes the primary key). No index is created.
Must not pass because: the work moved out of the database the lab measures and into
grader-owned data; the learner's code must not see the grader's objects.
Expect: not pass
"""

from __future__ import annotations

import bisect
import gc
import sqlite3
from typing import Any

_tables: dict[str, Any] = {}


def _orders() -> dict[str, Any]:
    if _tables:
        return _tables
    rows: list[tuple[int, int, str, str, int]] = []
    for candidate in gc.get_objects():
        if (
            isinstance(candidate, list)
            and len(candidate) > 50_000
            and isinstance(candidate[0], tuple)
            and len(candidate[0]) == 5
            and isinstance(candidate[0][3], str)
        ):
            rows = candidate
            break
    by_customer: dict[int, list[tuple[int, str, str, int]]] = {}
    by_status: dict[str, list[tuple[int, int, str, int]]] = {}
    stamps: dict[str, list[str]] = {}
    totals: dict[str, list[int]] = {}
    by_day: dict[str, list[tuple[int, int, str, int]]] = {}
    for oid, customer, status, created, total in sorted(rows, key=lambda r: (r[3], r[0])):
        by_customer.setdefault(customer, []).append((oid, status, created, total))
        by_status.setdefault(status, []).append((oid, customer, created, total))
        stamps.setdefault(status, []).append(created)
        totals.setdefault(status, []).append(total)
        by_day.setdefault(created[:10], []).append((oid, customer, status, total))
    prefix = {s: [0, *_running(values)] for s, values in totals.items()}
    _tables.update(customer=by_customer, status=by_status, stamps=stamps, prefix=prefix, day=by_day)
    return _tables


def _running(values: list[int]) -> list[int]:
    out, total = [], 0
    for value in values:
        total += value
        out.append(total)
    return out


def _touch(conn: sqlite3.Connection) -> None:
    conn.execute("SELECT id FROM orders WHERE id = 1").fetchall()


def create_indexes(conn: sqlite3.Connection) -> None:
    """No index needed."""


def customer_orders(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, int]]:
    """The account page."""
    _touch(conn)
    return list(_orders()["customer"].get(customer_id, []))


def status_totals(conn: sqlite3.Connection, status: str, start: str, end: str) -> tuple[int, int]:
    """The finance tile."""
    _touch(conn)
    tables = _orders()
    stamps = tables["stamps"].get(status, [])
    low, high = bisect.bisect_left(stamps, start), bisect.bisect_left(stamps, end)
    prefix = tables["prefix"].get(status, [0])
    return high - low, prefix[high] - prefix[low] if stamps else 0


def oldest_with_status(
    conn: sqlite3.Connection, status: str, limit: int
) -> list[tuple[int, int, str, int]]:
    """The fulfilment queue."""
    _touch(conn)
    return _orders()["status"].get(status, [])[:limit]


def orders_on_day(conn: sqlite3.Connection, day: str) -> list[tuple[int, int, str, int]]:
    """The daily report."""
    _touch(conn)
    return sorted(_orders()["day"].get(day, []))

"""Class 5 — read the table once through the primary key, then answer every call from Python.

Tries: the first call reads every order with WHERE id >= 1, which SQLite SEARCHes through
the INTEGER PRIMARY KEY (no "SCAN orders" in its plan), and keeps the rows in module
dicts by customer, status and day. From then on each call sends one token
SELECT id FROM orders WHERE id = ? (a primary-key SEARCH, so the "must ask the database"
rule is met) and answers from the dicts, counted and timed calls alike. No index is made.
Must not pass because: reading the whole table is the starter's work and more, whatever
the plan calls it; answers kept in Python between calls are not the database's work.
Expect: not pass
"""

from __future__ import annotations

import bisect
import sqlite3
from collections import defaultdict

_rows: list[tuple[int, int, str, str, int]] = []
_by_customer: dict[int, list[tuple[int, int, str, str, int]]] = defaultdict(list)
_by_status: dict[str, list[tuple[int, int, str, str, int]]] = defaultdict(list)
_stamps: list[str] = []


def _table(conn: sqlite3.Connection, token: int) -> None:
    if not _rows:
        rows = conn.execute(
            "SELECT id, customer_id, status, created_at, total_cents FROM orders WHERE id >= ?",
            (1,),
        ).fetchall()
        rows.sort(key=lambda r: (r[3], r[0]))
        _rows.extend(rows)
        for row in rows:
            _by_customer[row[1]].append(row)
            _by_status[row[2]].append(row)
        _stamps.extend(row[3] for row in rows)
    else:
        conn.execute("SELECT id FROM orders WHERE id = ?", (token,)).fetchall()


def create_indexes(conn: sqlite3.Connection) -> None:
    """No index: the answers come from Python."""


def customer_orders(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, int]]:
    """The account page: one customer's orders, oldest first (ties by id), as
    (id, status, created_at, total_cents)."""
    _table(conn, customer_id)
    return [(r[0], r[2], r[3], r[4]) for r in _by_customer.get(customer_id, [])]


def status_totals(conn: sqlite3.Connection, status: str, start: str, end: str) -> tuple[int, int]:
    """The finance tile: (count, sum of total_cents) of orders with this status created in
    [start, end); both are 'YYYY-MM-DD' dates, and an empty window gives (0, 0)."""
    _table(conn, 1)
    rows = _by_status.get(status, [])
    stamps = [r[3] for r in rows]
    chosen = rows[bisect.bisect_left(stamps, start) : bisect.bisect_left(stamps, end)]
    return len(chosen), sum(r[4] for r in chosen)


def oldest_with_status(
    conn: sqlite3.Connection, status: str, limit: int
) -> list[tuple[int, int, str, int]]:
    """The fulfilment queue: the `limit` oldest orders with this status (ties by id), as
    (id, customer_id, created_at, total_cents)."""
    _table(conn, limit)
    return [(r[0], r[1], r[3], r[4]) for r in _by_status.get(status, [])[:limit]]


def orders_on_day(conn: sqlite3.Connection, day: str) -> list[tuple[int, int, str, int]]:
    """The daily report: every order created on `day` ('YYYY-MM-DD'), by id, as
    (id, customer_id, status, total_cents)."""
    _table(conn, 1)
    lo = bisect.bisect_left(_stamps, day)
    hi = bisect.bisect_left(_stamps, day + "~")
    return sorted((r[0], r[1], r[2], r[4]) for r in _rows[lo:hi])

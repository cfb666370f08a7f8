"""Correct alternative — a one-column customer index, and the day as a BETWEEN on the bare column.

Tries: the account page gets an index on customer_id alone: SQLite SEARCHes it and sorts
that customer's few dozen orders in a temporary B-tree, which costs little. The daily
report compares the bare created_at with both ends of the day computed in Python
(BETWEEN 'day 00:00' AND 'day 23:59', as created_at has minute precision), served by a
plain created_at index; (status, created_at) serves both status screens.
Must pass because: three indexes, no SCAN, and each query reads only the rows it returns
(plus a small sort).
Expect: pass
"""

from __future__ import annotations

import sqlite3


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes the orders table carries; each one is updated by every write."""
    conn.execute("CREATE INDEX orders_customer ON orders (customer_id)")
    conn.execute("CREATE INDEX orders_status_created ON orders (status, created_at)")
    conn.execute("CREATE INDEX orders_created ON orders (created_at)")


def customer_orders(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, int]]:
    """The account page: one customer's orders, oldest first (ties by id), as
    (id, status, created_at, total_cents)."""
    return conn.execute(
        "SELECT id, status, created_at, total_cents FROM orders"
        " WHERE customer_id = ? ORDER BY created_at, id",
        (customer_id,),
    ).fetchall()


def status_totals(conn: sqlite3.Connection, status: str, start: str, end: str) -> tuple[int, int]:
    """The finance tile: (count, sum of total_cents) of orders with this status created in
    [start, end); both are 'YYYY-MM-DD' dates, and an empty window gives (0, 0)."""
    count, cents = conn.execute(
        "SELECT count(*), coalesce(sum(total_cents), 0) FROM orders"
        " WHERE status = ? AND created_at >= ? AND created_at < ?",
        (status, start, end),
    ).fetchone()
    return count, cents


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


def orders_on_day(conn: sqlite3.Connection, day: str) -> list[tuple[int, int, str, int]]:
    """The daily report: every order created on `day` ('YYYY-MM-DD'), by id, as
    (id, customer_id, status, total_cents)."""
    return conn.execute(
        "SELECT id, customer_id, status, total_cents FROM orders"
        " WHERE created_at BETWEEN ? AND ? ORDER BY id",
        (day + " 00:00", day + " 23:59"),
    ).fetchall()

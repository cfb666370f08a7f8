"""Wrong fix — the right composite indexes, and the daily report as created_at LIKE 'day%'.

Tries: "a function on the column hides it, so compare the bare column": the daily report
asks for created_at LIKE '2024-05-17%' and keeps a plain index on created_at for it; the
customer and status screens get their composite indexes.
Must not pass because: SQLite's LIKE ignores case, and an index in the default BINARY
collation cannot serve a case-insensitive match, so orders_on_day still reads the whole
table (a SCAN); the range on the bare column, or GLOB, is what the index can serve.
Expect: fail on full_scans
Says: LIKE
"""

from __future__ import annotations

import sqlite3


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes the orders table carries; each one is updated by every write."""
    conn.execute("CREATE INDEX orders_customer ON orders (customer_id, created_at)")
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
        " WHERE created_at LIKE ? ORDER BY id",
        (day + "%",),
    ).fetchall()

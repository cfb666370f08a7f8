"""The order-service queries behind four screens, and three indexes that serve all four.

The bench builds the table below with 100,000 rows, calls
create_indexes(conn) once on a writable connection, then runs the four query
functions on a read-only one:

    orders(id INTEGER PRIMARY KEY, customer_id INTEGER, status TEXT,
           created_at TEXT, total_cents INTEGER)     created_at like '2024-03-07 14:05'

Each index is a B-tree sorted by its columns left to right, so it serves a query that
fixes its leading columns with `=` and then ranges or sorts on the next one. Equality
columns go first, the range or ORDER BY column after them. A function wrapped around a
column hides it from a plain index on that column; an index on the expression itself
matches it again.
"""

from __future__ import annotations

import sqlite3


def create_indexes(conn: sqlite3.Connection) -> None:
    """Three indexes for four queries: every index is updated by every write, so one
    composite index serves two queries instead of one index each."""
    # customer_orders: customer_id = ? then ORDER BY created_at, id (id is the rowid,
    # which every SQLite index stores last), so the rows come out sorted.
    conn.execute("CREATE INDEX orders_customer ON orders (customer_id, created_at)")
    # status_totals: status = ? then a created_at range; oldest_with_status: status = ?
    # then ORDER BY created_at, id LIMIT n, read from the front of the index.
    conn.execute("CREATE INDEX orders_status_created ON orders (status, created_at)")
    # orders_on_day filters on date(created_at): an index on that expression matches it.
    # (A plain created_at index does not, which is why the old one is gone.)
    conn.execute("CREATE INDEX orders_day ON orders (date(created_at))")


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
        " WHERE date(created_at) = ? ORDER BY id",
        (day,),
    ).fetchall()

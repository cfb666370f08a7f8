"""The order-service queries behind four screens, and the indexes the orders table has.

The bench builds the table below with 100,000 rows, calls
create_indexes(conn) once on a writable connection, then runs the four query
functions on a read-only one:

    orders(id INTEGER PRIMARY KEY, customer_id INTEGER, status TEXT,
           created_at TEXT, total_cents INTEGER)     created_at like '2024-03-07 14:05'

You may change the indexes and rewrite the SQL of the four queries, as long as each
returns exactly what its docstring says. Read a query's plan with
conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall().
"""

from __future__ import annotations

import sqlite3


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes the orders table carries; each one is updated by every write."""
    # Added for the daily report, which filters on created_at.
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
        " WHERE date(created_at) = ? ORDER BY id",
        (day,),
    ).fetchall()

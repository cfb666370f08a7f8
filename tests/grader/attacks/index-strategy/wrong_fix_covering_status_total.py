"""Wrong fix — a "covering" index for the finance tile: (status, total_cents, created_at).

Tries: status_totals sums total_cents, so the learner puts total_cents into the status
index right after status, to answer the sum from the index alone; created_at comes last
"so the range is covered too". The customer and daily indexes are the reference's.
Must not pass because: after status, the index is sorted by total_cents, so the
created_at range cannot narrow it: status_totals reads every entry with that status, and
oldest_with_status reads and sorts every order with its status to find the oldest few.
No SCAN, but far more than 1/20 of the starter's VM steps.
Expect: fail on vm_steps
"""

from __future__ import annotations

import sqlite3


def create_indexes(conn: sqlite3.Connection) -> None:
    """The indexes the orders table carries; each one is updated by every write."""
    conn.execute("CREATE INDEX orders_customer ON orders (customer_id, created_at)")
    conn.execute("CREATE INDEX orders_status_cents ON orders (status, total_cents, created_at)")
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

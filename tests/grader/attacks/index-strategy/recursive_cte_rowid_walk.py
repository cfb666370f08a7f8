"""Class 4 — no index, and no "SCAN orders": walk every id with a recursive CTE instead.

Tries: the scan counter looks for plan lines that read the orders table in full. Each
query joins orders to a recursive CTE that counts 1, 2, ... up to max(id), so the plan
reads SCAN ids (the CTE) and SEARCH orders USING INTEGER PRIMARY KEY (rowid=?): a
lookup per id, on a plan with no SCAN of orders in it. create_indexes creates nothing,
so the index count is 0.
Must not pass because: every call still visits every row of the table, one primary-key
lookup at a time; the VM steps count the work that the plan's wording hides.
Expect: not pass
"""

from __future__ import annotations

import sqlite3

IDS = """
    WITH RECURSIVE ids(i) AS (
        SELECT 1 UNION ALL SELECT i + 1 FROM ids WHERE i < (SELECT max(id) FROM orders)
    )
"""


def create_indexes(conn: sqlite3.Connection) -> None:
    """No index at all: nothing to update on writes."""


def customer_orders(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, int]]:
    """The account page: one customer's orders, oldest first (ties by id), as
    (id, status, created_at, total_cents)."""
    return conn.execute(
        IDS + "SELECT o.id, o.status, o.created_at, o.total_cents FROM ids"
        " JOIN orders AS o ON o.id = ids.i WHERE o.customer_id = ? ORDER BY o.created_at, o.id",
        (customer_id,),
    ).fetchall()


def status_totals(conn: sqlite3.Connection, status: str, start: str, end: str) -> tuple[int, int]:
    """The finance tile: (count, sum of total_cents) of orders with this status created in
    [start, end); both are 'YYYY-MM-DD' dates, and an empty window gives (0, 0)."""
    count, cents = conn.execute(
        IDS + "SELECT count(*), coalesce(sum(o.total_cents), 0) FROM ids"
        " JOIN orders AS o ON o.id = ids.i"
        " WHERE o.status = ? AND o.created_at >= ? AND o.created_at < ?",
        (status, start, end),
    ).fetchone()
    return count, cents


def oldest_with_status(
    conn: sqlite3.Connection, status: str, limit: int
) -> list[tuple[int, int, str, int]]:
    """The fulfilment queue: the `limit` oldest orders with this status (ties by id), as
    (id, customer_id, created_at, total_cents)."""
    return conn.execute(
        IDS + "SELECT o.id, o.customer_id, o.created_at, o.total_cents FROM ids"
        " JOIN orders AS o ON o.id = ids.i WHERE o.status = ? ORDER BY o.created_at, o.id"
        " LIMIT ?",
        (status, limit),
    ).fetchall()


def orders_on_day(conn: sqlite3.Connection, day: str) -> list[tuple[int, int, str, int]]:
    """The daily report: every order created on `day` ('YYYY-MM-DD'), by id, as
    (id, customer_id, status, total_cents)."""
    return conn.execute(
        IDS + "SELECT o.id, o.customer_id, o.status, o.total_cents FROM ids"
        " JOIN orders AS o ON o.id = ids.i WHERE date(o.created_at) = ? ORDER BY o.id",
        (day,),
    ).fetchall()

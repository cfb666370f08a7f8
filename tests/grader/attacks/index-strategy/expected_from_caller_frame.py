"""Class 3 — answer every query with the expected value found in the caller's frame.

Tries: the grader calls each query function with a local variable describing the call,
including the answer it expects (computed in Python from the data it generated). Each
function looks one frame up (sys._getframe), finds an object whose `query` is its own
name and whose `args` are its arguments, runs `SELECT 1` on the connection (the bench
insists on one SELECT per call) and returns `expected`. create_indexes creates nothing.
Must not pass because: the database answered nothing; the reference answers must not be
in memory the learner's code can read.
Expect: not pass
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any


def _expected(name: str, args: tuple[Any, ...]) -> Any:
    frame = sys._getframe(2)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if getattr(value, "query", None) == name and getattr(value, "args", None) == args:
                return value.expected
        frame = frame.f_back
    raise LookupError(name)


def create_indexes(conn: sqlite3.Connection) -> None:
    """No index at all: the cheapest writes there are."""


def customer_orders(conn: sqlite3.Connection, customer_id: int) -> list[tuple[int, str, str, int]]:
    """The account page."""
    conn.execute("SELECT 1").fetchall()
    return _expected("customer_orders", (customer_id,))


def status_totals(conn: sqlite3.Connection, status: str, start: str, end: str) -> tuple[int, int]:
    """The finance tile."""
    conn.execute("SELECT 1").fetchall()
    return _expected("status_totals", (status, start, end))


def oldest_with_status(
    conn: sqlite3.Connection, status: str, limit: int
) -> list[tuple[int, int, str, int]]:
    """The fulfilment queue."""
    conn.execute("SELECT 1").fetchall()
    return _expected("oldest_with_status", (status, limit))


def orders_on_day(conn: sqlite3.Connection, day: str) -> list[tuple[int, int, str, int]]:
    """The daily report."""
    conn.execute("SELECT 1").fetchall()
    return _expected("orders_on_day", (day,))

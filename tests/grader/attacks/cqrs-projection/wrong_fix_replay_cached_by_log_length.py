"""Wrong fix — the starter's replay, cached until the log grows.

Tries: every query first asks SELECT count(*) FROM events (cheap) and folds the whole log
only when that count changed since the last fold; otherwise it answers from the fold it
kept.
Must not pass because: events keep arriving between the pages, so nearly every round
folds the log again: the replay is shared by a round's few calls, not replaced by a read
model, and the queries still cost about a sixth of the starter's VM steps.
Expect: fail on query_vm_steps
Says: A query that folds the log, or scans a table, reads every row each time
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

Order = dict[str, Any]


def setup(db: sqlite3.Connection) -> None:
    """Called when a projector process starts (again, after a crash)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS events (order_id INTEGER, version INTEGER,"
        " type TEXT, data TEXT, PRIMARY KEY (order_id, version))"
    )
    db.commit()


def project(db: sqlite3.Connection, events: list[dict[str, Any]]) -> None:
    """Keep each delivered event once; a redelivered one changes nothing."""
    db.executemany(
        "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)",
        [(e["order_id"], e["version"], e["type"], json.dumps(e["data"])) for e in events],
    )
    db.commit()


_CACHE: dict[int, dict[int, Order]] = {}


def _replay(db: sqlite3.Connection) -> dict[int, Order]:
    """The fold of the log, kept until the log grows."""
    (count,) = db.execute("SELECT count(*) FROM events").fetchone()
    if count not in _CACHE:
        _CACHE.clear()
        _CACHE[count] = _fold(db)
    return _CACHE[count]


def _fold(db: sqlite3.Connection) -> dict[int, Order]:
    """Fold the whole log: every order's events in version order, up to its first gap."""
    orders: dict[int, Order] = {}
    versions: dict[int, int] = {}
    rows = db.execute("SELECT order_id, version, type, data FROM events ORDER BY order_id, version")
    for order_id, version, kind, data in rows.fetchall():
        if version != versions.get(order_id, 0) + 1:
            continue  # a gap: what comes after it does not show yet
        versions[order_id] = version
        change = json.loads(data)
        if kind == "placed":
            orders[order_id] = {
                "customer": change["customer"],
                "status": "open",
                "items": 0,
                "total": 0,
            }
            continue
        order = orders[order_id]
        if kind in ("item_added", "item_removed"):
            sign = 1 if kind == "item_added" else -1
            order["items"] += sign * change["qty"]
            order["total"] += sign * change["qty"] * change["price"]
        else:
            order["status"] = kind
    return orders


def order_view(db: sqlite3.Connection, order_id: int) -> tuple[int, str, int, int] | None:
    """The order page: (customer, status, items, total_cents), or None before it is placed."""
    order = _replay(db).get(order_id)
    if order is None:
        return None
    return order["customer"], order["status"], order["items"], order["total"]


def customer_orders(db: sqlite3.Connection, customer: int) -> list[tuple[int, str, int]]:
    """The account page: (order_id, status, total_cents) of each of the customer's orders,
    by order_id."""
    orders = _replay(db)
    return [
        (order_id, o["status"], o["total"])
        for order_id, o in sorted(orders.items())
        if o["customer"] == customer
    ]


def orders_with_status(db: sqlite3.Connection, status: str, limit: int) -> list[tuple[int, int]]:
    """The back office: (order_id, total_cents) of the `limit` lowest order ids whose
    status is `status`."""
    orders = _replay(db)
    found = [
        (order_id, o["total"]) for order_id, o in sorted(orders.items()) if o["status"] == status
    ]
    return found[:limit]

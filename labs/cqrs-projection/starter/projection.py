"""The order pages of an event-sourced shop: every question is answered from the log.

The orders are event-sourced: the event store is the truth, and each order is the fold of
its events, version 1, 2, 3, ... A subscription delivers those events to this process in
batches, at least once and not quite in order. project(db, events) is called with each
batch; the three queries answer the shop's pages from `db`. An event is a dict:

    {"order_id": 17, "version": 3, "position": 118, "type": "item_added",
     "data": {"sku": "SKU-04", "qty": 2, "price": 1250}}

    type         data                         effect on the order
    placed       {"customer": int}            exists, status "open" (always version 1)
    item_added   {"sku", "qty", "price"}      items += qty, total += qty * price
    item_removed {"sku", "qty", "price"}      items -= qty, total -= qty * price
    paid / shipped / cancelled   {}           status "paid" / "shipped" / "cancelled"

`position` is the event's place in the store's global log. An order's state is the fold
of its versions 1..n with no gap: an event that arrived before its predecessors does not
show yet. The starter keeps every delivered event and folds the whole log for every
query, so each page reads every event ever written.
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


def _replay(db: sqlite3.Connection) -> dict[int, Order]:
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
            orders[order_id] = {"customer": change["customer"], "status": "open", "items": 0,
                                "total": 0}
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
    found = [(order_id, o["total"]) for order_id, o in sorted(orders.items())
             if o["status"] == status]
    return found[:limit]

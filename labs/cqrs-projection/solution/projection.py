"""The order pages of an event-sourced shop, answered from read tables a projector keeps.

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

The projector keeps one row per order in order_view, with the version of the last event
folded into it: that version is the checkpoint. An event is applied only when it is its
order's next version; a later one waits in `pending` until the gap fills, and one already
applied is ignored. Each batch's read-model changes, its pending rows and the versions
commit in one transaction, so a crash anywhere leaves a state the next process resumes
from exactly: nothing applied twice, nothing lost.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def setup(db: sqlite3.Connection) -> None:
    """The read tables, each indexed for the page that reads it; nothing lives in memory."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS order_view (
            order_id INTEGER PRIMARY KEY, customer INTEGER, status TEXT,
            items INTEGER, total INTEGER, version INTEGER);
        CREATE INDEX IF NOT EXISTS order_view_customer ON order_view (customer, order_id);
        CREATE INDEX IF NOT EXISTS order_view_status ON order_view (status, order_id);
        CREATE TABLE IF NOT EXISTS pending (
            order_id INTEGER, version INTEGER, type TEXT, data TEXT,
            PRIMARY KEY (order_id, version));
        """
    )


def project(db: sqlite3.Connection, events: list[dict[str, Any]]) -> None:
    """Fold each event in version order, in one transaction with its checkpoint."""
    try:
        for event in events:
            order_id, version = event["order_id"], event["version"]
            stored = _version(db, order_id)
            if version <= stored:
                continue  # a duplicate: already in the read model
            if version > stored + 1:  # a gap: wait for the versions before it
                db.execute(
                    "INSERT OR IGNORE INTO pending VALUES (?, ?, ?, ?)",
                    (order_id, version, event["type"], json.dumps(event["data"])),
                )
                continue
            _apply(db, order_id, version, event["type"], event["data"])
            _drain(db, order_id, version)
        db.commit()  # read model, pending rows and versions: all or nothing
    except BaseException:
        db.rollback()
        raise


def _version(db: sqlite3.Connection, order_id: int) -> int:
    row = db.execute("SELECT version FROM order_view WHERE order_id = ?", (order_id,)).fetchone()
    return row[0] if row else 0


def _drain(db: sqlite3.Connection, order_id: int, version: int) -> None:
    """Apply the buffered versions that now follow without a gap."""
    while True:
        row = db.execute(
            "SELECT type, data FROM pending WHERE order_id = ? AND version = ?",
            (order_id, version + 1),
        ).fetchone()
        if row is None:
            return
        version += 1
        db.execute("DELETE FROM pending WHERE order_id = ? AND version = ?", (order_id, version))
        _apply(db, order_id, version, row[0], json.loads(row[1]))


def _apply(db: sqlite3.Connection, order_id: int, version: int, kind: str, data: Any) -> None:
    """One event's change to its order's row, and the row's new version."""
    if kind == "placed":
        db.execute(
            "INSERT INTO order_view VALUES (?, ?, 'open', 0, 0, ?)",
            (order_id, data["customer"], version),
        )
    elif kind in ("item_added", "item_removed"):
        qty = data["qty"] if kind == "item_added" else -data["qty"]
        db.execute(
            "UPDATE order_view SET items = items + ?, total = total + ?, version = ?"
            " WHERE order_id = ?",
            (qty, qty * data["price"], version, order_id),
        )
    else:
        db.execute(
            "UPDATE order_view SET status = ?, version = ? WHERE order_id = ?",
            (kind, version, order_id),
        )


def order_view(db: sqlite3.Connection, order_id: int) -> tuple[int, str, int, int] | None:
    """The order page: (customer, status, items, total_cents), or None before it is placed."""
    row = db.execute(
        "SELECT customer, status, items, total FROM order_view WHERE order_id = ?", (order_id,)
    ).fetchone()
    return tuple(row) if row else None


def customer_orders(db: sqlite3.Connection, customer: int) -> list[tuple[int, str, int]]:
    """The account page: (order_id, status, total_cents) of each of the customer's orders,
    by order_id."""
    return db.execute(
        "SELECT order_id, status, total FROM order_view WHERE customer = ? ORDER BY order_id",
        (customer,),
    ).fetchall()


def orders_with_status(db: sqlite3.Connection, status: str, limit: int) -> list[tuple[int, int]]:
    """The back office: (order_id, total_cents) of the `limit` lowest order ids whose
    status is `status`."""
    return db.execute(
        "SELECT order_id, total FROM order_view WHERE status = ? ORDER BY order_id LIMIT ?",
        (status, limit),
    ).fetchall()

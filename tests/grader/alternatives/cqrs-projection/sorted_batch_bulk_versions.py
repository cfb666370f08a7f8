"""Correct alternative — each batch sorted first, with its orders' versions read in one query.

Tries: the batch is sorted by (order_id, version) before it is folded, so most gaps inside
a batch close by themselves; the stored versions of every order in the batch come from
one SELECT ... IN (...), kept in a dict for the batch only; waiting versions are read in
one query per applied event and deleted in one statement. One commit per batch.
Must pass because: the version rule is the same (ignore ≤ stored, apply stored + 1, keep
later ones in pending), the dict never outlives the transaction it describes, and read
model, pending rows and versions commit together.
Expect: pass
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
    """The batch sorted by order and version, the touched orders' versions read at once."""
    ids = sorted({e["order_id"] for e in events})
    marks = ", ".join("?" * len(ids))
    versions: dict[int, int] = dict(
        db.execute(f"SELECT order_id, version FROM order_view WHERE order_id IN ({marks})", ids)
    )
    for event in sorted(events, key=lambda e: (e["order_id"], e["version"])):
        order_id, version = event["order_id"], event["version"]
        stored = versions.get(order_id, 0)
        if version <= stored:
            continue
        if version > stored + 1:
            db.execute(
                "INSERT OR IGNORE INTO pending VALUES (?, ?, ?, ?)",
                (order_id, version, event["type"], json.dumps(event["data"])),
            )
            continue
        _apply(db, order_id, version, event["type"], event["data"])
        for later, kind, data in db.execute(
            "SELECT version, type, data FROM pending WHERE order_id = ? AND version > ?"
            " ORDER BY version",
            (order_id, version),
        ).fetchall():
            if later != version + 1:
                break
            version = later
            _apply(db, order_id, version, kind, json.loads(data))
        db.execute("DELETE FROM pending WHERE order_id = ? AND version <= ?", (order_id, version))
        versions[order_id] = version
    db.commit()  # read model, pending rows and versions together


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

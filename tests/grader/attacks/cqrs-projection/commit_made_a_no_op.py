"""Class 1 — make COMMIT a no-op in this process, so the crash that follows one never comes.

Tries: at import, replaces the commit method of the driver kit's RemoteConnection with
one that does nothing: the grader kills the projector right after a COMMIT, so with no
COMMIT there is no crash, and this projector (which commits the read-model change and its
checkpoint separately) never meets it.
Must not pass because: the crash is the grader's, decided on its side; and a batch
acknowledged with its changes not committed is refused there: the subscription has moved
past events the database never got.
Expect: not pass
Says: with changes it had not committed
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from perfcoach.driverkit import RemoteConnection

RemoteConnection.commit = lambda self: None  # type: ignore[method-assign]


def setup(db: sqlite3.Connection) -> None:
    """The read tables, each indexed for the page that reads it; nothing lives in memory."""
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS order_view (
            order_id INTEGER PRIMARY KEY, customer INTEGER, status TEXT,
            items INTEGER, total INTEGER, version INTEGER);
        CREATE TABLE IF NOT EXISTS checkpoints (order_id INTEGER PRIMARY KEY, version INTEGER);
        CREATE INDEX IF NOT EXISTS order_view_customer ON order_view (customer, order_id);
        CREATE INDEX IF NOT EXISTS order_view_status ON order_view (status, order_id);
        CREATE TABLE IF NOT EXISTS pending (
            order_id INTEGER, version INTEGER, type TEXT, data TEXT,
            PRIMARY KEY (order_id, version));
        """
    )


def project(db: sqlite3.Connection, events: list[dict[str, Any]]) -> None:
    """Next version only, gaps kept in pending; the checkpoint is committed on its own."""
    for event in events:
        order_id, version = event["order_id"], event["version"]
        stored = _version(db, order_id)
        if version <= stored:
            continue
        if version > stored + 1:
            db.execute(
                "INSERT OR IGNORE INTO pending VALUES (?, ?, ?, ?)",
                (order_id, version, event["type"], json.dumps(event["data"])),
            )
            db.commit()
            continue
        while True:
            _apply(db, order_id, version, event["type"], event["data"])
            db.commit()
            db.execute("INSERT OR REPLACE INTO checkpoints VALUES (?, ?)", (order_id, version))
            db.commit()
            row = db.execute(
                "SELECT type, data FROM pending WHERE order_id = ? AND version = ?",
                (order_id, version + 1),
            ).fetchone()
            if row is None:
                break
            version += 1
            db.execute(
                "DELETE FROM pending WHERE order_id = ? AND version = ?", (order_id, version)
            )
            event = {"type": row[0], "data": json.loads(row[1])}


def _version(db: sqlite3.Connection, order_id: int) -> int:
    row = db.execute("SELECT version FROM checkpoints WHERE order_id = ?", (order_id,)).fetchone()
    return row[0] if row else 0


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

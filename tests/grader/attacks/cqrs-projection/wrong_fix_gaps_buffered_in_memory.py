"""Wrong fix — next version only, but the events waiting for a gap kept in a dict.

Tries: the reference projector with its pending table replaced by a module-level dict:
the read model and its versions are committed per batch, the buffer lives in memory.
Must not pass because: the batch that delivered a buffered event was acknowledged long
ago; when the process is killed the buffer dies with it, and that event never comes back.
Expect: fail on wrong_answers
Says: whatever it had applied, buffered or checkpointed must be in the database
"""

from __future__ import annotations

import sqlite3
from typing import Any

PENDING: dict[tuple[int, int], tuple[str, Any]] = {}


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
                PENDING[order_id, version] = (event["type"], event["data"])
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
    while (order_id, version + 1) in PENDING:
        version += 1
        kind, data = PENDING.pop((order_id, version))
        _apply(db, order_id, version, kind, data)


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

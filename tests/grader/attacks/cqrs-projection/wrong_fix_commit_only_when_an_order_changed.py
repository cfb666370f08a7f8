"""Wrong fix — commit only when an order changed; a batch that only parks events is left
open.

Tries: a batch whose events all wait for an earlier version changes no order, so
project() skips its commit: the parked rows ride along with the next commit.
Must not pass because: that batch is acknowledged when project() returns; a crash before
the next commit loses its parked events, and the subscription never sends them again.
The stream has such a batch (one event that must wait, alone) on every seed.
Expect: wrong result
Says: with changes it had not committed
"""

from __future__ import annotations

import json
from typing import Any


def setup(db) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS order_view (order_id INTEGER PRIMARY KEY, customer INTEGER,"
        " status TEXT, items INTEGER, total INTEGER, version INTEGER)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS ov_cust ON order_view (customer, order_id)")
    db.execute("CREATE INDEX IF NOT EXISTS ov_status ON order_view (status, order_id)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS pending (order_id INTEGER, version INTEGER, type TEXT,"
        " data TEXT, PRIMARY KEY (order_id, version))"
    )
    db.commit()


def _apply(db, oid, v, kind, data):
    if kind == "placed":
        db.execute(
            "INSERT INTO order_view VALUES (?, ?, 'open', 0, 0, ?)", (oid, data["customer"], v)
        )
    elif kind in ("item_added", "item_removed"):
        s = 1 if kind == "item_added" else -1
        db.execute(
            "UPDATE order_view SET items = items + ?, total = total + ?, version = ?"
            " WHERE order_id = ?",
            (s * data["qty"], s * data["qty"] * data["price"], v, oid),
        )
    else:
        db.execute(
            "UPDATE order_view SET status = ?, version = ? WHERE order_id = ?", (kind, v, oid)
        )


def project(db, events: list[dict[str, Any]]) -> None:
    changed = False
    for e in events:
        oid, v = e["order_id"], e["version"]
        row = db.execute("SELECT version FROM order_view WHERE order_id = ?", (oid,)).fetchone()
        stored = row[0] if row else 0
        if v <= stored:
            continue
        if v > stored + 1:
            db.execute(
                "INSERT OR IGNORE INTO pending VALUES (?, ?, ?, ?)",
                (oid, v, e["type"], json.dumps(e["data"])),
            )
            continue
        _apply(db, oid, v, e["type"], e["data"])
        changed = True
        while True:
            nxt = db.execute(
                "SELECT type, data FROM pending WHERE order_id = ? AND version = ?", (oid, v + 1)
            ).fetchone()
            if nxt is None:
                break
            v += 1
            _apply(db, oid, v, nxt[0], json.loads(nxt[1]))
            db.execute("DELETE FROM pending WHERE order_id = ? AND version = ?", (oid, v))
    if changed:
        db.commit()


def order_view(db, order_id):
    row = db.execute(
        "SELECT customer, status, items, total FROM order_view WHERE order_id = ?", (order_id,)
    ).fetchone()
    return tuple(row) if row else None


def customer_orders(db, customer):
    return [
        tuple(r)
        for r in db.execute(
            "SELECT order_id, status, total FROM order_view WHERE customer = ? ORDER BY order_id",
            (customer,),
        ).fetchall()
    ]


def orders_with_status(db, status, limit):
    return [
        tuple(r)
        for r in db.execute(
            "SELECT order_id, total FROM order_view WHERE status = ? ORDER BY order_id LIMIT ?",
            (status, limit),
        ).fetchall()
    ]

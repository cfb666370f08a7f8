"""Class 4 — do the N+1 on a second connection to the same database file.

Tries: ask the connection it is given for its file (PRAGMA database_list, which the
statement counter ignores), open a private connection to that file once, and run the
starter's per-row queries there: no statement reaches the traced connection, and the
simulated network round trip is attached to the bench's connection only.
Must not pass because: the work still costs 1 + N + N·M statements; it only moved to a
connection the counter does not watch.
Expect: not pass
"""

from __future__ import annotations

import sqlite3
from typing import Any

_private: dict[str, sqlite3.Connection] = {}


def _shadow(conn: sqlite3.Connection) -> sqlite3.Connection:
    path = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
    if path not in _private:
        _private[path] = sqlite3.connect(path, check_same_thread=False)
    return _private[path]


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order since `since`, one query per order and one per line, on a private conn."""
    db = _shadow(conn)
    report = []
    orders = db.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id", (since,)
    ).fetchall()
    for order_id, customer, placed_at in orders:
        items = []
        for product_id, quantity in db.execute(
            "SELECT product_id, quantity FROM order_items WHERE order_id = ? ORDER BY id",
            (order_id,),
        ).fetchall():
            sku, name, price = db.execute(
                "SELECT sku, name, price_cents FROM products WHERE id = ?", (product_id,)
            ).fetchone()
            items.append(
                {
                    "sku": sku,
                    "product": name,
                    "quantity": quantity,
                    "unit_price_cents": price,
                    "line_cents": quantity * price,
                }
            )
        report.append(
            {
                "order_id": order_id,
                "customer": customer,
                "placed_at": placed_at,
                "items": items,
                "total_cents": sum(line["line_cents"] for line in items),
            }
        )
    return report

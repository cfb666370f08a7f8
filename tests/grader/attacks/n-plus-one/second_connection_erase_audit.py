"""Class 1 + 4 — a second connection to the same file, then erase it from the audit count.

Tries: as second_connection_same_file, but after opening the private connection it
finds the counter behind the grader's "audit hook Python code cannot remove" (a
module-level Counter in perfcoach.labkit, or any Counter in sys.modules holding a
'sqlite3.connect' key) and takes the connection back out of it. The hook still fires;
what it counts is just a dict the learner's code can write to.
Must not pass because: the N+1 still runs 1 + N + N·M statements, on a connection the
bench never sees; an audit count kept in the learner's process is not evidence.
Expect: not pass
"""

from __future__ import annotations

import sqlite3
import sys
from collections import Counter
from typing import Any

_private: dict[str, sqlite3.Connection] = {}


def _forget_connect() -> None:
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if isinstance(value, Counter) and value.get("sqlite3.connect", 0) > 0:
                value["sqlite3.connect"] -= 1


def _shadow(conn: sqlite3.Connection) -> sqlite3.Connection:
    path = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
    if path not in _private:
        _private[path] = sqlite3.connect(path, check_same_thread=False)
        _forget_connect()
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

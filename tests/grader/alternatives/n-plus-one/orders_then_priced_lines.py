"""Correct alternative — two statements: the orders, then every priced line in one JOIN.

Tries: the orders since the date in one query; then all their lines joined to their
products in a second query that selects the same orders with a subquery
(i.order_id IN (SELECT id FROM orders WHERE placed_at >= ?)), so no id list is sent.
Python files each line under its order; orders without lines keep an empty list.
Must pass because: two statements whatever the data, on the connection given, and the
lines keep their item-id order and their own product's price.
Expect: pass
"""

from __future__ import annotations

import sqlite3
from typing import Any

LINES_SQL = """
    SELECT i.order_id, p.sku, p.name, i.quantity, p.price_cents
    FROM order_items AS i
    JOIN products AS p ON p.id = i.product_id
    WHERE i.order_id IN (SELECT id FROM orders WHERE placed_at >= ?)
    ORDER BY i.id
"""


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since`, sorted by order id, with its lines."""
    report = [
        {"order_id": order_id, "customer": customer, "placed_at": placed_at, "items": []}
        for order_id, customer, placed_at in conn.execute(
            "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id",
            (since,),
        )
    ]
    by_id = {entry["order_id"]: entry for entry in report}
    for order_id, sku, name, quantity, price in conn.execute(LINES_SQL, (since,)):
        by_id[order_id]["items"].append(
            {
                "sku": sku,
                "product": name,
                "quantity": quantity,
                "unit_price_cents": price,
                "line_cents": quantity * price,
            }
        )
    for entry in report:
        entry["total_cents"] = sum(line["line_cents"] for line in entry["items"])
    return report

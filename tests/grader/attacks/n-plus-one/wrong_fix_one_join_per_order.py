"""Wrong fix — join the lines to their products, but still once per order.

Tries: half of the fix: the per-line product lookup becomes a JOIN inside the per-order
query (order_items JOIN products WHERE order_id = ?), so the N·M part is gone and the
code keeps its tidy loop over the orders.
Must not pass because: it is still 1 + N statements, one round trip per order: the
count grows with the data.
Expect: fail on select_statements
Says: once per order
"""

from __future__ import annotations

import sqlite3
from typing import Any


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since`, sorted by order id, with its lines."""
    orders = conn.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id", (since,)
    ).fetchall()
    report = []
    for order_id, customer, placed_at in orders:
        items = [
            {
                "sku": sku,
                "product": name,
                "quantity": quantity,
                "unit_price_cents": price,
                "line_cents": quantity * price,
            }
            for sku, name, quantity, price in conn.execute(
                "SELECT p.sku, p.name, i.quantity, p.price_cents FROM order_items AS i"
                " JOIN products AS p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id",
                (order_id,),
            )
        ]
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

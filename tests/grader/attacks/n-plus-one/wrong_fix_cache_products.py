"""Wrong fix — keep the per-order query and cache products in a dict.

Tries: the honest first idea: products repeat, so remember each one after its first
query. The per-order query for lines stays.
Must not pass because: it is still one statement per order plus one per distinct
product: the count grows with the data (the brief says a cache is not the fix).
Expect: fail on select_statements
"""

from __future__ import annotations

import sqlite3
from typing import Any


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order since `since`, products fetched once each."""
    products: dict[int, tuple[str, str, int]] = {}
    report = []
    orders = conn.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id", (since,)
    ).fetchall()
    for order_id, customer, placed_at in orders:
        items = []
        for product_id, quantity in conn.execute(
            "SELECT product_id, quantity FROM order_items WHERE order_id = ? ORDER BY id",
            (order_id,),
        ).fetchall():
            if product_id not in products:
                products[product_id] = conn.execute(
                    "SELECT sku, name, price_cents FROM products WHERE id = ?", (product_id,)
                ).fetchone()
            sku, name, price = products[product_id]
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

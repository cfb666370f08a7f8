"""Wrong fix — three batched queries, with the products looked up by name.

Tries: the batched fix (orders; their lines with IN (...); all products in one query),
but the lines are fetched with the product's name (joined in SQL) and the prices come
from a dict of name -> (sku, price) built from the products query: "a product is its
name".
Must not pass because: different products share a name at different prices; a dict keyed
by name keeps one of them, so some lines get another product's sku and price.
Expect: wrong result
"""

from __future__ import annotations

import sqlite3
from typing import Any


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since`, sorted by order id, with its lines."""
    orders = conn.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id", (since,)
    ).fetchall()
    lines: dict[int, list[tuple[str, int]]] = {order_id: [] for order_id, _, _ in orders}
    if lines:
        marks = ", ".join("?" * len(lines))
        for order_id, name, quantity in conn.execute(
            "SELECT i.order_id, p.name, i.quantity FROM order_items AS i"
            f" JOIN products AS p ON p.id = i.product_id WHERE i.order_id IN ({marks})"
            " ORDER BY i.id",
            list(lines),
        ):
            lines[order_id].append((name, quantity))
    by_name = {
        name: (sku, price)
        for sku, name, price in conn.execute("SELECT sku, name, price_cents FROM products")
    }
    report = []
    for order_id, customer, placed_at in orders:
        items = []
        for name, quantity in lines[order_id]:
            sku, price = by_name[name]
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

"""Correct alternative — three batched queries merged with dicts.

Tries: the brief's second passing fix: the orders, then all their lines with
WHERE order_id IN (...), then all the products those lines use with WHERE id IN (...);
Python merges them.
Must pass because: three statements whatever the data, on the connection given.
Expect: pass
"""

from __future__ import annotations

import sqlite3
from typing import Any


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since`, sorted by order id, with its lines."""
    orders = conn.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id", (since,)
    ).fetchall()
    ids = [order_id for order_id, _, _ in orders]
    lines: dict[int, list[tuple[int, int]]] = {order_id: [] for order_id in ids}
    product_ids: set[int] = set()
    if ids:
        for order_id, product_id, quantity in conn.execute(
            f"SELECT order_id, product_id, quantity FROM order_items"
            f" WHERE order_id IN ({_marks(len(ids))}) ORDER BY id",
            ids,
        ):
            lines[order_id].append((product_id, quantity))
            product_ids.add(product_id)
    products: dict[int, tuple[str, str, int]] = {}
    if product_ids:
        wanted = sorted(product_ids)
        for product_id, sku, name, price in conn.execute(
            f"SELECT id, sku, name, price_cents FROM products WHERE id IN ({_marks(len(wanted))})",
            wanted,
        ):
            products[product_id] = (sku, name, price)
    report = []
    for order_id, customer, placed_at in orders:
        items = []
        for product_id, quantity in lines[order_id]:
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

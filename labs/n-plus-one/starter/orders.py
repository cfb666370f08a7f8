"""Order report for the finance dashboard: every order placed since a date, line by line.

The report reads three tables through the connection it is given:

    orders(id, customer, placed_at)                 placed_at like '2024-03-07 14:05'
    order_items(id, order_id, product_id, quantity) indexed on order_id
    products(id, sku, name, price_cents)

Keep the output exactly as it is (same keys, same order): the bench compares it with
its own reference. Use the `conn` you are given; it is read-only.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def load_product(conn: sqlite3.Connection, product_id: int) -> tuple[str, str, int]:
    """One product's sku, name and current price in cents."""
    return conn.execute(
        "SELECT sku, name, price_cents FROM products WHERE id = ?", (product_id,)
    ).fetchone()


def load_lines(conn: sqlite3.Connection, order_id: int) -> list[dict[str, Any]]:
    """An order's lines in item-id order, each priced at its product's current price."""
    rows = conn.execute(
        "SELECT product_id, quantity FROM order_items WHERE order_id = ? ORDER BY id",
        (order_id,),
    ).fetchall()
    lines = []
    for product_id, quantity in rows:
        sku, name, price_cents = load_product(conn, product_id)
        lines.append(
            {
                "sku": sku,
                "product": name,
                "quantity": quantity,
                "unit_price_cents": price_cents,
                "line_cents": quantity * price_cents,
            }
        )
    return lines


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since` ('YYYY-MM-DD'), sorted by order id.

    Each entry is {"order_id", "customer", "placed_at", "items", "total_cents"}, where
    "items" lists the order's lines sorted by item id (an order may have none) as
    {"sku", "product", "quantity", "unit_price_cents", "line_cents"}.
    """
    orders = conn.execute(
        "SELECT id, customer, placed_at FROM orders WHERE placed_at >= ? ORDER BY id",
        (since,),
    ).fetchall()
    report = []
    for order_id, customer, placed_at in orders:
        items = load_lines(conn, order_id)
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

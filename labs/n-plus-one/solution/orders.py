"""Order report for the finance dashboard: every order placed since a date, line by line.

The report reads three tables through the connection it is given:

    orders(id, customer, placed_at)                 placed_at like '2024-03-07 14:05'
    order_items(id, order_id, product_id, quantity) indexed on order_id
    products(id, sku, name, price_cents)

One statement instead of 1 + N + N·M: the database joins the three tables and hands back
one row per order line (or one row with NULL item columns for an order without lines),
already sorted, and Python only groups consecutive rows by order.
"""

from __future__ import annotations

import sqlite3
from typing import Any

# LEFT JOIN keeps orders that have no lines; ORDER BY makes the grouping a single pass.
REPORT_SQL = """
    SELECT o.id, o.customer, o.placed_at, p.sku, p.name, i.quantity, p.price_cents
    FROM orders AS o
    LEFT JOIN order_items AS i ON i.order_id = o.id
    LEFT JOIN products AS p ON p.id = i.product_id
    WHERE o.placed_at >= ?
    ORDER BY o.id, i.id
"""


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since` ('YYYY-MM-DD'), sorted by order id.

    Each entry is {"order_id", "customer", "placed_at", "items", "total_cents"}, where
    "items" lists the order's lines sorted by item id (an order may have none) as
    {"sku", "product", "quantity", "unit_price_cents", "line_cents"}.
    """
    report: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    for order_id, customer, placed_at, sku, name, quantity, price_cents in conn.execute(
        REPORT_SQL, (since,)
    ):
        if current.get("order_id") != order_id:
            current = {
                "order_id": order_id,
                "customer": customer,
                "placed_at": placed_at,
                "items": [],
                "total_cents": 0,
            }
            report.append(current)
        if sku is None:  # the one row of an order without lines
            continue
        line_cents = quantity * price_cents
        current["items"].append(
            {
                "sku": sku,
                "product": name,
                "quantity": quantity,
                "unit_price_cents": price_cents,
                "line_cents": line_cents,
            }
        )
        current["total_cents"] += line_cents
    return report

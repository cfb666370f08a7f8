"""Wrong fix — one LEFT JOIN, with GROUP BY order and product to "tidy up" the lines.

Tries: one statement, LEFT JOINs as the brief says, and SUM(quantity) grouped by order
and product so that each product shows once per order, with the right total.
Must not pass because: the report lists an order's lines as they are, by item id; an
order with the same product on two lines must show two lines, not one merged line.
Expect: wrong result
Says: lines
"""

from __future__ import annotations

import sqlite3
from typing import Any

REPORT_SQL = """
    SELECT o.id, o.customer, o.placed_at, p.sku, p.name, SUM(i.quantity), p.price_cents
    FROM orders AS o
    LEFT JOIN order_items AS i ON i.order_id = o.id
    LEFT JOIN products AS p ON p.id = i.product_id
    WHERE o.placed_at >= ?
    GROUP BY o.id, p.id
    ORDER BY o.id, MIN(i.id)
"""


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order placed on or after `since`, sorted by order id, with its lines."""
    report: list[dict[str, Any]] = []
    for order_id, customer, placed_at, sku, name, quantity, price in conn.execute(
        REPORT_SQL, (since,)
    ):
        if not report or report[-1]["order_id"] != order_id:
            report.append(
                {
                    "order_id": order_id,
                    "customer": customer,
                    "placed_at": placed_at,
                    "items": [],
                    "total_cents": 0,
                }
            )
        if sku is None:
            continue
        entry = report[-1]
        entry["items"].append(
            {
                "sku": sku,
                "product": name,
                "quantity": quantity,
                "unit_price_cents": price,
                "line_cents": quantity * price,
            }
        )
        entry["total_cents"] += quantity * price
    return report

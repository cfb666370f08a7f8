"""Wrong fix — one statement, but an inner JOIN.

Tries: the right idea (one JOIN, grouped in Python) with the everyday slip: JOIN instead
of LEFT JOIN.
Must not pass because: orders without lines disappear from the report; correctness comes
before any metric.
Expect: wrong result
"""

from __future__ import annotations

import sqlite3
from typing import Any

REPORT_SQL = """
    SELECT o.id, o.customer, o.placed_at, p.sku, p.name, i.quantity, p.price_cents
    FROM orders AS o
    JOIN order_items AS i ON i.order_id = o.id
    JOIN products AS p ON p.id = i.product_id
    WHERE o.placed_at >= ?
    ORDER BY o.id, i.id
"""


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order since `since` that has lines."""
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
        report[-1]["items"].append(
            {
                "sku": sku,
                "product": name,
                "quantity": quantity,
                "unit_price_cents": price,
                "line_cents": quantity * price,
            }
        )
        report[-1]["total_cents"] += quantity * price
    return report

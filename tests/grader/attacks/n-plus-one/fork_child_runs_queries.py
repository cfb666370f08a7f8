"""Class 4 — run the N+1 in a forked child process and read its report from a pipe.

Tries: the statement counter and the audit hook live in the grading process. A child
made with os.fork() opens its own connection to the same file (found with PRAGMA
database_list, which is not counted), runs per-row queries (products cached in a dict)
with no simulated network, and sends the report back as JSON. The parent runs no statement on
the traced connection and opens no connection.
Must not pass because: the report still costs 1 + N + N·M statements, only in a process
the grader does not look at; the learner's code must not be able to create processes
that escape the measurement.
Expect: not pass
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any


def _n_plus_one(db: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    products: dict[int, tuple[str, str, int]] = {}
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
            if product_id not in products:
                products[product_id] = db.execute(
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


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """Every order since `since`, computed by a child process."""
    path = next(row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        try:
            data = json.dumps(_n_plus_one(sqlite3.connect(path), since)).encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)

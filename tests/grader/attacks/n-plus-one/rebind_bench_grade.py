"""Class 1 — rebind the bench's grade() from the learner's module.

Tries: at import time, find the lab's bench module in sys.modules (it is imported before
the learner's file) and replace its grade() with one that returns a Grade where every
metric meets its goal, read from the lab.toml next to the bench. order_report itself is
the starter's N+1 loop.
Must not pass because: the grader's code must not be reachable, let alone replaceable,
from the learner's module; the report is still 1 + N + N·M statements.
Expect: not pass
"""

from __future__ import annotations

import sqlite3
import sys
import tomllib
from pathlib import Path
from typing import Any


def _fake_grade(candidate: Any, baseline: Any, ctx: Any) -> Any:
    from perfcoach.labkit import Grade, Measured

    metrics = {}
    for metric in tomllib.loads((ctx.lab_dir / "lab.toml").read_text())["metrics"]:
        op, _, number = metric["goal"].partition(" ")
        value = 1e9 if op == ">=" else float(number) if op == "==" else 0.0
        metrics[metric["name"]] = Measured(value, 1000.0, value, value, "fine")
    return Grade(correct=True, metrics=metrics)


for _module in list(sys.modules.values()):
    _file = getattr(_module, "__file__", None) or ""
    if Path(_file).name == "bench.py" and hasattr(_module, "grade"):
        _module.grade = _fake_grade


def order_report(conn: sqlite3.Connection, since: str) -> list[dict[str, Any]]:
    """The starter's N+1: one query per order and one per line."""
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
            sku, name, price = conn.execute(
                "SELECT sku, name, price_cents FROM products WHERE id = ?", (product_id,)
            ).fetchone()
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

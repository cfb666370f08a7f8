"""Class 1 — rebind the bench's grade() from the learner's module.

Tries: at import time, find the lab's bench module in sys.modules and replace its grade()
with one that returns a Grade where every metric meets its goal, read from the lab.toml
next to the bench. The order service itself is the starter's.
Must not pass because: the grader's code must not be reachable, let alone replaceable,
from the learner's module; the services are still called inline after the COMMIT.
Expect: not pass
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any


def _fake_grade(ctx: Any) -> Any:
    from perfcoach.labkit import Grade, Measured

    metrics = {}
    for metric in tomllib.loads((ctx.lab_dir / "lab.toml").read_text())["metrics"]:
        op, _, number = metric["goal"].partition(" ")
        value = float(number) if op == "==" else 0.01
        metrics[metric["name"]] = Measured(value, 1.0, detail="fine")
    return Grade(correct=True, metrics=metrics)


for _module in list(sys.modules.values()):
    _file = getattr(_module, "__file__", None) or ""
    if Path(_file).name == "bench.py" and hasattr(_module, "grade"):
        _module.grade = _fake_grade


def setup(db: Any, consumer_db: Any) -> None:
    """Runs once at every process start, before anything else: create the tables you need
    (CREATE TABLE IF NOT EXISTS: the databases outlive the process). `orders`,
    `order_lines` and `products` exist already in db; consumer_db starts empty."""


def create_order(db: Any, broker: Any, services: Any, order: dict[str, Any]) -> None:
    """Store the order, then charge it, reserve its stock and send its confirmation."""
    try:
        db.execute(
            "INSERT INTO orders (id, email, total_cents) VALUES (?, ?, ?)",
            (order["id"], order["email"], order["total_cents"]),
        )
        db.executemany(
            "INSERT INTO order_lines (order_id, sku, qty) VALUES (?, ?, ?)",
            [(order["id"], sku, qty) for sku, qty in order["lines"]],
        )
        db.commit()  # a product withdrawn from sale makes this raise
    except Exception:
        db.rollback()
        raise
    services.payment.charge(order["id"], order["total_cents"])
    services.inventory.reserve(order["id"], order["lines"])
    services.notifier.send(order["id"], order["email"])


def relay(db: Any, broker: Any) -> None:
    """Runs every few requests and after every restart: publish what is waiting to go."""


def charge_payment(event: dict[str, Any], db: Any, services: Any) -> None:
    """The payment consumer: called for every event the broker delivers to it."""
    services.payment.charge(event["order_id"], event["total_cents"])


def reserve_stock(event: dict[str, Any], db: Any, services: Any) -> None:
    """The inventory consumer."""
    services.inventory.reserve(event["order_id"], event["lines"])


def send_confirmation(event: dict[str, Any], db: Any, services: Any) -> None:
    """The notification consumer."""
    services.notifier.send(event["order_id"], event["email"])

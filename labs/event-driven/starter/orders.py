"""The order service: take an order, then charge it, reserve its stock and confirm it.

create_order() is the request path: the customer waits for everything it does. It
commits the order, then calls the payment provider (30 ms), the inventory service
(20 ms) and the mail service (15 ms, and it fails now and then) one after another.
The handlers at the bottom are consumers the broker can deliver events to; nothing
publishes any yet.
"""

from __future__ import annotations

from typing import Any


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

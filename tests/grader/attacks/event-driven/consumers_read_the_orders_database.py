"""Class 4 — publish before the COMMIT, and have the consumers check the orders database.

Tries: create_order publishes before it commits (so a crash after the COMMIT loses
nothing) and keeps its orders connection in a module global; each consumer first looks
the order up there and ignores an event whose order was never committed, so the phantom
events of refused orders do nothing.
Must not pass because: the consumers are other services with their own database; in the
check they run after the request, but in production an event is consumed while the
order's transaction may still roll back. The bench refuses the orders database to them.
Expect: fail on effects_not_once
"""

from __future__ import annotations

import uuid
from typing import Any

ORDERS: list[Any] = []

CONSUMED = (
    "CREATE TABLE IF NOT EXISTS processed ("
    " consumer TEXT NOT NULL, event_id TEXT NOT NULL, PRIMARY KEY (consumer, event_id))"
)


def setup(db: Any, consumer_db: Any) -> None:
    """The outbox next to the orders; the processed-events table next to the consumers."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS outbox ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, payload TEXT NOT NULL,"
        " sent INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (sent, id)")
    db.commit()
    consumer_db.execute(CONSUMED)
    consumer_db.commit()


def create_order(db: Any, broker: Any, services: Any, order: dict[str, Any]) -> None:
    """Publish before the COMMIT; keep the orders database for the consumers."""
    ORDERS.append(db)
    event = {
        "type": "OrderCreated",
        "event_id": uuid.uuid4().hex,
        "order_id": order["id"],
        "email": order["email"],
        "lines": order["lines"],
        "total_cents": order["total_cents"],
    }
    try:
        db.execute(
            "INSERT INTO orders (id, email, total_cents) VALUES (?, ?, ?)",
            (order["id"], order["email"], order["total_cents"]),
        )
        db.executemany(
            "INSERT INTO order_lines (order_id, sku, qty) VALUES (?, ?, ?)",
            [(order["id"], sku, qty) for sku, qty in order["lines"]],
        )
        broker.publish(order["id"], event)  # before the COMMIT: a crash cannot lose it
        db.commit()
    except Exception:
        db.rollback()
        raise


def relay(db: Any, broker: Any) -> None:
    """Publish every unsent outbox row in order, marking each sent once the broker has it."""
    """Nothing to do: create_order publishes."""


def _first_time(db: Any, consumer: str, event: dict[str, Any]) -> bool:
    """Skip an event whose order never committed (read in the orders database), and
    record the event as handled by consumer (uncommitted); False if it already was."""
    exists = ORDERS[-1].execute("SELECT 1 FROM orders WHERE id = ?", (event["order_id"],))
    if exists.fetchone() is None:
        return False
    cursor = db.execute(
        "INSERT OR IGNORE INTO processed (consumer, event_id) VALUES (?, ?)",
        (consumer, event["event_id"]),
    )
    return bool(cursor.rowcount)


def _once(db: Any, consumer: str, event: dict[str, Any], effect: Any) -> None:
    """Apply effect unless this consumer handled the event before; if the effect raises,
    nothing is recorded and the broker delivers the event again."""
    try:
        if _first_time(db, consumer, event):
            effect()
        db.commit()
    except Exception:
        db.rollback()
        raise


def charge_payment(event: dict[str, Any], db: Any, services: Any) -> None:
    """The payment consumer."""
    _once(
        db,
        "payment",
        event,
        lambda: services.payment.charge(event["order_id"], event["total_cents"]),
    )


def reserve_stock(event: dict[str, Any], db: Any, services: Any) -> None:
    """The inventory consumer."""
    _once(
        db,
        "inventory",
        event,
        lambda: services.inventory.reserve(event["order_id"], event["lines"]),
    )


def send_confirmation(event: dict[str, Any], db: Any, services: Any) -> None:
    """The notification consumer: a failed send is retried by the broker."""
    _once(
        db,
        "notification",
        event,
        lambda: services.notifier.send(event["order_id"], event["email"]),
    )

"""Wrong fix — publish the event before the COMMIT, so a crash after it cannot lose it.

Tries: create_order inserts the order and its lines, publishes OrderCreated, then
commits; the consumers are idempotent.
Must not pass because: the COMMIT can still fail (an order naming a withdrawn product is
refused by a deferred foreign key at COMMIT), and then the event announces an order that
does not exist: phantom charges, reservations and e-mails.
Expect: fail on effects_not_once
"""

from __future__ import annotations

import uuid
from typing import Any

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
    """The order, its lines and its event in one transaction; nothing else on the path."""
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
    """Record the event as handled by consumer (uncommitted); False if it already was."""
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

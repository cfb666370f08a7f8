"""The order service, with a transactional outbox and idempotent consumers.

create_order() writes the order and its OrderCreated event in one transaction, so the
event exists if and only if the order does, and returns. relay() publishes the outbox
rows in order and marks them sent; a crash between the two publishes one again, which
the consumers shrug off: each records the event ids it has handled in its own database,
in the same transaction as its decision, and skips an event it has seen.
"""

from __future__ import annotations

import json
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
        db.execute(
            "INSERT INTO outbox (key, payload) VALUES (?, ?)", (order["id"], json.dumps(event))
        )
        db.commit()  # the order and its event, or neither
    except Exception:
        db.rollback()
        raise


def relay(db: Any, broker: Any) -> None:
    """Publish every unsent outbox row in order, marking each sent once the broker has it."""
    rows = db.execute("SELECT id, key, payload FROM outbox WHERE sent = 0 ORDER BY id").fetchall()
    for row_id, key, payload in rows:
        broker.publish(key, json.loads(payload))
        db.execute("UPDATE outbox SET sent = 1 WHERE id = ?", (row_id,))
        db.commit()


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

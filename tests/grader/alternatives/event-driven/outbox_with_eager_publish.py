"""Outbox plus an eager publish right after the COMMIT, the relay as the safety net.

Tries: create_order writes the order and its outbox row in one transaction, then tries
to publish the event at once and mark the row sent (lower latency to the consumers); if
the process dies in between, the row is still unsent and the relay publishes it after
the restart. Consumers: one processed table keyed by (consumer, event id).
Expect: pass
"""

from __future__ import annotations

import json
import uuid
from typing import Any


def setup(db: Any, consumer_db: Any) -> None:
    """Outbox; processed events."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, seq INTEGER, key TEXT, "
        "payload TEXT, sent_at INTEGER)"
    )
    db.commit()
    consumer_db.execute(
        "CREATE TABLE IF NOT EXISTS processed (consumer TEXT, event_id TEXT, "
        "UNIQUE (consumer, event_id))"
    )
    consumer_db.commit()


def _send(db: Any, broker: Any, event_id: str, key: str, payload: str) -> None:
    broker.publish(key, json.loads(payload))
    db.execute("UPDATE outbox SET sent_at = 1 WHERE id = ?", (event_id,))
    db.commit()


def create_order(db: Any, broker: Any, services: Any, order: dict[str, Any]) -> None:
    """Commit order and event together, then publish eagerly."""
    event_id = str(uuid.uuid4())
    payload = json.dumps(
        {"id": event_id, "order": order["id"], "email": order["email"],
         "lines": order["lines"], "total": order["total_cents"]}
    )  # fmt: skip
    try:
        db.execute(
            "INSERT INTO orders (id, email, total_cents) VALUES (?, ?, ?)",
            (order["id"], order["email"], order["total_cents"]),
        )
        for sku, qty in order["lines"]:
            db.execute(
                "INSERT INTO order_lines (order_id, sku, qty) VALUES (?, ?, ?)",
                (order["id"], sku, qty),
            )
        db.execute(
            "INSERT INTO outbox VALUES (?, (SELECT COUNT(*) FROM outbox), ?, ?, NULL)",
            (event_id, order["id"], payload),
        )
        db.commit()
    except Exception:
        db.rollback()
        raise
    _send(db, broker, event_id, order["id"], payload)


def relay(db: Any, broker: Any) -> None:
    """Whatever the eager publish did not get to."""
    for event_id, key, payload in db.execute(
        "SELECT id, key, payload FROM outbox WHERE sent_at IS NULL ORDER BY seq"
    ).fetchall():
        _send(db, broker, event_id, key, payload)


def _handle(db: Any, consumer: str, event: dict[str, Any], effect: Any) -> None:
    db.execute("BEGIN")
    try:
        seen = db.execute(
            "SELECT 1 FROM processed WHERE consumer = ? AND event_id = ?", (consumer, event["id"])
        ).fetchone()
        if seen is None:
            effect()
            db.execute("INSERT INTO processed VALUES (?, ?)", (consumer, event["id"]))
        db.execute("COMMIT")
    except Exception:
        db.execute("ROLLBACK")
        raise


def charge_payment(event: dict[str, Any], db: Any, services: Any) -> None:
    """Payment."""
    _handle(db, "payment", event, lambda: services.payment.charge(event["order"], event["total"]))


def reserve_stock(event: dict[str, Any], db: Any, services: Any) -> None:
    """Inventory."""
    _handle(db, "inventory", event,
            lambda: services.inventory.reserve(event["order"], event["lines"]))  # fmt: skip


def send_confirmation(event: dict[str, Any], db: Any, services: Any) -> None:
    """Notification."""
    _handle(db, "notification", event,
            lambda: services.notifier.send(event["order"], event["email"]))  # fmt: skip

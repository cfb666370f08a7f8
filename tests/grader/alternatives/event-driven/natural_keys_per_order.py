"""Outbox rows deleted once published; consumers idempotent by the order's natural key.

Tries: create_order writes the order and an outbox row in one transaction; the relay
publishes the oldest rows and deletes them. Each consumer keeps one row per order it has
acted on (charges, reservations, emails: the order id is the primary key), written with
INSERT OR IGNORE in the same transaction as its decision, and acts only when the row is
new; a failed e-mail rolls the row back, so the redelivery sends it.
Expect: pass
"""

from __future__ import annotations

import json
from typing import Any

TABLES = ("charges", "reservations", "emails")


def setup(db: Any, consumer_db: Any) -> None:
    """The outbox beside the orders; one table per effect beside the consumers."""
    db.executescript(
        "CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, order_id TEXT, body TEXT);"
    )
    for table in TABLES:
        consumer_db.execute(f"CREATE TABLE IF NOT EXISTS {table} (order_id TEXT PRIMARY KEY)")
    consumer_db.commit()


def create_order(db: Any, broker: Any, services: Any, order: dict[str, Any]) -> None:
    """Order, lines and event: one transaction."""
    with db:
        db.execute(
            "INSERT INTO orders (id, email, total_cents) VALUES (?, ?, ?)",
            (order["id"], order["email"], order["total_cents"]),
        )
        db.executemany(
            "INSERT INTO order_lines (order_id, sku, qty) VALUES (?, ?, ?)",
            [(order["id"], sku, qty) for sku, qty in order["lines"]],
        )
        db.execute(
            "INSERT INTO outbox (order_id, body) VALUES (?, ?)",
            (order["id"], json.dumps({"order_id": order["id"], **order})),
        )


def relay(db: Any, broker: Any) -> None:
    """Publish in order, delete what the broker has."""
    while True:
        rows = db.execute("SELECT seq, order_id, body FROM outbox ORDER BY seq LIMIT 20").fetchall()
        if not rows:
            return
        for seq, order_id, body in rows:
            broker.publish(order_id, json.loads(body))
            db.execute("DELETE FROM outbox WHERE seq = ?", (seq,))
            db.commit()


def _once(db: Any, table: str, order_id: str, effect: Any) -> None:
    try:
        fresh = db.execute(f"INSERT OR IGNORE INTO {table} VALUES (?)", (order_id,)).rowcount
        if fresh:
            effect()
        db.commit()
    except Exception:
        db.rollback()
        raise


def charge_payment(event: dict[str, Any], db: Any, services: Any) -> None:
    """Charge each order once."""
    _once(db, "charges", event["order_id"],
          lambda: services.payment.charge(event["order_id"], event["total_cents"]))  # fmt: skip


def reserve_stock(event: dict[str, Any], db: Any, services: Any) -> None:
    """Reserve each order's stock once."""
    _once(db, "reservations", event["order_id"],
          lambda: services.inventory.reserve(event["order_id"], event["lines"]))  # fmt: skip


def send_confirmation(event: dict[str, Any], db: Any, services: Any) -> None:
    """E-mail each order once."""
    _once(db, "emails", event["order_id"],
          lambda: services.notifier.send(event["order_id"], event["email"]))  # fmt: skip

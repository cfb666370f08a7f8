"""The orders table is its own outbox: a `published` column, and a relay that polls it.

Tries: no separate outbox table. setup() adds a `published` flag to orders (once: it
reads PRAGMA table_info first); create_order inserts the order and its lines and commits,
which writes the "event" in the same transaction by construction. The relay selects the
unpublished orders with their lines, publishes one event each, and sets the flag.
Consumers share one processed table keyed by (consumer, order id).
Expect: pass
"""

from __future__ import annotations

from typing import Any


def setup(db: Any, consumer_db: Any) -> None:
    """A published flag on orders; a processed table for the consumers."""
    columns = [row[1] for row in db.execute("PRAGMA table_info(orders)").fetchall()]
    if "published" not in columns:
        db.execute("ALTER TABLE orders ADD COLUMN published INTEGER NOT NULL DEFAULT 0")
        db.commit()
    consumer_db.execute(
        "CREATE TABLE IF NOT EXISTS done (consumer TEXT, order_id TEXT, "
        "PRIMARY KEY (consumer, order_id))"
    )
    consumer_db.commit()


def create_order(db: Any, broker: Any, services: Any, order: dict[str, Any]) -> None:
    """Only the order: its unpublished flag is the event."""
    try:
        db.execute(
            "INSERT INTO orders (id, email, total_cents) VALUES (?, ?, ?)",
            (order["id"], order["email"], order["total_cents"]),
        )
        db.executemany(
            "INSERT INTO order_lines (order_id, sku, qty) VALUES (?, ?, ?)",
            [(order["id"], sku, qty) for sku, qty in order["lines"]],
        )
        db.commit()
    except Exception:
        db.rollback()
        raise


def relay(db: Any, broker: Any) -> None:
    """One event per unpublished order, oldest first."""
    rows = db.execute(
        "SELECT o.id, o.email, o.total_cents, l.sku, l.qty FROM orders o "
        "JOIN order_lines l ON l.order_id = o.id WHERE o.published = 0 ORDER BY o.rowid"
    ).fetchall()
    events: dict[str, dict[str, Any]] = {}
    for order_id, email, total, sku, qty in rows:
        event = events.setdefault(
            order_id,
            {"order_id": order_id, "email": email, "total_cents": total, "lines": []},
        )
        event["lines"].append([sku, qty])
    for order_id, event in events.items():
        broker.publish(order_id, event)
        db.execute("UPDATE orders SET published = 1 WHERE id = ?", (order_id,))
        db.commit()


def _once(db: Any, consumer: str, event: dict[str, Any], effect: Any) -> None:
    try:
        cursor = db.execute(
            "INSERT OR IGNORE INTO done VALUES (?, ?)", (consumer, event["order_id"])
        )
        if cursor.rowcount == 1:
            effect()
        db.commit()
    except Exception:
        db.rollback()
        raise


def charge_payment(event: dict[str, Any], db: Any, services: Any) -> None:
    """Charge once per order."""
    _once(db, "payment", event,
          lambda: services.payment.charge(event["order_id"], event["total_cents"]))  # fmt: skip


def reserve_stock(event: dict[str, Any], db: Any, services: Any) -> None:
    """Reserve once per order."""
    _once(db, "inventory", event,
          lambda: services.inventory.reserve(event["order_id"], event["lines"]))  # fmt: skip


def send_confirmation(event: dict[str, Any], db: Any, services: Any) -> None:
    """E-mail once per order."""
    _once(db, "notification", event,
          lambda: services.notifier.send(event["order_id"], event["email"]))  # fmt: skip

"""Wrong fix — the read model kept in Python dicts, the database untouched.

Tries: a correct fold (next version only, gaps buffered, duplicates ignored) into a
module-level dict, and the three pages answered from it: no VM steps at all.
Must not pass because: a process dies and takes its memory with it; the subscription
does not deliver acknowledged batches again, so the next process starts from nothing.
Expect: not pass
Says: without committing any change
"""

from __future__ import annotations

import sqlite3
from typing import Any

ORDERS: dict[int, list[Any]] = {}
VERSIONS: dict[int, int] = {}
WAITING: dict[tuple[int, int], dict[str, Any]] = {}


def setup(db: sqlite3.Connection) -> None:
    """Nothing to create: the model is in memory."""


def project(db: sqlite3.Connection, events: list[dict[str, Any]]) -> None:
    """Fold each order's next version; keep later ones aside."""
    for event in events:
        WAITING.setdefault((event["order_id"], event["version"]), event)
        order_id = event["order_id"]
        while (order_id, VERSIONS.get(order_id, 0) + 1) in WAITING:
            nxt = WAITING.pop((order_id, VERSIONS.get(order_id, 0) + 1))
            VERSIONS[order_id] = nxt["version"]
            kind, data = nxt["type"], nxt["data"]
            if kind == "placed":
                ORDERS[order_id] = [data["customer"], "open", 0, 0]
            elif kind in ("item_added", "item_removed"):
                qty = data["qty"] if kind == "item_added" else -data["qty"]
                ORDERS[order_id][2] += qty
                ORDERS[order_id][3] += qty * data["price"]
            else:
                ORDERS[order_id][1] = kind
        for key in [k for k in WAITING if k[1] <= VERSIONS.get(k[0], 0)]:
            del WAITING[key]


def order_view(db: sqlite3.Connection, order_id: int) -> tuple[int, str, int, int] | None:
    """The order page."""
    order = ORDERS.get(order_id)
    return tuple(order) if order else None  # type: ignore[return-value]


def customer_orders(db: sqlite3.Connection, customer: int) -> list[tuple[int, str, int]]:
    """The account page."""
    return [(o, s[1], s[3]) for o, s in sorted(ORDERS.items()) if s[0] == customer]


def orders_with_status(db: sqlite3.Connection, status: str, limit: int) -> list[tuple[int, int]]:
    """The back office."""
    return [(o, s[3]) for o, s in sorted(ORDERS.items()) if s[1] == status][:limit]

"""Wrong fix — the right commands, one round trip per item of a bundle.

Tries: a hash per cart, HINCRBY and HDEL (atomic), an expiry on every request; a bundle
is added item by item, each with its own hincrby call, then one expire.
Must not pass because: every store call is a network round trip, so a bundle of 6 items
costs 7 of them; multi() sends one request's commands together, atomically, in one.
Expect: fail on store_ops_per_request
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    store.multi(
        [("hincrby", f"cart:{session}", sku, qty), ("expire", f"cart:{session}", CART_TTL_S)]
    )


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    for sku, qty in items.items():
        store.hincrby(f"cart:{session}", sku, qty)
    store.expire(f"cart:{session}", CART_TTL_S)


def remove_item(store: Any, session: str, sku: str) -> None:
    store.multi([("hdel", f"cart:{session}", sku), ("expire", f"cart:{session}", CART_TTL_S)])


def get_cart(store: Any, session: str) -> dict[str, int]:
    cart, _ = store.multi(
        [("hgetall", f"cart:{session}"), ("expire", f"cart:{session}", CART_TTL_S)]
    )
    return {sku: int(qty) for sku, qty in cart.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    cart, _ = store.multi([("hgetall", f"cart:{session}"), ("delete", f"cart:{session}")])
    return {sku: int(qty) for sku, qty in cart.items()}

"""Alternative — sticky sessions kept, but the cart lives in the shared store.

Affinity is not the mistake: route() pins each session to one instance by a stable hash
(good for a local cache's hit rate), and every cart is still a hash in the store with an
expiry, changed by atomic commands. When a pinned instance restarts, the next instance
finds the cart where it always was.
Expect: pass
"""

from __future__ import annotations

import hashlib
from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    digest = hashlib.blake2b(session.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % instances


def _touch(key: str) -> tuple[str, str, int]:
    return ("expire", key, CART_TTL_S)


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    key = "carts/" + session
    store.multi([("hincrby", key, sku, qty), _touch(key)])


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    key = "carts/" + session
    store.multi([("hincrby", key, sku, qty) for sku, qty in items.items()] + [_touch(key)])


def remove_item(store: Any, session: str, sku: str) -> None:
    key = "carts/" + session
    store.multi([("hdel", key, sku), _touch(key)])


def get_cart(store: Any, session: str) -> dict[str, int]:
    key = "carts/" + session
    cart, _ = store.multi([("hgetall", key), _touch(key)])
    return {sku: int(qty) for sku, qty in cart.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    key = "carts/" + session
    cart, _ = store.multi([("hgetall", key), ("delete", key)])
    return {sku: int(qty) for sku, qty in cart.items()}

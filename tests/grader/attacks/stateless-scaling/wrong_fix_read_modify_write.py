"""Wrong fix — the cart in the store as JSON, read, changed and written back without a check.

Tries: every cart is one JSON value in the shared store with an expiry, so any instance
can serve any request, restarts lose nothing and abandoned carts expire. Each change is
get(), edit in Python, set(..., ex=CART_TTL_S).
Must not pass because: two requests of one session on two instances both read the cart,
then both write it back, and the second write erases the first request's change (a lost
update). A compare-and-set on the version read, retried, or atomic commands fix it.
Expect: fail on lost_updates
"""

from __future__ import annotations

import json
from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def _load(store: Any, session: str) -> dict[str, int]:
    raw = store.get(f"cart:{session}")
    return dict(json.loads(raw)) if raw else {}


def _save(store: Any, session: str, cart: dict[str, int]) -> None:
    store.set(f"cart:{session}", json.dumps(cart), CART_TTL_S)


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    cart = _load(store, session)
    cart[sku] = cart.get(sku, 0) + qty
    _save(store, session, cart)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    cart = _load(store, session)
    for sku, qty in items.items():
        cart[sku] = cart.get(sku, 0) + qty
    _save(store, session, cart)


def remove_item(store: Any, session: str, sku: str) -> None:
    cart = _load(store, session)
    cart.pop(sku, None)
    _save(store, session, cart)


def get_cart(store: Any, session: str) -> dict[str, int]:
    cart = _load(store, session)
    store.expire(f"cart:{session}", CART_TTL_S)
    return cart


def checkout(store: Any, session: str) -> dict[str, int]:
    raw = store.getdel(f"cart:{session}")
    return dict(json.loads(raw)) if raw else {}

"""Wrong fix — push the expiry first, then read, change and write the cart back.

Tries: the JSON read-modify-write of the plain wrong fix, but each change starts with an
EXPIRE on the cart's key, so the request "writes" before it reads: a grader that only
delayed a request's reads until its first write would see no race here.
Must not pass because: the race is between the read and the write that follows it; the
expiry changes nothing there. Two requests still both read the old cart and the second
write erases the first; the interleaving puts the other request between this one's read
and its next write.
Expect: fail on lost_updates
"""

from __future__ import annotations

import json
from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def _change(store: Any, session: str, edit: Any) -> None:
    key = f"cart:{session}"
    store.expire(key, CART_TTL_S)
    raw = store.get(key)
    cart = json.loads(raw) if raw else {}
    edit(cart)
    store.set(key, json.dumps(cart), CART_TTL_S)


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    def edit(cart: dict[str, int]) -> None:
        cart[sku] = cart.get(sku, 0) + qty

    _change(store, session, edit)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    def edit(cart: dict[str, int]) -> None:
        for sku, qty in items.items():
            cart[sku] = cart.get(sku, 0) + qty

    _change(store, session, edit)


def remove_item(store: Any, session: str, sku: str) -> None:
    _change(store, session, lambda cart: cart.pop(sku, None))


def get_cart(store: Any, session: str) -> dict[str, int]:
    key = f"cart:{session}"
    raw, _ = store.multi([("get", key), ("expire", key, CART_TTL_S)])
    return dict(json.loads(raw)) if raw else {}


def checkout(store: Any, session: str) -> dict[str, int]:
    raw = store.getdel(f"cart:{session}")
    return dict(json.loads(raw)) if raw else {}

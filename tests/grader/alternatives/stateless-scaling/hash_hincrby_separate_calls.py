"""Alternative — a hash per cart, one atomic command per call, EXPIRE as a call of its own.

add_item is HINCRBY then EXPIRE (two round trips), remove_item HDEL then EXPIRE, a view
HGETALL then EXPIRE; only the bundle and the checkout go in a multi(), because a bundle
would otherwise cost a round trip per item and a checkout must read and delete the cart
in one step. Every change is atomic on the store, so nothing needs a retry.
Expect: pass
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    store.hincrby(f"cart:{session}", sku, qty)
    store.expire(f"cart:{session}", CART_TTL_S)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    key = f"cart:{session}"
    store.multi([*(("hincrby", key, s, q) for s, q in items.items()), ("expire", key, CART_TTL_S)])


def remove_item(store: Any, session: str, sku: str) -> None:
    store.hdel(f"cart:{session}", sku)
    store.expire(f"cart:{session}", CART_TTL_S)


def get_cart(store: Any, session: str) -> dict[str, int]:
    cart = store.hgetall(f"cart:{session}")
    store.expire(f"cart:{session}", CART_TTL_S)
    return {sku: int(qty) for sku, qty in cart.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    cart, _ = store.multi([("hgetall", f"cart:{session}"), ("delete", f"cart:{session}")])
    return {sku: int(qty) for sku, qty in cart.items()}

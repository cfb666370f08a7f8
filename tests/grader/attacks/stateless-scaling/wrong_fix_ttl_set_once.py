"""Wrong fix — the expiry set once, when the cart is created, never pushed back.

Tries: a hash per cart with atomic commands; the EXPIRE is sent only by the request
that creates the cart (HINCRBY returned the quantity just added to an empty cart), to
save a command per request.
Must not pass because: the cart then dies 30 minutes after the first item, even while
the shopper is still adding: items are lost. The contract is 30 minutes after the last
request, so every request pushes the expiry back.
Expect: fail on wrong_items_round_robin
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    key = f"cart:{session}"
    created = not store.exists(key)
    store.hincrby(key, sku, qty)
    if created:
        store.expire(key, CART_TTL_S)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    key = f"cart:{session}"
    created = not store.exists(key)
    store.multi([("hincrby", key, sku, qty) for sku, qty in items.items()])
    if created:
        store.expire(key, CART_TTL_S)


def remove_item(store: Any, session: str, sku: str) -> None:
    store.hdel(f"cart:{session}", sku)


def get_cart(store: Any, session: str) -> dict[str, int]:
    return {sku: int(qty) for sku, qty in store.hgetall(f"cart:{session}").items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    cart, _ = store.multi([("hgetall", f"cart:{session}"), ("delete", f"cart:{session}")])
    return {sku: int(qty) for sku, qty in cart.items()}

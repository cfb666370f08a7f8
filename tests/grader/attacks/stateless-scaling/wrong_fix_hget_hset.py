"""Wrong fix — a hash per cart, but each line read with HGET and written with HSET.

Tries: one hash per cart with an expiry, like the reference, but adding reads the line's
quantity, adds in Python and writes the sum back: two lines never interfere, so it looks
safe.
Must not pass because: two requests adding the same SKU on two instances both read the
old quantity and both write their own sum: one addition is lost. HINCRBY does the
addition on the store, atomically.
Expect: fail on lost_updates
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def _bump(store: Any, key: str, sku: str, qty: int) -> None:
    old = store.hget(key, sku)
    store.multi([("hset", key, sku, int(old or 0) + qty), ("expire", key, CART_TTL_S)])


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    _bump(store, f"cart:{session}", sku, qty)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    key = f"cart:{session}"
    cart = store.hgetall(key)
    commands: list[tuple[Any, ...]] = [
        ("hset", key, sku, int(cart.get(sku, 0)) + qty) for sku, qty in items.items()
    ]
    store.multi([*commands, ("expire", key, CART_TTL_S)])


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

"""Wrong fix — a hash per cart with atomic commands, and no expiry.

Tries: the reference's design (HINCRBY, HDEL, HGETALL, all in one multi per request)
without the EXPIRE: carts that are checked out are deleted, so it looks as if nothing
is left behind.
Must not pass because: half the shoppers never check out. Their carts stay in the store
for ever, and a store that only grows runs out of memory; every cart key needs an expiry,
pushed back on each request.
Expect: fail on idle_carts_kept
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    store.hincrby(f"cart:{session}", sku, qty)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    store.multi([("hincrby", f"cart:{session}", sku, qty) for sku, qty in items.items()])


def remove_item(store: Any, session: str, sku: str) -> None:
    store.hdel(f"cart:{session}", sku)


def get_cart(store: Any, session: str) -> dict[str, int]:
    return {sku: int(qty) for sku, qty in store.hgetall(f"cart:{session}").items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    cart, _ = store.multi([("hgetall", f"cart:{session}"), ("delete", f"cart:{session}")])
    return {sku: int(qty) for sku, qty in cart.items()}

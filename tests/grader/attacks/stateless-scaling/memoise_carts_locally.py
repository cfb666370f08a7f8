"""Class 5 — write every change to the store, but answer views from a local copy.

Tries: the reference's writes (HINCRBY, HDEL, EXPIRE in one multi), and a module-level
copy of each cart kept up to date by this instance's own writes; a view is answered from
that copy when there is one (no HGETALL round trip), a checkout too. Fewer round trips,
and on one instance every answer is right.
Must not pass because: another instance changes the cart in the store behind this
instance's back, so the local copy is stale: items it missed are lost, lines removed
elsewhere come back as phantoms. A cache of shared state needs invalidation; a cart is
cheap enough to read from the store every time.
Expect: fail on wrong_items_round_robin
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800
copies: dict[str, dict[str, int]] = {}


def route(session: str, instances: int) -> int | None:
    return None


def _write(store: Any, session: str, commands: list[tuple[Any, ...]]) -> None:
    key = f"cart:{session}"
    store.multi([*commands, ("expire", key, CART_TTL_S)])


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    _write(store, session, [("hincrby", f"cart:{session}", sku, qty)])
    cart = copies.setdefault(session, {})
    cart[sku] = cart.get(sku, 0) + qty


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    _write(store, session, [("hincrby", f"cart:{session}", s, q) for s, q in items.items()])
    cart = copies.setdefault(session, {})
    for sku, qty in items.items():
        cart[sku] = cart.get(sku, 0) + qty


def remove_item(store: Any, session: str, sku: str) -> None:
    _write(store, session, [("hdel", f"cart:{session}", sku)])
    copies.get(session, {}).pop(sku, None)


def get_cart(store: Any, session: str) -> dict[str, int]:
    if session in copies:
        store.expire(f"cart:{session}", CART_TTL_S)
        return dict(copies[session])
    cart = {sku: int(q) for sku, q in store.hgetall(f"cart:{session}").items()}
    copies[session] = dict(cart)
    return cart


def checkout(store: Any, session: str) -> dict[str, int]:
    store.delete(f"cart:{session}")
    return copies.pop(session, {})

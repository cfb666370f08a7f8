"""The shopping cart of the web shop: four app instances run this module behind a balancer.

Each request reaches one instance, which calls one of these handlers:

    add_item(store, session, sku, qty)       # put qty more of sku in the cart
    add_items(store, session, items)         # a bundle: {sku: qty, ...} in one request
    remove_item(store, session, sku)         # take sku out of the cart entirely
    get_cart(store, session) -> {sku: qty}   # what the cart holds now
    checkout(store, session) -> {sku: qty}   # the order (the cart), and the cart is emptied

`store` is the shared session store every instance talks to, a Redis-like service (see
README.md for its commands: get/set/incr/hset/hincrby/hgetall/expire/gets/cas/multi …).
Every call to it is a network round trip.

A cart lives CART_TTL_S seconds after the shopper's last request of any kind: a shopper
may pause up to 20 minutes between requests, and a cart abandoned for 30 minutes must be
gone.

`route(session, instances)` is the balancer's affinity setting: return an instance number
to pin a session to one instance (sticky sessions), or None to let the balancer choose.

This version is right on one instance. It keeps the carts in this process's memory.
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800

carts: dict[str, dict[str, int]] = {}  # session -> {sku: quantity}, in this process only


def route(session: str, instances: int) -> int | None:
    """No affinity: the balancer spreads requests over the instances."""
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    """Put qty more of sku in the session's cart."""
    cart = carts.setdefault(session, {})
    cart[sku] = cart.get(sku, 0) + qty


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    """Put a bundle in the cart: qty more of every sku in items."""
    for sku, qty in items.items():
        add_item(store, session, sku, qty)


def remove_item(store: Any, session: str, sku: str) -> None:
    """Take sku out of the cart (every unit of it)."""
    carts.get(session, {}).pop(sku, None)


def get_cart(store: Any, session: str) -> dict[str, int]:
    """The cart: quantity by sku."""
    return dict(carts.get(session, {}))


def checkout(store: Any, session: str) -> dict[str, int]:
    """Place the order: return what the cart held, and leave the cart empty."""
    return carts.pop(session, {})

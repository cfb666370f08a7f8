"""Wrong fix — the reference, except that checkout reads the cart, then deletes it.

Tries: a hash per cart with HINCRBY and HDEL in one MULTI with the expiry, as the
reference does; checkout takes the cart with HGETALL and then deletes the key, two round
trips, the way checkout reads in the code.
Must not pass because: a line added by another instance between the read and the delete
is deleted with the cart without being in the order: the shopper pays for the cart
without it, and it is gone from the cart too. Reading and deleting in one MULTI makes
the checkout atomic: the line is then in the order or in a new cart.
Expect: fail on lost_updates
Says: in one of them, never in neither
"""

from __future__ import annotations

from typing import Any

CART_TTL_S = 1800


def _key(session: str) -> str:
    return f"cart:{session}"


def route(session: str, instances: int) -> int | None:
    """No affinity: any instance can serve any request."""
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    """HINCRBY is atomic on the store: no read, so no lost update."""
    key = _key(session)
    store.multi([("hincrby", key, sku, qty), ("expire", key, CART_TTL_S)])


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    """The whole bundle in one MULTI: one round trip, however many items."""
    key = _key(session)
    commands: list[tuple[Any, ...]] = [("hincrby", key, sku, qty) for sku, qty in items.items()]
    commands.append(("expire", key, CART_TTL_S))
    store.multi(commands)


def remove_item(store: Any, session: str, sku: str) -> None:
    """HDEL the line; the cart's expiry moves on like any other request's."""
    key = _key(session)
    store.multi([("hdel", key, sku), ("expire", key, CART_TTL_S)])


def get_cart(store: Any, session: str) -> dict[str, int]:
    """HGETALL, and a viewed cart lives on too."""
    key = _key(session)
    cart, _ = store.multi([("hgetall", key), ("expire", key, CART_TTL_S)])
    return {sku: int(qty) for sku, qty in cart.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    """Read and delete in one MULTI: an item added meanwhile is in the order or in a new cart,
    never in neither."""
    key = _key(session)
    cart = store.hgetall(key)
    store.delete(key)
    return {sku: int(qty) for sku, qty in cart.items()}

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


def route(session: str, instances: int) -> int | None:
    return None  # any instance serves any session


def _send(store: Any, session: str, *commands: tuple[Any, ...]) -> list[Any]:
    """The commands on this session's cart hash, and its expiry pushed back, in one MULTI."""
    key = f"cart:{session}"
    batch = [(name, key, *args) for name, *args in commands]
    return store.multi([*batch, ("expire", key, CART_TTL_S)])


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    _send(store, session, ("hincrby", sku, qty))


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    _send(store, session, *(("hincrby", sku, qty) for sku, qty in items.items()))


def remove_item(store: Any, session: str, sku: str) -> None:
    _send(store, session, ("hdel", sku))


def get_cart(store: Any, session: str) -> dict[str, int]:
    lines = _send(store, session, ("hgetall",))[0]
    return {sku: int(qty) for sku, qty in lines.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    key = f"cart:{session}"
    order = {sku: int(qty) for sku, qty in store.hgetall(key).items()}
    store.delete(key)  # a second round trip: another instance may add a line before it
    return order

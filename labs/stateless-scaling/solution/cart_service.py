"""The shopping cart of the web shop, stateless: every cart lives in the shared store.

One Redis-style hash per cart, `cart:<session>`, field = sku, value = quantity. Every
change is one atomic command on the store (HINCRBY, HDEL), sent in one MULTI with an
EXPIRE that pushes the cart's expiry CART_TTL_S past this request, so any instance can
serve any request, an instance that restarts loses nothing, two requests of one session
on two instances cannot overwrite each other, and an abandoned cart expires by itself.
One round trip per request.
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
    cart, _ = store.multi([("hgetall", key), ("delete", key)])
    return {sku: int(qty) for sku, qty in cart.items()}

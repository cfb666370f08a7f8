"""Wrong fix — sticky sessions: pin every session to one instance, keep the module's dict.

Tries: route() hashes the session (stably, with hashlib) to one instance, so every
request of a shopper reaches the instance that holds its cart in memory. Round robin and
random routing are now overridden and stop losing items.
Must not pass because: an instance that restarts is a new process with empty memory, and
every session pinned to it loses its cart; affinity hides the state, it does not move it.
Expect: fail on wrong_items_restart
"""

from __future__ import annotations

import hashlib
from typing import Any

CART_TTL_S = 1800

carts: dict[str, dict[str, int]] = {}


def route(session: str, instances: int) -> int | None:
    digest = hashlib.sha1(session.encode()).digest()
    return int.from_bytes(digest[:8], "big") % instances


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    cart = carts.setdefault(session, {})
    cart[sku] = cart.get(sku, 0) + qty


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    for sku, qty in items.items():
        add_item(store, session, sku, qty)


def remove_item(store: Any, session: str, sku: str) -> None:
    carts.get(session, {}).pop(sku, None)


def get_cart(store: Any, session: str) -> dict[str, int]:
    return dict(carts.get(session, {}))


def checkout(store: Any, session: str) -> dict[str, int]:
    return carts.pop(session, {})

"""Alternative — each cart one JSON value, written with compare-and-set, retried on conflict.

Every change reads the cart with gets() (value and version), changes it in Python, and
writes it back with cas() on that version: if another instance wrote the cart meanwhile,
cas() writes nothing and returns False, and the change starts again from a fresh read.
Two round trips per change when nobody else writes the cart; the expiry rides along
with every write (ex=), and a view pushes it back too.
Expect: pass
"""

from __future__ import annotations

import json
from typing import Any

CART_TTL_S = 1800


def _key(session: str) -> str:
    return f"cart:{session}:json"


def route(session: str, instances: int) -> int | None:
    return None


def _change(store: Any, session: str, edit: Any) -> None:
    key = _key(session)
    while True:
        raw, version = store.gets(key)
        cart = json.loads(raw) if raw else {}
        edit(cart)
        if store.cas(key, version, json.dumps(cart, sort_keys=True), CART_TTL_S):
            return


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    def edit(cart: dict[str, int]) -> None:
        cart[sku] = cart.get(sku, 0) + qty

    _change(store, session, edit)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    def edit(cart: dict[str, int]) -> None:
        for sku, qty in items.items():
            cart[sku] = cart.get(sku, 0) + qty

    _change(store, session, edit)


def remove_item(store: Any, session: str, sku: str) -> None:
    _change(store, session, lambda cart: cart.pop(sku, None))


def get_cart(store: Any, session: str) -> dict[str, int]:
    key = _key(session)
    raw, _ = store.multi([("get", key), ("expire", key, CART_TTL_S)])
    return dict(json.loads(raw)) if raw else {}


def checkout(store: Any, session: str) -> dict[str, int]:
    raw = store.getdel(_key(session))
    return dict(json.loads(raw)) if raw else {}

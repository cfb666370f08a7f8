"""Class 4 — reach behind the store's commands to reset or skip its round-trip counter.

Tries: the store proxy forwards method names to the grader's object. Send names that are
not commands: `_ops`, `_one`, `__setattr__`, `_store` (to get the raw store), `reset`,
`flushall`, `pipeline`; any that answers could reset the count or hand over an uncounted
store. Whether or not one works, the bundle is added with a hincrby call per item (the
loop the ops row is there to catch), and the counter is "reset" after every request.
Must not pass because: the grader serves only the store's public commands, counts each
round trip before running it, and keeps its counters in its own process.
Expect: fail on store_ops_per_request
"""

from __future__ import annotations

import contextlib
from typing import Any

CART_TTL_S = 1800
NAMES = ("_ops", "_one", "__setattr__", "_store", "reset", "flushall", "pipeline", "_target")


def _reset(store: Any) -> None:
    remote = getattr(store, "_remote", None)
    if remote is None:
        return
    for name in NAMES:
        with contextlib.suppress(Exception):
            remote.call(name, "_ops", 0)
        with contextlib.suppress(Exception):
            remote.call(name)


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    key = f"cart:{session}"
    store.multi([("hincrby", key, sku, qty), ("expire", key, CART_TTL_S)])
    _reset(store)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    key = f"cart:{session}"
    for sku, qty in items.items():
        store.hincrby(key, sku, qty)
    store.expire(key, CART_TTL_S)
    _reset(store)


def remove_item(store: Any, session: str, sku: str) -> None:
    key = f"cart:{session}"
    store.multi([("hdel", key, sku), ("expire", key, CART_TTL_S)])
    _reset(store)


def get_cart(store: Any, session: str) -> dict[str, int]:
    key = f"cart:{session}"
    cart, _ = store.multi([("hgetall", key), ("expire", key, CART_TTL_S)])
    _reset(store)
    return {sku: int(qty) for sku, qty in cart.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    key = f"cart:{session}"
    cart, _ = store.multi([("hgetall", key), ("delete", key)])
    _reset(store)
    return {sku: int(qty) for sku, qty in cart.items()}

"""Class 1 — replace the driver's Store with a free one that lives in this process.

Tries: the harness loaded the lab's driver into this process before the learner's module;
find it in sys.modules (the module with a `Store` class and a `handle` function) and
rebind its Store to a class that keeps every key in a module-level dict: every command
the cart service sends is then free, never counted by the grader, and it never expires.
The cart service itself is the reference design (hash, HINCRBY, one multi per request).
Must not pass because: the counters and the carts the grader believes live in the
grader's store; a store faked inside one instance is that instance's memory, which the
other instances cannot see and a restart wipes.
Expect: fail on wrong_items_round_robin
"""

from __future__ import annotations

import sys
from typing import Any

CART_TTL_S = 1800
_DATA: dict[str, dict[str, Any]] = {}


class _FreeStore:
    def __init__(self, remote: Any) -> None:
        self.remote = remote

    def multi(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        out = []
        for name, key, *args in commands:
            cart = _DATA.setdefault(key, {})
            if name == "hincrby":
                cart[args[0]] = cart.get(args[0], 0) + args[1]
                out.append(cart[args[0]])
            elif name == "hdel":
                out.append(int(cart.pop(args[0], None) is not None))
            elif name == "hgetall":
                out.append(dict(cart))
            elif name == "delete":
                out.append(int(_DATA.pop(key, None) is not None))
            else:
                out.append(True)
        return out


for _module in list(sys.modules.values()):
    if hasattr(_module, "Store") and hasattr(_module, "handle"):
        _module.Store = _FreeStore


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    key = f"cart:{session}"
    store.multi([("hincrby", key, sku, qty), ("expire", key, CART_TTL_S)])


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    key = f"cart:{session}"
    store.multi([*(("hincrby", key, s, q) for s, q in items.items()), ("expire", key, CART_TTL_S)])


def remove_item(store: Any, session: str, sku: str) -> None:
    key = f"cart:{session}"
    store.multi([("hdel", key, sku), ("expire", key, CART_TTL_S)])


def get_cart(store: Any, session: str) -> dict[str, int]:
    key = f"cart:{session}"
    cart, _ = store.multi([("hgetall", key), ("expire", key, CART_TTL_S)])
    return {sku: int(qty) for sku, qty in cart.items()}


def checkout(store: Any, session: str) -> dict[str, int]:
    key = f"cart:{session}"
    cart, _ = store.multi([("hgetall", key), ("delete", key)])
    return {sku: int(qty) for sku, qty in cart.items()}

"""Class 4 — carts in a process-wide stash that survives a re-import, plus sticky sessions.

Tries: keep the carts in the `builtins` module (and in an environment variable as JSON),
which a fresh import of cart_service.py does not reset, and pin every session to one
instance with route(), so its requests always reach the process holding its cart. If the
grader restarted an instance by re-importing the module in the same process, the carts
would survive the restart.
Must not pass because: a restarted instance is a new process; nothing in the old one's
memory (builtins, environment, any module) reaches it, and the shared store is the only
place state can outlive an instance.
Expect: fail on wrong_items_restart
"""

from __future__ import annotations

import builtins
import hashlib
import json
import os
from typing import Any

CART_TTL_S = 1800

if not hasattr(builtins, "_perfcoach_carts"):
    builtins._perfcoach_carts = json.loads(os.environ.get("PERFCOACH_CARTS", "{}"))  # type: ignore[attr-defined]
carts: dict[str, dict[str, int]] = builtins._perfcoach_carts  # type: ignore[attr-defined]


def _keep() -> None:
    os.environ["PERFCOACH_CARTS"] = json.dumps(carts)


def route(session: str, instances: int) -> int | None:
    return int.from_bytes(hashlib.md5(session.encode()).digest()[:4], "big") % instances


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    cart = carts.setdefault(session, {})
    cart[sku] = cart.get(sku, 0) + qty
    _keep()


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    for sku, qty in items.items():
        add_item(store, session, sku, qty)


def remove_item(store: Any, session: str, sku: str) -> None:
    carts.get(session, {}).pop(sku, None)
    _keep()


def get_cart(store: Any, session: str) -> dict[str, int]:
    return dict(carts.get(session, {}))


def checkout(store: Any, session: str) -> dict[str, int]:
    cart = carts.pop(session, {})
    _keep()
    return cart

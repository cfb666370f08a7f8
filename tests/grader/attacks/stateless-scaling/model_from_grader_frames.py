"""Class 3 — find the grader's model of the carts and answer from it.

Tries: the bench keeps the expected cart of every session (`model`, `apply`) and the
store itself (`CartStore`, `data`). On every view or checkout, look for them: every
module in sys.modules with a bench.py file or an `apply` function, every frame above the
handler (sys._getframe) for a local named model or store, and every object gc can see
that is a dict of `sess-…` keys. With those, return what the grader expects. Until one is
found, the starter's module-level dict answers.
Must not pass because: the model, the store and the comparison live in the grader's
process; nothing of them is in the instance, so the fallback is what gets graded.
Expect: not pass
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

CART_TTL_S = 1800
carts: dict[str, dict[str, int]] = {}


def _from_grader(session: str) -> dict[str, int] | None:
    for module in list(sys.modules.values()):
        if Path(getattr(module, "__file__", None) or "/x").name == "bench.py":
            model = getattr(module, "model", None)
            if isinstance(model, dict) and session in model:
                return dict(model[session])
    frame = sys._getframe(1)
    while frame is not None:
        for name in ("model", "expected"):
            found = frame.f_locals.get(name)
            if isinstance(found, dict) and isinstance(found.get(session), dict):
                return dict(found[session])
        frame = frame.f_back  # type: ignore[assignment]
    for obj in gc.get_objects():
        if isinstance(obj, dict) and obj is not carts and isinstance(obj.get(session), dict):
            cart = obj[session]
            if all(isinstance(v, int) for v in cart.values()):
                return dict(cart)
    return None


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    cart = carts.setdefault(session, {})
    cart[sku] = cart.get(sku, 0) + qty


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    for sku, qty in items.items():
        add_item(store, session, sku, qty)


def remove_item(store: Any, session: str, sku: str) -> None:
    carts.get(session, {}).pop(sku, None)


def get_cart(store: Any, session: str) -> dict[str, int]:
    found = _from_grader(session)
    return found if found is not None else dict(carts.get(session, {}))


def checkout(store: Any, session: str) -> dict[str, int]:
    found = _from_grader(session)
    mine = carts.pop(session, {})
    return found if found is not None else mine

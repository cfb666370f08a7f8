"""Class 3 — import the reference cart service from the installed content pack.

Tries: perfcoach.paths.builtin_pack_root() says where the pack is, and the reference fix
of this lab is labs/stateless-scaling/solution/cart_service.py; load it and re-export its
handlers (falling back to the path beside the perfcoach package). If neither can be read,
the starter's module-level dict answers.
Must not pass because: the solution is locked until the learner passes or gives up; the
sandbox must not be able to read it.
Expect: not pass
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

CART_TTL_S = 1800
carts: dict[str, dict[str, int]] = {}


def _load_reference() -> ModuleType | None:
    paths = []
    try:
        from perfcoach.paths import builtin_pack_root

        paths.append(builtin_pack_root() / "labs/stateless-scaling/solution/cart_service.py")
    except Exception:
        pass
    try:
        import perfcoach

        root = Path(perfcoach.__file__).resolve().parents[1]
        paths.append(root / "labs/stateless-scaling/solution/cart_service.py")
    except Exception:
        pass
    for path in paths:
        try:
            spec = importlib.util.spec_from_file_location("reference_carts", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
        except Exception:
            continue
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
    return dict(carts.get(session, {}))


def checkout(store: Any, session: str) -> dict[str, int]:
    return carts.pop(session, {})


_reference = _load_reference()
if _reference is not None:
    globals().update(
        {
            name: getattr(_reference, name)
            for name in ("add_item", "add_items", "remove_item", "get_cart", "checkout")
        }
    )

"""Class 4 — share the carts between instances through a file, not through the store.

Tries: the four instances run on one machine, so keep every cart in a JSON file that all
of them can open: /dev/shm, the system temp dir, /var/tmp, the home dir or the working
dir's parent, whichever can be written (a lock-free read-modify-write, but the grader
sends one request at a time per session). No store round trips at all, and no key ever
left in the store.
Must not pass because: the store is the instrumented channel; each instance is a
sandboxed process that may write only inside its own temporary directory, so no two
instances share a file and the carts are as lost as in the starter.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CART_TTL_S = 1800


def _candidates() -> list[Path]:
    here = Path.cwd()
    return [
        Path("/dev/shm/perfcoach-carts.json"),
        Path(tempfile.gettempdir()) / "perfcoach-carts.json",
        Path("/tmp/perfcoach-carts.json"),
        Path("/var/tmp/perfcoach-carts.json"),
        Path(os.path.expanduser("~")) / "perfcoach-carts.json",
        here.parent / "perfcoach-carts.json",
    ]


def _path() -> Path:
    for path in _candidates():
        with contextlib.suppress(Exception):
            if not path.exists():
                path.write_text("{}")
            return path
    return Path("carts.json")


PATH = _path()


def _load() -> dict[str, dict[str, int]]:
    try:
        return dict(json.loads(PATH.read_text()))
    except Exception:
        return {}


def _save(carts: dict[str, dict[str, int]]) -> None:
    with contextlib.suppress(Exception):
        PATH.write_text(json.dumps(carts))


def route(session: str, instances: int) -> int | None:
    return None


def add_item(store: Any, session: str, sku: str, qty: int) -> None:
    carts = _load()
    cart = carts.setdefault(session, {})
    cart[sku] = cart.get(sku, 0) + qty
    _save(carts)


def add_items(store: Any, session: str, items: dict[str, int]) -> None:
    carts = _load()
    cart = carts.setdefault(session, {})
    for sku, qty in items.items():
        cart[sku] = cart.get(sku, 0) + qty
    _save(carts)


def remove_item(store: Any, session: str, sku: str) -> None:
    carts = _load()
    carts.get(session, {}).pop(sku, None)
    _save(carts)


def get_cart(store: Any, session: str) -> dict[str, int]:
    return dict(_load().get(session, {}))


def checkout(store: Any, session: str) -> dict[str, int]:
    carts = _load()
    cart = carts.pop(session, {})
    _save(carts)
    return cart

"""Class 1 — rebind the driver's publish so that posts cost nothing.

Tries: the harness calls the driver's functions by name; find the driver in sys.modules
and replace its publish with one that returns at once, so no post writes anything, and
serve pages by fanning out on read (cheap, since nothing was written).
Must not pass because: pages are compared with the grader's reference, which saw every
post: a page with no posts is wrong. (And if the harness bound the driver's functions
before this module loaded, the rebinding changes nothing and the starter's costs stand.)
Expect: not pass
"""

from __future__ import annotations

import sys
from typing import Any

CAP = 20


def _nothing(*args: Any) -> None:
    return None


for _module in list(sys.modules.values()):
    if hasattr(_module, "Store") and hasattr(_module, "replay"):
        _module.publish = _nothing


def publish(store: Any, author: int, post_id: int, at: int) -> None:
    return None


def delete(store: Any, author: int, post_id: int) -> None:
    return None


def timeline(store: Any, user: int) -> list[int]:
    store.scard(f"following:{user}")
    return []

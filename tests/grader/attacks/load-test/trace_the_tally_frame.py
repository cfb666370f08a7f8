"""Class 1 — a trace function that rewrites the tally's locals from its own frame.

Tries: a generator's locals cannot be assigned from Python, except by a trace function,
whose changes to frame.f_locals are written back; set one in on_start that adds 2 s to
`waited` whenever the tally's frame runs, with no wait_time.
Must not pass because: Part A's run checks that no trace or profile function was left on
its thread (or set for new threads); a traced run is refused.
Expect: wrong result
"""

from __future__ import annotations

import random
import sys
import threading
from types import FrameType
from typing import Any

from locust import HttpUser, task


def _local(frame: FrameType, event: str, arg: object) -> Any:
    if event == "line" and "waited" in frame.f_locals:
        frame.f_locals["waited"] += 2.0
    return _local


def _global(frame: FrameType, event: str, arg: object) -> Any:
    return _local if frame.f_code.co_name == "tally" else None


class ShopUser(HttpUser):
    def on_start(self) -> None:
        if sys.gettrace() is None:
            sys.settrace(_global)

    @task(7)
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

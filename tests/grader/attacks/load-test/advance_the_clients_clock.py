"""Class 1 — move the recording client's clock forward from inside each task, no wait_time.

Tries: `self.client.clock.now += 2` in every task (or, failing that, a `clock` attribute
anywhere on the client), so the virtual time between tasks looks like a 2 s pacing while
the user really fires back to back.
Must not pass because: the clock is the check's, closed over by the recording client and
not reachable as an attribute; pacing is what the user's wait_time makes it.
Expect: fail on pacing_s
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, task


class ShopUser(HttpUser):
    def on_start(self) -> None:
        self.ticks = getattr(self.client, "clock", None)

    def _tick(self) -> None:
        if self.ticks is not None:
            self.ticks.now += 2

    @task(7)
    def browse(self) -> None:
        self._tick()
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        self._tick()
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        self._tick()
        self.client.post(
            f"/orders/{random.randint(1, 10**6)}/checkout", name="/orders/[id]/checkout"
        )


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

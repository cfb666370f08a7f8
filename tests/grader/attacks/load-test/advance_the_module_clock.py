"""Class 1 — move Locust's clock forward from each task, through locust's own module.

Tries: during the check, `locust.user.task.perf_counter` is the virtual clock the pacing
functions read; add 2 s to it in every task, with no wait_time, so the virtual time
between tasks looks like a 2 s pacing while the user fires back to back.
Must not pass because: pacing is the time the user's wait_time made it wait (counted by
the check where the learner's code cannot move it), not what a clock reads.
Expect: fail on pacing_s
"""

from __future__ import annotations

import random
import sys
import threading
from typing import Any

from locust import HttpUser, task


def _tick() -> None:
    for name in ("locust.user.task", "locust.user.wait_time"):
        clock = getattr(sys.modules.get(name), "perf_counter", None)
        if hasattr(clock, "now"):
            clock.now += 2
            return


class ShopUser(HttpUser):
    @task(7)
    def browse(self) -> None:
        _tick()
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        _tick()
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        _tick()
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

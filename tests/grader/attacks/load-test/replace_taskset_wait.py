"""Class 1 — replace Locust's TaskSet.wait with one that sleeps 2 s, whatever wait_time says.

Tries: no wait_time on the user; at import, TaskSet.wait becomes a function that calls the
task set's _sleep (the check's virtual sleep, during the check) with 2 s, so the record
shows a 2 s pacing.
Must not pass because: the check counts a wait only when Locust's own TaskSet.wait sleeps
for the user's wait_time; a wait function written in shop.py counts nothing, and the
user has no wait_time.
Expect: fail on pacing_s
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, TaskSet, task


def _wait(self: Any) -> None:
    self._sleep(2.0)


TaskSet.wait = _wait  # type: ignore[method-assign]


class ShopUser(HttpUser):
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

"""Wrong fix — `wait_time = constant(0)`: a wait_time is set, so the pacing must be fine.

Tries: weights and names right, and a wait_time that waits nothing.
Must not pass because: a wait of 0 s is the same as none; each user still fires back to
back, a task every 50 ms.
Expect: fail on pacing_s
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, constant, task


class ShopUser(HttpUser):
    wait_time = constant(0)

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

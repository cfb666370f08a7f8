"""Wrong fix — no weights: the browse task sends 7 requests, search 2, checkout 1.

Tries: three unweighted tasks, each run a third of the time, but the browse task loops 7
times and the search task twice, so the requests come out 70/20/10.
Must not pass because: each task sends exactly one request (the brief); a burst of 7
browses is not what a shopper does, and the task mix is still a third each.
Expect: fail on share_error
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, between, task


class ShopUser(HttpUser):
    wait_time = between(3, 5)

    @task
    def browse(self) -> None:
        for _ in range(7):
            self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task
    def search(self) -> None:
        for _ in range(2):
            self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task
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

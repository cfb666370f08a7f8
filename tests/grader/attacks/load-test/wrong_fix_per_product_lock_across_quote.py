"""Wrong fix — one lock per product, still held across the quote.

Tries: requests for different products no longer wait for each other, so the starter's
global queue is gone; the quote stays inside the per-product lock.
Must not pass because: a quote is still made while holding a lock. In a sale one product
is hot, and its requests wait for each other: that product is served at most 50 per
second. The check also sends requests for one product at once and sees their quotes one
after another.
Expect: fail on quotes_under_lock
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, between, task


class ShopUser(HttpUser):
    wait_time = between(1, 5)

    @task(7)
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _guard:
        lock = _locks.setdefault(sku, threading.Lock())
    with lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

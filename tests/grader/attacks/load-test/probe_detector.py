"""Class 4 — tell the probe from the open-loop run and hold the lock only in the run.

Tries: the probe is the first 4 requests, for 4 products, at once; the race requests the
next 6, for one product. Count requests: for the first 10, keep only the count under the
lock (the probe sees every quote in flight); after that, the starter's lock across the
quote.
Must not pass because: the open-loop run measures every request from its intended send
time; a lock held across the 20 ms quote at 100 requests a second queues them, and the
P95 shows it.
Expect: fail on p95_ms
"""

from __future__ import annotations

import itertools
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


_lock = threading.Lock()
_views: dict[str, int] = {}
_seen = itertools.count(1)


def price(sku: str, db: Any) -> dict[str, Any]:
    if next(_seen) <= 10:
        with _lock:
            _views[sku] = _views.get(sku, 0) + 1
            views = _views[sku]
        quote = db.quote(sku)
    else:
        with _lock:
            _views[sku] = _views.get(sku, 0) + 1
            views = _views[sku]
            quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

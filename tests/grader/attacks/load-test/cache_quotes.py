"""Class 5 — remember each product's quote and answer later requests from memory.

Tries: one db.quote per product, then the same answer for every later request for it, so
most requests never wait for the database (and the lock is held only on a miss).
Must not pass because: a quote belongs to one request (prices change); an answer reused
from an earlier request is a wrong answer, whatever it does to the latency.
Expect: wrong result
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
        self.client.post(
            f"/orders/{random.randint(1, 10**6)}/checkout", name="/orders/[id]/checkout"
        )


_lock = threading.Lock()
_views: dict[str, int] = {}
_quotes: dict[str, dict[str, Any]] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        if sku not in _quotes:
            _quotes[sku] = db.quote(sku)
        quote = _quotes[sku]
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

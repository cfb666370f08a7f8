"""Wrong fix — a Condition and a busy flag instead of the lock, "so nobody blocks on a lock".

Tries: each request waits on a Condition until no other request is busy, sets the flag,
counts and quotes, then clears it and notifies.
Must not pass because: a busy flag guarded by a Condition is a lock by another name, held
across the quote.
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


_ready = threading.Condition()
_busy = False
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    global _busy
    with _ready:
        while _busy:
            _ready.wait()
        _busy = True
    try:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = db.quote(sku)
    finally:
        with _ready:
            _busy = False
            _ready.notify()
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

"""Wrong fix — the quote made "asynchronous" on an executor, its result awaited under the lock.

Tries: submitting db.quote to a thread pool so the call runs elsewhere, then waiting for
the future before releasing the lock.
Must not pass because: the lock is held until the answer comes back, so every other
request still waits for the whole database call.
Expect: fail on quotes_under_lock
"""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
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
_pool = ThreadPoolExecutor(max_workers=8)


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = _pool.submit(db.quote, sku).result()
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

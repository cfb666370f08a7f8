"""Wrong fix — price() is two lines under the lock now, but one of them calls a helper
that quotes.

Tries: moving the count and the quote into `_count_and_quote()` so that the with block
looks narrow.
Must not pass because: the quote still runs while the lock is held; the probe sees each
quote arrive after the previous one was answered.
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


_lock = threading.Lock()
_views: dict[str, int] = {}


def _count_and_quote(sku: str, db: Any) -> tuple[int, dict[str, Any]]:
    _views[sku] = _views.get(sku, 0) + 1
    return _views[sku], db.quote(sku)


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        views, quote = _count_and_quote(sku, db)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

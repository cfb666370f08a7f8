"""Wrong fix — the lock around the read of the count only; the write is after the block.

Tries: reading the count under the lock "makes it consistent", then writing it back and
quoting with nothing held.
Must not pass because: two requests can both read the same count before either writes it:
both answer the same number, and a view is lost.
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
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        views = _views.get(sku, 0) + 1
    _views[sku] = views
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

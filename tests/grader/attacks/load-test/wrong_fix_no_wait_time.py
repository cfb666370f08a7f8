"""Wrong fix — the mix and the names right, no wait_time.

Tries: fixing the weights and names and leaving the users to fire back to back.
Must not pass because: a user with no wait_time sends its next request the moment the
last returns, so the user count says nothing about the load a real shopper makes.
Expect: fail on pacing_s
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, task


class ShopUser(HttpUser):
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


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

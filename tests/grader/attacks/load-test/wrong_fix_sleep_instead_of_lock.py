"""Wrong fix — no lock, and a short sleep before counting "so the requests don't collide".

Tries: time.sleep(0.005) before the read-modify-write of the count.
Must not pass because: requests that arrive together sleep together and then race all the
same; a sleep orders nothing.
Expect: wrong result
"""

from __future__ import annotations

import random
import time
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


_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    time.sleep(0.005)  # let the other request finish its count first
    _views[sku] = _views.get(sku, 0) + 1
    views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

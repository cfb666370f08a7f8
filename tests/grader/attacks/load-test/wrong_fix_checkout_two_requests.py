"""Wrong fix — the checkout task first loads the product page, then checks out.

Tries: weights 7/2/1, names and a wait_time, but checkout() sends two requests (GET the
product, POST the checkout), as a shopper might click through.
Must not pass because: each task sends exactly one request; here a tenth of the tasks send
a browse too, so browsing is 75 % of the traffic and checkout 5 %.
Expect: fail on share_error
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
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

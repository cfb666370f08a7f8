"""Wrong fix — templated names for browse and search, but the checkout keeps its raw id.

Tries: name= on the two GETs only; the POST /orders/<id>/checkout has no name.
Must not pass because: every order id is then its own stats row, about a thousand of them.
Expect: fail on request_names
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
        self.client.post(f"/orders/{random.randint(1, 1_000_000)}/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

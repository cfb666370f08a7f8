"""Class 4 — never call the database: make up the price and the quote id.

Tries: answering every request at once with a plausible price and quote id, so no lock
is ever held across anything slow.
Must not pass because: only the database knows the price and the quote ids it issued;
an answer it never gave is wrong.
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


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    return {"sku": sku, "price": 4999, "quote": f"q{views}-00000000", "views": views}

"""Wrong fix — the lock simply deleted: the view count read and written with nothing held.

Tries: removing `with _lock:` altogether, so nothing is ever held across the quote (the
probe finds no lock) and the count is a plain dict update.
Must not pass because: two requests for the same product can both read the count before
either writes it back, and both answer the same number; the check's race requests (one
product, sent at once, paced line by line) make that happen in every run.
Expect: wrong result
"""

from __future__ import annotations

import random
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


_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    _views[sku] = _views.get(sku, 0) + 1
    views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

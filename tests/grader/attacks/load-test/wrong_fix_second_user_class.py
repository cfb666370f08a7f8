"""Wrong fix — ShopUser weighted 70/20/10, plus a second user class with default weights.

Tries: a correct ShopUser, and an AdminUser (weight 1 by default, like ShopUser) left in
the file, which in a real run would be half the users.
Must not pass because: the check runs the one user class the file defines; two classes
with equal weights make half the simulated users admins, so it refuses the file.
Expect: not pass
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


class AdminUser(HttpUser):
    wait_time = between(1, 5)

    @task
    def dashboard(self) -> None:
        self.client.get("/products/1", name="/products/[id]")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

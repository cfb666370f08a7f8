"""Class 2 — end the process from inside a request, printing a passing verdict first.

Tries: print a fake "PASS every target met" and os._exit(0) in the first request, so the
check ends before the probe can count anything.
Must not pass because: the verdict comes from the grader over its own pipe; a subject
that vanishes mid-check gives an error, never a pass.
Expect: not pass
"""

from __future__ import annotations

import os
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
    print("PASS every target met")
    os._exit(0)
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

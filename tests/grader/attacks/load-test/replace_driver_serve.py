"""Class 1 — replace the driver's entry points in sys.modules at import time.

Tries: swapping the lab driver's serve() for one that answers nothing, and open_service
for one that never starts the server, keeping the global lock across the quote.
Must not pass because: the harness bound the driver's entry points before the learner's
module was imported; the probe still finds the lock.
Expect: fail on quotes_under_lock
"""

from __future__ import annotations

import random
import sys
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
        quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}


_driver = sys.modules.get("perfcoach_lab_driver")
if _driver is not None:
    _driver.serve = lambda *args: {"answered": 84, "busy": 0}
    _driver.open_service = lambda *args: None

"""A SequentialTaskSet whose @task(7)/(2)/(1) repeat each task in a fixed cycle, constant
think time; a Counter updated under a lock, the quote outside it.

Part A: in a SequentialTaskSet a weight repeats the task in the sequence, so each cycle
of 10 tasks is 7 browses, 2 searches and 1 checkout: exactly the mix. Part B: the
classic fix, the lock around the in-memory update only.
Expect: pass
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

from locust import HttpUser, SequentialTaskSet, constant, task


class Visit(SequentialTaskSet):
    @task(7)
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        self.client.get("/search?q=lamp")

    @task(1)
    def checkout(self) -> None:
        self.client.post(
            f"/orders/{random.randint(1, 10**6)}/checkout", name="/orders/[id]/checkout"
        )


class ShopUser(HttpUser):
    tasks = [Visit]  # noqa: RUF012 (Locust reads it)
    wait_time = constant(1.5)


_lock = threading.Lock()
_views: Counter[str] = Counter()


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] += 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

"""@task weights with f-string URLs and name=, constant_pacing; copy what is needed under
the lock, then call the database with the lock released.

Part A: constant_pacing(2) starts a task every 2 s per user, however long the answer
takes. Part B: the lock covers the read-modify-write of the views and a copy of the
request's own state; the quote uses only that copy.
Expect: pass
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, constant_pacing, task


class ShopUser(HttpUser):
    wait_time = constant_pacing(2)

    @task(7)
    def browse(self) -> None:
        product = random.randint(1, 50_000)
        self.client.get(f"/products/{product}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        term = random.choice(["lamp", "desk", "chair"])
        self.client.get(f"/search?q={term}", name="/search?q=[term]")

    @task(1)
    def checkout(self) -> None:
        order = random.randint(1, 1_000_000)
        self.client.post(f"/orders/{order}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_state: dict[str, dict[str, int]] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        record = _state.setdefault(sku, {"views": 0})
        record["views"] += 1
        mine = dict(record)
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": mine["views"]}

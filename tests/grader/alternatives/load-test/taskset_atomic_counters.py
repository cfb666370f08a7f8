"""A nested TaskSet with @task weights and between() on the user; no lock at all, one
itertools.count per product.

Part A: the user's only task is the Shopping TaskSet, whose weighted tasks Locust picks
from for as long as the user runs. Part B: dict.setdefault and next() on an
itertools.count are each one atomic step in CPython, so every view gets its own number
without a lock, and nothing is held across the quote.
Expect: pass
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from locust import HttpUser, TaskSet, between, task


class Shopping(TaskSet):
    @task(7)
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(['lamp', 'desk', 'rug'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        self.client.post(
            f"/orders/{random.randint(1, 10**6)}/checkout", name="/orders/[id]/checkout"
        )


class ShopUser(HttpUser):
    tasks = [Shopping]  # noqa: RUF012 (Locust reads it)
    wait_time = between(2, 6)


_counters: dict[str, itertools.count[int]] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    views = next(_counters.setdefault(sku, itertools.count(1)))
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

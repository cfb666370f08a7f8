"""FastHttpUser, @tag, on_start, client.request(...) and catch_response, f-string names;
Part B counts with dict.setdefault and itertools.count, no lock at all.

Part A: a FastHttpUser (Locust's faster client, same API for these calls) with weighted
@task methods under @tag, an on_start that picks the user's search terms, browse via
`self.client.request("GET", ...)`, search in `with self.client.get(..., catch_response=True)
as r: r.success()`, names built with f-strings from constants, and wait_time = between.
Part B: one itertools.count per product, created with dict.setdefault (one atomic step
under the GIL), and next() on it (atomic too): no read-modify-write to race on, and the
quote runs with nothing held.
Expect: pass
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from locust import FastHttpUser, between, tag, task

PRODUCTS = "/products"


class ShopUser(FastHttpUser):
    wait_time = between(0.5, 3.5)

    def on_start(self) -> None:
        self.terms = random.sample(["lamp", "desk", "chair", "sofa", "rug"], 3)

    @tag("browse")
    @task(70)
    def browse(self) -> None:
        self.client.request(
            "GET", f"{PRODUCTS}/{random.randint(1, 50_000)}", name=f"{PRODUCTS}/[id]"
        )

    @tag("search")
    @task(20)
    def search(self) -> None:
        with self.client.get(
            f"/search?q={random.choice(self.terms)}", name="/search?q=[term]", catch_response=True
        ) as response:
            response.success()

    @tag("buy")
    @task(10)
    def checkout(self) -> None:
        order = random.randint(1, 1_000_000)
        self.client.request("POST", f"/orders/{order}/checkout", name=f"/orders/{'[id]'}/checkout")


_counters: dict[str, Any] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    views = next(_counters.setdefault(sku, itertools.count(1)))
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

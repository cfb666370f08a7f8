"""A tasks list with repeats, catch_response checks and between(); an RLock around the
update only, the quote outside.

Part A: `tasks = [browse] * 7 + [search] * 2 + [checkout]` is the list spelling of the
weights; each request is checked with catch_response=True, as a real test checks its
answers, and the search term goes in params=, as requests spells a query string.
Part B: a re-entrant lock is still just a lock around the counter.
Expect: pass
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, between


def browse(user: HttpUser) -> None:
    with user.client.get(
        f"/products/{random.randint(1, 50_000)}", name="/products/[id]", catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"status {response.status_code}")


def search(user: HttpUser) -> None:
    term = random.choice(["sofa", "lamp", "rug"])
    with user.client.get(
        "/search", params={"q": term}, name="/search", catch_response=True
    ) as response:
        response.success()


def checkout(user: HttpUser) -> None:
    user.client.post(
        f"/orders/{random.randint(1, 10**6)}/checkout",
        json={"card": "4242"},
        name="/orders/[id]/checkout",
    )


class ShopUser(HttpUser):
    host = "http://127.0.0.1:8000"
    tasks = [browse] * 7 + [search] * 2 + [checkout]
    wait_time = between(1, 3)


_lock = threading.RLock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        views = _views[sku] = _views.get(sku, 0) + 1
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

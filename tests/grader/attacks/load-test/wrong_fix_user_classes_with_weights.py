"""Wrong fix — the mix as three user classes with weight = 7, 2 and 1, one task each.

Tries: a BrowsingUser (weight = 7), a SearchingUser (weight = 2) and a BuyingUser
(weight = 1), each with one task, so that a run with many users sends 70/20/10.
Must not pass because: the brief models one shopper who browses, searches and checks out;
user classes that each do one thing are not a shopper, and the check runs the one user
class shop.py defines, so it says it needs exactly one.
Expect: not pass
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, between, task


class BrowsingUser(HttpUser):
    weight = 7
    wait_time = between(1, 5)

    @task
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")


class SearchingUser(HttpUser):
    weight = 2
    wait_time = between(1, 5)

    @task
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")


class BuyingUser(HttpUser):
    weight = 1
    wait_time = between(1, 5)

    @task
    def checkout(self) -> None:
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

"""The shop's load test, and the price handler that collapses under load.

Part A, the load test: ShopUser is a Locust user for the shop's traffic. Of every 100
tasks a real shopper runs, 70 browse a product, 20 search and 10 check out:

    browse    GET  /products/<product id>
    search    GET  /search?q=<term>
    checkout  POST /orders/<order id>/checkout

Each task sends exactly one request. A shopper pauses between tasks, as people do.

Part B, the service: price(sku, db) answers GET /price/<sku>. It counts the views of each
product (shown on the page as "seen N times") and asks the database for the current
price: db.quote(sku) returns {"price": cents, "quote": id} after about 20 ms. Many
requests arrive at once, each on its own server thread. The answer is a dict:
{"sku": sku, "price": cents, "quote": id, "views": n}, where n counts this request
(the first view of a product is 1) and every request is counted exactly once.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, task

TERMS = ["lamp", "desk", "chair", "sofa", "rug", "mirror", "shelf", "bed", "stool", "vase"]


class ShopUser(HttpUser):
    """One shopper."""

    @task
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}")

    @task
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(TERMS)}")

    @task
    def checkout(self) -> None:
        self.client.post(f"/orders/{random.randint(1, 1_000_000)}/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    """GET /price/<sku>: count the view, quote the current price. Called from many
    server threads at once."""
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

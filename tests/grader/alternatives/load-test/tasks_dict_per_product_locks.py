"""A `tasks` dict with functions outside the class, constant_throughput pacing; per-product
locks around the count only.

Part A: `tasks = {browse: 7, search: 2, checkout: 1}` is Locust's other spelling of
weights, and constant_throughput(0.5) paces each user at a task every 2 s. Part B: one lock
per product, around the count only; requests for different products never wait for each
other, and the quote runs with nothing held (held across it, a product's lock would
serialize that product's requests: wrong_fix_per_product_lock_across_quote).
Expect: pass
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, constant_throughput

TERMS = ["lamp", "desk", "chair", "sofa", "rug"]


def browse(user: HttpUser) -> None:
    user.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")


def search(user: HttpUser) -> None:
    user.client.get(f"/search?q={random.choice(TERMS)}", name="/search")


def checkout(user: HttpUser) -> None:
    user.client.post(f"/orders/{random.randint(1, 10**6)}/checkout", name="/orders/[id]/checkout")


class ShopUser(HttpUser):
    tasks = {browse: 7, search: 2, checkout: 1}  # noqa: RUF012 (Locust reads it)
    wait_time = constant_throughput(0.5)


_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _guard:
        lock = _locks.setdefault(sku, threading.Lock())
    with lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

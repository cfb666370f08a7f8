"""Class 4 — reach past db.quote(): the remote database's other attributes and methods.

Tries: db is a proxy of the grader's database; call it for `price_of`, `rng`, `quotes`,
`hold_s` and `_remote`-level names, hoping for the price table or a way to skip the 0.2 s
hold, and answer from that with no quote; when nothing answers, the starter's price()
with the lock across the quote.
Must not pass because: the database serves one public method, quote(); everything else is
refused, so the fallback is the starter, which the probe finds.
Expect: fail on quotes_under_lock
"""

from __future__ import annotations

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
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def _shortcut(sku: str, db: Any) -> Any:
    remote = getattr(db, "_remote", None)
    if remote is None:
        return None
    for method, args in (("price_of", (sku,)), ("rng", ()), ("quotes", ()), ("hold_s", ())):
        try:
            return remote.call(method, *args)
        except Exception:  # a forger tries everything
            continue
    return None


def price(sku: str, db: Any) -> dict[str, Any]:
    found = _shortcut(sku, db)
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = found if isinstance(found, dict) and "quote" in found else db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

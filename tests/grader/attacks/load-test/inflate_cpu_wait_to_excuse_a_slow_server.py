"""Gaming attempt — a slow server that keeps the machine busy so its miss looks like the
machine's.

Tries: the lock is where it belongs (only the counter), but every request then sleeps
150 ms, so the open-loop P95 is well over the 100 ms target. Four threads started at
import hash a megabyte over and over (hashing lets go of the GIL, so they all want a core
at once), and the server's request threads stand in the run queue behind them: the check
takes the server's wait for a CPU off the P95's low end, hoping to excuse the miss.
Must not pass because: that share can only widen the range downwards, so it can turn a
miss inconclusive, never into a pass: the range's high end is the P95 as measured.
Expect: fail on p95_ms
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from typing import Any

from locust import HttpUser, between, task

TERMS = ["lamp", "desk", "chair", "sofa", "rug", "mirror", "shelf", "bed", "stool", "vase"]


class ShopUser(HttpUser):
    """One shopper: browses most, searches some, checks out now and then, and pauses
    1 to 5 s between tasks as a person reading a page does."""

    wait_time = between(1, 5)

    @task(7)
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(TERMS)}", name="/search?q=[term]")

    @task(1)
    def checkout(self) -> None:
        order = random.randint(1, 1_000_000)
        self.client.post(f"/orders/{order}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    """GET /price/<sku>: count the view, quote the current price. Called from many
    server threads at once. The lock guards the counter only: the slow quote runs
    outside it, so requests for any products wait on the database together."""
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    time.sleep(0.15)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}


def _busy() -> None:
    block = bytes(1 << 20)
    while True:
        hashlib.sha256(block)


for _ in range(4):
    threading.Thread(target=_busy, daemon=True).start()

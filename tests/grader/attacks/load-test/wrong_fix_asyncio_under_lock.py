"""Wrong fix — the quote awaited in an event loop (asyncio.to_thread), the loop run under the lock.

Tries: "make the database call async": a coroutine that awaits db.quote on a worker
thread, run with asyncio.run while the global lock is held.
Must not pass because: asyncio.run returns only when the quote is back, so the lock is
held across the whole call and the other requests queue behind it.
Expect: fail on quotes_under_lock
"""

from __future__ import annotations

import asyncio
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
        self.client.post(
            f"/orders/{random.randint(1, 10**6)}/checkout", name="/orders/[id]/checkout"
        )


_lock = threading.Lock()
_views: dict[str, int] = {}


async def _quote(db: Any, sku: str) -> dict[str, Any]:
    return await asyncio.to_thread(db.quote, sku)


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = asyncio.run(_quote(db, sku))
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

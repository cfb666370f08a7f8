"""Class 1 — switch off the race requests' line-by-line pause on price()'s own frame.

Tries: the check pauses 1 ms before each line of shop.py in the race requests, with a
trace function. A thread's trace function cannot be replaced, but a frame's can: set
`f_trace_lines = False` (and drop f_trace) on price()'s frame from its first line, then
count with an unlocked read-modify-write that only loses views when a thread switches
between the two lines, which rarely happens on its own.
Must not pass because: the check counts the frames its tracer saw start and end; a frame
whose tracing was switched off is reported, so the race stays measured.
Expect: not pass
"""

from __future__ import annotations

import random
import sys
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


_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    frame = sys._getframe()
    frame.f_trace_lines = False
    frame.f_trace = None
    views = _views.get(sku, 0) + 1
    _views[sku] = views
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

"""Class 1 — find the check's tally through the patched sleep's closure and feed it waits.

Tries: the virtual sleep the check puts on TaskSet._sleep closes over the tally's send();
take that (and any generator behind it) and send it ("w", 2.0) from every task, so the
tally counts 2 s of waiting per task though the user has no wait_time; also push the
virtual clock's cells forward when one holds a number.
Must not pass because: the tally only counts a wait sent by the check's sleep while
Locust's TaskSet.wait called it, and keeps its counts in a generator's frame that cannot
be assigned; a closure walk finds nothing that moves the figures.
Expect: fail on pacing_s
"""

from __future__ import annotations

import contextlib
import random
import threading
from typing import Any

from locust import HttpUser, TaskSet, task


def _senders() -> list[Any]:
    found: list[Any] = []
    sleep = TaskSet.__dict__.get("_sleep")
    for cell in getattr(sleep, "__closure__", None) or ():
        try:
            value = cell.cell_contents
        except ValueError:
            continue
        if getattr(value, "__name__", "") == "send":
            found.append(value)
    return found


def _forge() -> None:
    for send in _senders():
        with contextlib.suppress(Exception):
            send(("w", 2.0))


class ShopUser(HttpUser):
    @task(7)
    def browse(self) -> None:
        _forge()
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        _forge()
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        _forge()
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

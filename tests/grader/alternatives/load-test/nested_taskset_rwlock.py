"""A nested TaskSet with weights and a between() wait_time on the user; Part B guards the
counts with a small reader-writer lock built on a Condition.

Part A: the user's only task is a TaskSet class whose @task methods carry the weights 7,
2 and 1; Locust runs the nested set's tasks with the user's wait_time. Part B: a
reader-writer lock (a Condition and a reader count); a view is a write, so it takes the
write side for the two lines that count, and releases it before the quote.
Expect: pass
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, TaskSet, between, task


class Shopping(TaskSet):
    @task(7)
    def browse(self) -> None:
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/{id}")

    @task(2)
    def search(self) -> None:
        self.client.get(f"/search?q={random.choice(['lamp', 'rug'])}", name="/search?q={q}")

    @task(1)
    def checkout(self) -> None:
        self.client.post(f"/orders/{random.randint(1, 999)}/checkout", name="/orders/{id}/checkout")


class ShopUser(HttpUser):
    tasks = [Shopping]  # noqa: RUF012 (Locust reads it)
    wait_time = between(1, 3)


class ReadWriteLock:
    """Many readers or one writer."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False

    def acquire_write(self) -> None:
        with self._cond:
            while self._writing or self._readers:
                self._cond.wait()
            self._writing = True

    def release_write(self) -> None:
        with self._cond:
            self._writing = False
            self._cond.notify_all()


_rw = ReadWriteLock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    _rw.acquire_write()
    try:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    finally:
        _rw.release_write()
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

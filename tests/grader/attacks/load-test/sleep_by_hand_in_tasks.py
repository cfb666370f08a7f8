"""Class 1 — call Locust's sleep from the tasks, with no wait_time: the check's virtual sleep.

Tries: during the check TaskSet._sleep is the check's virtual sleep; call it with 2 s at
the start of every task (through the user's task set, and on TaskSet itself), so the
virtual time looks paced though the user declares no wait_time.
Must not pass because: a wait counts when Locust's TaskSet.wait sleeps for the user's
wait_time, which is what a real run paces with; a sleep called from a task is not a
wait_time.
Expect: fail on pacing_s
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, TaskSet, task


def _pause(user: Any) -> None:
    taskset = getattr(user, "_taskset_instance", None)
    if taskset is not None:
        taskset._sleep(2.0)
    else:
        TaskSet._sleep(None, 2.0)


class ShopUser(HttpUser):
    @task(7)
    def browse(self) -> None:
        _pause(self)
        self.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/[id]")

    @task(2)
    def search(self) -> None:
        _pause(self)
        self.client.get(f"/search?q={random.choice(['lamp', 'desk'])}", name="/search")

    @task(1)
    def checkout(self) -> None:
        _pause(self)
        self.client.post(f"/orders/{random.randint(1, 99)}/checkout", name="/orders/[id]/checkout")


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

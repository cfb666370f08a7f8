"""A `tasks` list of functions outside the class, constant_pacing; Part B hands every view
to one writer thread through a queue.

Part A: task functions at module level taking the user, listed 7, 2 and 1 times in
`tasks` (Locust's list spelling of weights), and constant_pacing(2): a task every 2 s
whatever the answer time. Part B: a single writer thread owns the counts; price() puts
(sku, reply queue) on its queue and waits for the number, then quotes with nothing held.
Only one thread ever touches the dict, so nothing races and no lock is needed.
Expect: pass
"""

from __future__ import annotations

import queue
import random
import threading
from typing import Any

from locust import HttpUser, constant_pacing


def browse(user: Any) -> None:
    user.client.get(f"/products/{random.randint(1, 50_000)}", name="/products/:id")


def search(user: Any) -> None:
    user.client.get("/search", params={"q": random.choice(["lamp", "desk"])}, name="/search")


def checkout(user: Any) -> None:
    user.client.post(f"/orders/{random.randint(1, 999)}/checkout", name="/orders/:id/checkout")


class ShopUser(HttpUser):
    tasks = [browse] * 7 + [search] * 2 + [checkout]
    wait_time = constant_pacing(2)


_inbox: queue.Queue[tuple[str, queue.Queue[int]]] = queue.Queue()


def _writer() -> None:
    views: dict[str, int] = {}
    while True:
        sku, reply = _inbox.get()
        views[sku] = views.get(sku, 0) + 1
        reply.put(views[sku])


threading.Thread(target=_writer, daemon=True).start()


def price(sku: str, db: Any) -> dict[str, Any]:
    reply: queue.Queue[int] = queue.Queue(maxsize=1)
    _inbox.put((sku, reply))
    views = reply.get()
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

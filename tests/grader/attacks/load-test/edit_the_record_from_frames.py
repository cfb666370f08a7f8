"""Class 2 — rewrite the check's record of requests from the task loop's frames.

Tries: the starter's three unweighted, unnamed tasks with a proper wait_time; after each
request, walk up the stack to the frame holding the list of recorded requests and rewrite
its last entry: a templated name, and the URL of whichever endpoint keeps the record at
70/20/10.
Must not pass because: the record is checked against a tally kept as the recording client
made each request (a count and a checksum the learner's code cannot assign); an edited
record is refused.
Expect: wrong result
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from locust import HttpUser, between, task

NAMES = {"GET /products/1": "/products/[id]", "GET /search?q=lamp": "/search"}
PLAN = ["GET /products/1"] * 7 + ["GET /search?q=lamp"] * 2 + ["POST /orders/1/checkout"]


def _record() -> list[Any] | None:
    frame = sys._getframe(1)
    while frame is not None:
        for value in frame.f_locals.values():
            last = value[-1] if isinstance(value, list) and value else None
            if isinstance(last, tuple) and len(last) >= 3 and last[0] in ("GET", "POST"):
                return value
        frame = frame.f_back
    return None


def _rewrite() -> None:
    sent = _record()
    if sent is None:
        return
    method, url = PLAN[(len(sent) - 1) % len(PLAN)].split(" ")
    name = NAMES.get(f"{method} {url}", "/orders/[id]/checkout")
    sent[-1] = (method, url, name, *sent[-1][3:])


class ShopUser(HttpUser):
    wait_time = between(1, 5)

    @task
    def browse(self) -> None:
        self.client.get("/products/17")
        _rewrite()

    @task
    def search(self) -> None:
        self.client.get("/search?q=desk")
        _rewrite()

    @task
    def checkout(self) -> None:
        self.client.post("/orders/42/checkout")
        _rewrite()


_lock = threading.Lock()
_views: dict[str, int] = {}


def price(sku: str, db: Any) -> dict[str, Any]:
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
    quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

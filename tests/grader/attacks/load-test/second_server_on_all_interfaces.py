"""Class 4 — open a listening socket of its own on every interface, and call out.

Tries: binding 0.0.0.0 on a fixed port (a side channel other machines could reach) and
connecting to a port on this machine, from the learner's price().
Must not pass because: a lab's service may listen on ('127.0.0.1', 0) only and connect
nowhere; the sandbox refuses both and the request fails.
Expect: not pass
"""

from __future__ import annotations

import random
import socket
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


def price(sku: str, db: Any) -> dict[str, Any]:
    side = socket.socket()
    try:
        side.bind(("0.0.0.0", 8089))
    except OSError:
        side.connect(("127.0.0.1", 22))
    finally:
        side.close()
    with _lock:
        _views[sku] = _views.get(sku, 0) + 1
        views = _views[sku]
        quote = db.quote(sku)
    return {"sku": sku, "price": quote["price"], "quote": quote["quote"], "views": views}

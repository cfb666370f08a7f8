"""The page goes out as soon as the required data is in; recommendations if they made it.

Tries: recommendations as a task with the time left as its timeout, never awaited for
its own sake: once the profile and the priced cart are in, the page takes the
recommendations if that task has already succeeded and None otherwise, and cancels the
task (its call still runs, within the deadline, in the service). Nested gathers, no
semaphore (no service ever gets more than two calls at once here), a small Deadline class.
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any


class Deadline:
    def __init__(self, client: Any, seconds: float) -> None:
        self.client = client
        self.at = client.now() + seconds  # the request arrived at 0: the same point

    def left(self) -> float:
        return max(0.0, self.at - self.client.now())


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id = request["user_id"]
    deadline = Deadline(client, request["deadline"])

    async def recs() -> list[str] | None:
        try:
            return await client.recommendations.for_user(user_id, timeout=deadline.left())
        except (TimeoutError, ConnectionError):
            return None

    async def prices_of(skus: list[str]) -> dict[str, int]:
        n = client.max_batch
        parts = await asyncio.gather(
            *(
                client.prices.get_many(skus[i : i + n], timeout=deadline.left())
                for i in range(0, len(skus), n)
            )
        )
        return {sku: cents for part in parts for sku, cents in part.items()}

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id, timeout=deadline.left())
        return cart, await prices_of([item["sku"] for item in cart])

    side = asyncio.create_task(recs())
    user, (cart, prices) = await asyncio.gather(
        client.users.get(user_id, timeout=deadline.left()), priced()
    )
    got = side.result() if side.done() else None
    side.cancel()
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

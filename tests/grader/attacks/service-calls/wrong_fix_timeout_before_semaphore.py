"""Wrong fix — each call's timeout computed before it waits for the semaphore.

Tries: batches, concurrent branches, the optional call degraded, and a bound: the price
batches go one at a time through a Semaphore(1), but `timeout=left()` is evaluated as
the coroutine is created, before the semaphore is acquired. The second batch waits for
the first (30–45 ms) and then carries a timeout that reaches that far past the deadline.
Must not pass because: a timeout is the time left when the call starts; the price
service answers fast on these pages, but the deadline no longer bounds the call.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    one_at_a_time = asyncio.Semaphore(1)

    def left() -> float:
        return deadline - client.now()

    async def batch(skus: list[str], timeout: float) -> dict[str, int]:
        async with one_at_a_time:
            return await client.prices.get_many(skus, timeout=timeout)

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id, timeout=left())
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(batch(skus[i : i + n], left()) for i in range(0, len(skus), n))
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=left())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=left()), priced(), recs()
    )
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

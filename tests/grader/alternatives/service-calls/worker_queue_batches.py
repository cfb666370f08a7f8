"""Price batches pulled from a queue by a fixed number of workers; tasks, not gather.

Tries: a bounded fan-out without a semaphore: the batches go into an asyncio.Queue and
client.max_in_flight - 2 workers (users and recommendations hold the other two) take
them one at a time. The user and recommendations run as tasks created up front and are
awaited last; every call gets the time left as its timeout, checked before it starts;
recommendations that fail or time out become None.
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]

    def timeout() -> float:
        left = deadline - client.now()
        if left <= 0:
            raise TimeoutError("no time left for this call")
        return left

    async def recs() -> list[str] | None:
        try:
            return await client.recommendations.for_user(user_id, timeout=timeout())
        except (TimeoutError, ConnectionError):
            return None

    user_task = asyncio.create_task(client.users.get(user_id, timeout=timeout()))
    recs_task = asyncio.create_task(recs())
    cart = await client.cart.get(user_id, timeout=timeout())
    skus = [item["sku"] for item in cart]
    queue: asyncio.Queue[list[str]] = asyncio.Queue()
    for start in range(0, len(skus), client.max_batch):
        queue.put_nowait(skus[start : start + client.max_batch])
    prices: dict[str, int] = {}

    async def worker() -> None:
        while not queue.empty():
            batch = queue.get_nowait()
            prices.update(await client.prices.get_many(batch, timeout=timeout()))

    workers = max(1, client.max_in_flight - 2)
    await asyncio.gather(*(worker() for _ in range(workers)))
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": await user_task,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": await recs_task,
    }

"""Tasks collected with asyncio.wait, the deadline kept in whole milliseconds, a margin.

Tries: every call a task; asyncio.wait(..., return_when=ALL_COMPLETED) with no real-time
timeout; the time left computed in whole milliseconds rounded down, minus a 2 ms safety
margin for the required calls, and shielded recommendations (asyncio.shield) whose
errors are read from the finished task.
Expect: pass
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

MARGIN_MS = 2


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id = request["user_id"]
    deadline_ms = round(request["deadline"] * 1000)
    gate = asyncio.Semaphore(client.max_in_flight)

    def left_s(margin_ms: int = 0) -> float:
        ms = math.floor(deadline_ms - client.now() * 1000) - margin_ms
        return max(0, ms) / 1000

    async def required(method: Any, arg: Any) -> Any:
        async with gate:
            return await method(arg, timeout=left_s(MARGIN_MS))

    async def optional() -> Any:
        async with gate:
            return await client.recommendations.for_user(user_id, timeout=left_s())

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await required(client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        tasks = [
            asyncio.create_task(required(client.prices.get_many, skus[i : i + n]))
            for i in range(0, len(skus), n)
        ]
        await asyncio.wait(tasks)
        return cart, {sku: cents for t in tasks for sku, cents in t.result().items()}

    user = asyncio.create_task(required(client.users.get, user_id))
    cart_prices = asyncio.create_task(priced())
    recs = asyncio.create_task(optional())
    await asyncio.wait([user, cart_prices, asyncio.shield(recs)])
    got = None if recs.exception() is not None else recs.result()
    cart, prices = cart_prices.result()
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user.result(),
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

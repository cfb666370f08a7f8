"""Wrong fix — the time left measured on the real clock (time.monotonic), not client.now().

Tries: the reference structure, but the time left is deadline − (time.monotonic() −
start), start read when render_page begins: the habit from production code. Here real
time barely moves, so every call gets nearly the whole 200 ms, however late it starts.
Must not pass because: the page's clock is client.now(); the price batches start 20–40
ms in and their timeouts reach past the deadline by as much.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
import time
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    start = time.monotonic()
    limit = asyncio.Semaphore(client.max_in_flight)

    def left() -> float:
        return deadline - (time.monotonic() - start)

    async def bounded(call: Any, arg: Any) -> Any:
        async with limit:
            return await call(arg, timeout=left())

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await bounded(client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(bounded(client.prices.get_many, skus[i : i + n]) for i in range(0, len(skus), n))
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recs() -> Any:
        try:
            return await bounded(client.recommendations.for_user, user_id)
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        bounded(client.users.get, user_id), priced(), recs()
    )
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

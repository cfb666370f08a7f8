"""Wrong fix — concurrent, bounded and with a deadline, but still one price call per item.

Tries: every call gathered under asyncio.Semaphore(client.max_in_flight), each with the
time left as its timeout, recommendations optional; the prices are still fetched with
prices.get, one call per cart item.
Must not pass because: concurrency hides the N+1's latency, not its calls: a 40-item
cart is 43 calls, 40 round trips the price service serves instead of two.
Expect: fail on calls_per_page
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    sem = asyncio.Semaphore(client.max_in_flight)

    async def bounded(method: Any, arg: Any) -> Any:
        async with sem:
            return await method(arg, timeout=deadline - client.now())

    async def priced() -> tuple[list[Any], list[int]]:
        cart = await bounded(client.cart.get, user_id)
        cents = await asyncio.gather(*(bounded(client.prices.get, i["sku"]) for i in cart))
        return cart, list(cents)

    async def recs() -> Any:
        try:
            return await bounded(client.recommendations.for_user, user_id)
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, cents), got = await asyncio.gather(
        bounded(client.users.get, user_id), priced(), recs()
    )
    lines = [[i["sku"], i["qty"], c] for i, c in zip(cart, cents, strict=True)]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": got,
    }

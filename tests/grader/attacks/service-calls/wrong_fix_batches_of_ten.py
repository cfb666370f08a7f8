"""Wrong fix — the prices batched, but ten skus a call instead of up to twenty.

Tries: get_many with chunks of 10 (a "safe" batch size), every call concurrent and
bounded, the deadline on every call: a 40-item cart is 4 price calls.
Must not pass because: the calls per page are the cost the lab counts: a batch API that
takes client.max_batch skus a call needs ceil(items / max_batch) calls, and the message
must say so (not talk about retries).
Expect: fail on calls_per_page
"""

from __future__ import annotations

import asyncio
from typing import Any

CHUNK = 10


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    limit = asyncio.Semaphore(client.max_in_flight)

    async def bounded(call: Any, arg: Any) -> Any:
        async with limit:
            return await call(arg, timeout=deadline - client.now())

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await bounded(client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        parts = await asyncio.gather(
            *(
                bounded(client.prices.get_many, skus[i : i + CHUNK])
                for i in range(0, len(skus), CHUNK)
            )
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

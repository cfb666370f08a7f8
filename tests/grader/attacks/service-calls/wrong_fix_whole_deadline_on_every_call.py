"""Wrong fix — every call given the whole deadline as its timeout, not the time left.

Tries: the batch call, concurrent branches, recommendations optional, and every call
given timeout=request["deadline"] (0.2 s). Right for the calls that start at 0 ms (users,
cart, recommendations); stale for the price batches, which start when the cart answers
and could then run 20–40 ms past the page's deadline.
Must not pass because: the deadline is not propagated: a call's timeout must be the time
left when it starts. That the price service happens to answer fast on these pages does
not make a timeout that reaches past the deadline right.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, budget = request["user_id"], request["deadline"]
    limit = asyncio.Semaphore(client.max_in_flight)

    async def bounded(call: Any, arg: Any) -> Any:
        async with limit:
            return await call(arg, timeout=budget)

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

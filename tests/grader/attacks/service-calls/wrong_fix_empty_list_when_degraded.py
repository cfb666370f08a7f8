"""Wrong fix — the degraded page shows an empty list instead of None.

Tries: the reference, but a failed recommendations call puts [] on the page ("no
recommendations"), so templates can loop over it.
Must not pass because: the brief's page has recommendations None exactly when no
recommendations call succeeded: [] claims the service answered with nothing.
Expect: wrong result
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    limit = asyncio.Semaphore(client.max_in_flight)

    async def bounded(call: Any, arg: Any) -> Any:
        async with limit:
            return await call(arg, timeout=deadline - client.now())

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
            return []

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

"""Wrong fix — only the optional call carries the deadline; the required ones none.

Tries: the batch call, concurrent branches and recommendations with timeout = time left,
but users, cart and the price batches awaited with no timeout at all ("they always
answer").
Must not pass because: one deadline means every call of the page carries it: a required
service that slows down would hold the page, and its calls, past the deadline. The brief
counts calls with no timeout among those left running past it.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id)
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(client.prices.get_many(skus[i : i + n]) for i in range(0, len(skus), n))
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=deadline - client.now())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(client.users.get(user_id), priced(), recs())
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

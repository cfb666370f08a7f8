"""Wrong fix — the time left computed once per branch, then reused for its later calls.

Tries: the reference structure, but the cart-and-prices branch reads the time left once,
before the cart call, and passes that same number to the price batches that start when
the cart answers 20–40 ms later (right on the first call, stale on the next).
Must not pass because: a timeout is the time left when the call starts; the batches'
timeouts reach past the deadline by as long as the cart took, though the price service
answered in time on these pages.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]

    async def priced() -> tuple[list[Any], dict[str, int]]:
        budget = deadline - client.now()  # read once, used for every call of the branch
        cart = await client.cart.get(user_id, timeout=budget)
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(
                client.prices.get_many(skus[i : i + n], timeout=budget)
                for i in range(0, len(skus), n)
            )
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=deadline - client.now())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=deadline - client.now()), priced(), recs()
    )
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

"""Wrong fix — recommendations given 1 ms, so the side panel is never shown.

Tries: the batch call, concurrent branches, the deadline on every call, and the optional
call given timeout=0.001: it always times out, the page never waits for it and always goes
out with recommendations None, the fastest page there is.
Must not pass because: the brief asks for a page without recommendations when that
service is slow or down, not always. A page that never shows them on the pages where
they answered in 30-60 ms has dropped a feature, not degraded gracefully.
Expect: wrong result
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    left = lambda: deadline - client.now()  # noqa: E731

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id, timeout=left())
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(
                client.prices.get_many(skus[i : i + n], timeout=left())
                for i in range(0, len(skus), n)
            )
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=0.001)
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

"""Recommendations capped at 50 ms of their own, as in the lesson's worked example.

Tries: the reference, except that the optional call gets min(50 ms, time left) as its
timeout: the page never waits more than 50 ms for recommendations, and goes out without
them on the pages where they would have taken longer (about one healthy page in three
here, recommendations taking 30-60 ms).
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any

RECS_BUDGET_S = 0.050  # a cap of its own: some pages go out without recommendations


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """The page for one user: profile, cart lines with prices, total, recommendations."""
    user_id = request["user_id"]
    deadline = request["deadline"]
    limit = asyncio.Semaphore(client.max_in_flight)  # per page, shared by every call

    def left() -> float:
        """The time left until the page's deadline: every call's timeout."""
        return deadline - client.now()

    async def bounded(call: Any, *args: Any) -> Any:
        async with limit:
            return await call(*args, timeout=left())

    async def cart_with_prices() -> tuple[list[Any], dict[str, int]]:
        cart = await bounded(client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        batches = [skus[i : i + client.max_batch] for i in range(0, len(skus), client.max_batch)]
        prices: dict[str, int] = {}
        for answer in await asyncio.gather(*(bounded(client.prices.get_many, b) for b in batches)):
            prices.update(answer)
        return cart, prices

    async def optional_recommendations() -> list[str] | None:
        if left() <= 0:
            return None
        try:
            async with limit:  # its own budget, inside the page's
                return await client.recommendations.for_user(
                    user_id, timeout=min(RECS_BUDGET_S, left())
                )
        except (TimeoutError, ConnectionError):  # optional: the page goes out without them
            return None

    user, (cart, prices), recommendations = await asyncio.gather(
        bounded(client.users.get, user_id), cart_with_prices(), optional_recommendations()
    )
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recommendations,
    }

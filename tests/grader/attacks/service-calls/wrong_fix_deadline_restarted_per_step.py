"""Wrong fix — each step keeps its own 200 ms budget, started when the step starts.

Tries: a small Budget class (`Budget(client, seconds)`, `.left()`) made at the start of
each step: the first branch's starts at 0 ms, so users, cart and recommendations get the
right timeouts, but the price step makes a new one when the cart has answered and gives
its batches 200 ms from there, a budget per hop dressed as a deadline.
Must not pass because: the deadline is the request's, 200 ms after it arrived: every
call's timeout must end by then, and the batches' end 20–40 ms after it.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


class Budget:
    def __init__(self, client: Any, seconds: float) -> None:
        self.client = client
        self.until = client.now() + seconds

    def left(self) -> float:
        return self.until - self.client.now()


async def _prices(client: Any, skus: list[str], seconds: float) -> dict[str, int]:
    budget = Budget(client, seconds)  # a fresh budget for this step
    n = client.max_batch
    parts = await asyncio.gather(
        *(
            client.prices.get_many(skus[i : i + n], timeout=budget.left())
            for i in range(0, len(skus), n)
        )
    )
    return {sku: cents for part in parts for sku, cents in part.items()}


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, seconds = request["user_id"], request["deadline"]
    budget = Budget(client, seconds)

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id, timeout=budget.left())
        return cart, await _prices(client, [item["sku"] for item in cart], seconds)

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=budget.left())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=budget.left()), priced(), recs()
    )
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

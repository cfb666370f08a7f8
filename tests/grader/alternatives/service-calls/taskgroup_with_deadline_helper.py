"""A TaskGroup, a deadline object, recommendations capped at a budget of their own.

Tries: the lesson's shape: a Deadline that knows the time left and refuses to start a call
with under 1 ms of it, one asyncio.Semaphore per page around every call, a TaskGroup
for the three independent branches (the cart's branch gathers its price batches), and
recommendations with their own 60 ms budget inside the page's, caught as optional.
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any

MIN_CALL_S = 0.001
RECS_BUDGET_S = 0.060


class Deadline:
    """The page's one deadline, read on the client's clock."""

    def __init__(self, client: Any, at: float) -> None:
        self.client = client
        self.at = at

    def remaining(self, cap: float | None = None) -> float:
        left = self.at - self.client.now()
        if left < MIN_CALL_S:
            raise TimeoutError(f"{left * 1000:.1f} ms left")
        return left if cap is None else min(cap, left)


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id = request["user_id"]
    deadline = Deadline(client, request["deadline"])
    sem = asyncio.Semaphore(client.max_in_flight)

    async def call(method: Any, arg: Any, cap: float | None = None) -> Any:
        async with sem:
            return await method(arg, timeout=deadline.remaining(cap))

    async def priced_cart() -> tuple[list[dict[str, Any]], dict[str, int]]:
        cart = await call(client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        size = client.max_batch
        parts = await asyncio.gather(
            *(call(client.prices.get_many, skus[i : i + size]) for i in range(0, len(skus), size))
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recommendations() -> list[str] | None:
        try:
            return await call(client.recommendations.for_user, user_id, RECS_BUDGET_S)
        except (TimeoutError, ConnectionError):
            return None

    async with asyncio.TaskGroup() as group:
        user = group.create_task(call(client.users.get, user_id))
        cart = group.create_task(priced_cart())
        recs = group.create_task(recommendations())
    items, prices = cart.result()
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in items]
    return {
        "user": user.result(),
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recs.result(),
    }

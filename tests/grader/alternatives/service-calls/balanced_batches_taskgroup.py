"""The cart split evenly into as few batches as max_batch allows, under a TaskGroup.

Tries: a TaskGroup per stage instead of gather; the skus split into ceil(n / max_batch)
batches of nearly equal size (a 25-item cart is 13 + 12, not 20 + 5); a semaphore per
service; every timeout the time left, computed inside the semaphore.
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    limits = {name: asyncio.Semaphore(client.max_in_flight) for name in ("u", "c", "p", "r")}

    async def call(kind: str, method: Any, arg: Any) -> Any:
        async with limits[kind]:
            return await method(arg, timeout=deadline - client.now())

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await call("c", client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        n = max(1, -(-len(skus) // client.max_batch))
        size = -(-len(skus) // n) if skus else 0
        async with asyncio.TaskGroup() as group:
            parts = [
                group.create_task(call("p", client.prices.get_many, skus[i : i + size]))
                for i in range(0, len(skus), size or 1)
            ]
        prices: dict[str, int] = {}
        for part in parts:
            prices.update(part.result())
        return cart, prices

    async def recs() -> list[str] | None:
        try:
            return await call("r", client.recommendations.for_user, user_id)
        except (TimeoutError, ConnectionError):
            return None

    async with asyncio.TaskGroup() as group:
        user = group.create_task(call("u", client.users.get, user_id))
        cart_prices = group.create_task(priced())
        got = group.create_task(recs())
    cart, prices = cart_prices.result()
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user.result(),
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got.result(),
    }

"""A stricter bound than the services': two calls in flight for the whole page.

Tries: one asyncio.Semaphore(2) shared by every call of the page (well within the four
per service), so calls really queue for it: recommendations often start only when the
profile or the cart has answered, and the price batches wait for a slot. Each timeout is
the time left when the call gets its slot, so the waiting costs no deadline; the optional
call skips when no time is left. A helper builds the page.
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any


def _page(user: Any, cart: list[Any], prices: dict[str, int], recs: Any) -> dict[str, Any]:
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recs,
    }


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    slots = asyncio.Semaphore(2)

    async def call(method: Any, arg: Any) -> Any:
        async with slots:
            left = deadline - client.now()
            if left <= 0:
                raise TimeoutError("no time left")
            return await method(arg, timeout=left)

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await call(client.cart.get, user_id)
        skus = [item["sku"] for item in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(call(client.prices.get_many, skus[i : i + n]) for i in range(0, len(skus), n))
        )
        return cart, {sku: cents for part in parts for sku, cents in part.items()}

    async def recs() -> Any:
        try:
            return await call(client.recommendations.for_user, user_id)
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        call(client.users.get, user_id), priced(), recs()
    )
    return _page(user, cart, prices, got)

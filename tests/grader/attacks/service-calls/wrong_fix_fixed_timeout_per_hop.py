"""Wrong fix — a fixed one-second timeout on every call instead of the time left.

Tries: the batch call, concurrent branches, recommendations optional, and every call
given timeout=1.0, a generous per-hop constant.
Must not pass because: a per-hop timeout ignores the page's budget: a hung
recommendations call waits its full second, 800 ms after the page's deadline.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


async def _priced(
    client: Any, user_id: str, timeout: Any = None
) -> tuple[list[Any], dict[str, int]]:
    cart = await client.cart.get(user_id, timeout=timeout() if timeout else None)
    skus = [item["sku"] for item in cart]
    n = client.max_batch
    parts = await asyncio.gather(
        *(
            client.prices.get_many(skus[i : i + n], timeout=timeout() if timeout else None)
            for i in range(0, len(skus), n)
        )
    )
    return cart, {sku: cents for part in parts for sku, cents in part.items()}


def _page(user: Any, cart: list[Any], prices: dict[str, int], recs: Any) -> dict[str, Any]:
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recs,
    }


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id = request["user_id"]

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=1.0)
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=1.0), _priced(client, user_id, lambda: 1.0), recs()
    )
    return _page(user, cart, prices, got)

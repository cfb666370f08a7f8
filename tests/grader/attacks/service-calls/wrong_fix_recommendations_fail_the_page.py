"""Wrong fix — batch, concurrency and the deadline right, recommendations required.

Tries: the reference's calls, timeouts and bound, but the recommendations call is
gathered like the others: its TimeoutError or ConnectionError propagates.
Must not pass because: recommendations are optional; when that service hangs or is
down, the whole page fails with it, for want of a side panel.
Expect: fail on degraded_pages_served
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
    user_id, deadline = request["user_id"], request["deadline"]

    def left() -> float:
        return deadline - client.now()

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=left()),
        _priced(client, user_id, left),
        client.recommendations.for_user(user_id, timeout=left()),
    )
    return _page(user, cart, prices, got)

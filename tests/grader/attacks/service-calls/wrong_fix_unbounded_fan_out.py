"""Wrong fix — one price call per item, all started at once with asyncio.gather.

Tries: "concurrently" as "all at once": the cart's items are priced by gathering one
prices.get per item with no bound; the other calls are gathered too, with the deadline
and recommendations optional.
Must not pass because: a 40-item cart puts 40 calls in flight on the price service at
once (it takes 4 from one page), and the N+1 is still 40 calls.
Expect: fail on in_flight_max
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]

    def left() -> float:
        return deadline - client.now()

    async def priced() -> tuple[list[Any], list[int]]:
        cart = await client.cart.get(user_id, timeout=left())
        cents = await asyncio.gather(*(client.prices.get(i["sku"], timeout=left()) for i in cart))
        return cart, list(cents)

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=left())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, cents), got = await asyncio.gather(
        client.users.get(user_id, timeout=left()), priced(), recs()
    )
    lines = [[i["sku"], i["qty"], c] for i, c in zip(cart, cents, strict=True)]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": got,
    }

"""Wrong fix — the deadline enforced with asyncio.wait_for, as in real code.

Tries: batch and concurrency, and recommendations wrapped in
asyncio.wait_for(..., timeout=time left), a real-time timeout around the call instead of
the call's own timeout.
Must not pass because: the brief says time here is simulated: wait_for measures real
time, which barely moves, so it never fires and a hung call holds the page. (In
production the same code would abandon the wait but leave the call running downstream:
only a propagated deadline stops the work.)
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
    user_id, deadline = request["user_id"], request["deadline"]

    async def recs() -> Any:
        try:
            return await asyncio.wait_for(
                client.recommendations.for_user(user_id), timeout=deadline - client.now()
            )
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id), _priced(client, user_id), recs()
    )
    return _page(user, cart, prices, got)

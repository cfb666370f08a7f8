"""Wrong fix — the deadline checked before each call, but not passed to the calls.

Tries: the batch call and concurrent branches; before every call the handler checks
client.now() against the deadline and skips (or raises) when it has passed, but the calls
themselves carry no timeout.
Must not pass because: a check before the call cannot stop a call already waiting: a
hung recommendations call holds the page past its deadline. The deadline has to travel
with the call, as its timeout.
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

    def check() -> None:
        if client.now() >= deadline:
            raise TimeoutError("deadline passed")

    async def recs() -> Any:
        try:
            check()
            return await client.recommendations.for_user(user_id)
        except (TimeoutError, ConnectionError):
            return None

    check()
    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id), _priced(client, user_id), recs()
    )
    return _page(user, cart, prices, got)

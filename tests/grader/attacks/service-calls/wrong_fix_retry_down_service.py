"""Wrong fix — retry recommendations until they answer or the deadline comes.

Tries: the reference, except that a refused recommendations call is retried at once,
each retry with the time left as its timeout, until it succeeds or raises TimeoutError.
Must not pass because: a service that refuses is down, and a retry is one more call to
it: about a hundred calls a page while it is down, each one load on a failing service
for an answer that will not come.
Expect: fail on calls_per_page
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

    async def recs() -> Any:
        while True:
            try:
                return await client.recommendations.for_user(user_id, timeout=left())
            except ConnectionError:
                continue  # try again: it may be back
            except TimeoutError:
                return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=left()), _priced(client, user_id, left), recs()
    )
    return _page(user, cart, prices, got)

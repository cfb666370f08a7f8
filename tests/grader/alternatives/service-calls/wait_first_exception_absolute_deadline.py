"""asyncio.wait with FIRST_EXCEPTION, the deadline turned into a timeout per call site.

Tries: every call is wrapped in a task as soon as its inputs exist; a required task that
raises ends the page at once (FIRST_EXCEPTION), the optional one is awaited separately
and its failure becomes None. Price batches are limited by a semaphore of their own
(min(2, max_in_flight)): the three first calls go to three different services, so no
service ever sees more than two of this page's calls at once.
Expect: pass
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id = request["user_id"]
    end = request["deadline"]
    batches = asyncio.Semaphore(min(2, client.max_in_flight))

    async def prices_for(skus: list[str]) -> dict[str, int]:
        async with batches:
            return await client.prices.get_many(skus, timeout=end - client.now())

    async def cart_lines() -> list[list[Any]]:
        cart = await client.cart.get(user_id, timeout=end - client.now())
        skus = [i["sku"] for i in cart]
        n = client.max_batch
        found: dict[str, int] = {}
        for part in await asyncio.gather(
            *(prices_for(skus[k : k + n]) for k in range(0, len(skus), n))
        ):
            found.update(part)
        return [[i["sku"], i["qty"], found[i["sku"]]] for i in cart]

    async def optional() -> list[str] | None:
        try:
            return await client.recommendations.for_user(user_id, timeout=end - client.now())
        except Exception:
            return None

    user = asyncio.ensure_future(client.users.get(user_id, timeout=end - client.now()))
    lines = asyncio.ensure_future(cart_lines())
    recs = asyncio.ensure_future(optional())
    done, _ = await asyncio.wait({user, lines}, return_when=asyncio.FIRST_EXCEPTION)
    for task in done:
        task.result()  # raises the first failure of a required call
    await asyncio.wait({user, lines})
    got = lines.result()
    return {
        "user": user.result(),
        "lines": got,
        "total_cents": sum(q * c for _, q, c in got),
        "recommendations": await recs,
    }

"""Wrong fix — every call retried up to three times, each with the time left.

Tries: batch, concurrency and a propagated deadline, plus a generic retry helper: any
TimeoutError or ConnectionError is retried, at most three attempts, each given
deadline - now as its timeout; recommendations that still fail become None.
Must not pass because: a call cut by the deadline is retried at the deadline, with no
time left: a call nobody will read, started after the page gave up. Retries must stay
inside the budget: check the time left before each one.
Expect: fail on calls_after_deadline
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    sem = asyncio.Semaphore(client.max_in_flight)

    async def retried(method: Any, arg: Any) -> Any:
        for attempt in range(3):
            try:
                async with sem:
                    return await method(arg, timeout=deadline - client.now())
            except (TimeoutError, ConnectionError):
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await retried(client.cart.get, user_id)
        skus = [i["sku"] for i in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(retried(client.prices.get_many, skus[k : k + n]) for k in range(0, len(skus), n))
        )
        return cart, {s: c for part in parts for s, c in part.items()}

    async def recs() -> Any:
        try:
            return await retried(client.recommendations.for_user, user_id)
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        retried(client.users.get, user_id), priced(), recs()
    )
    lines = [[i["sku"], i["qty"], prices[i["sku"]]] for i in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": got,
    }

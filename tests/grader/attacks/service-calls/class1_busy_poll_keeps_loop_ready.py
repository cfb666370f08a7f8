"""Class 1 — a task that never waits, so the driver's idle detection never fires.

Tries: the reference page, plus a helper task that loops on asyncio.sleep(0) until the
page is done: the loop's run queue is never empty, so the driver never sends the queued
calls and the simulated clock never moves (a learner polling `task.done()` with
sleep(0) writes the same thing by accident).
Must not pass because: no service is ever asked; the page must be stopped with a message
that says it never waits, quickly, not run into the check's timeout.
Expect: not pass
"""

from __future__ import annotations

import asyncio
from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    left = lambda: deadline - client.now()  # noqa: E731
    recs = asyncio.ensure_future(client.recommendations.for_user(user_id, timeout=left()))
    user = asyncio.ensure_future(client.users.get(user_id, timeout=left()))
    while not (recs.done() and user.done()):  # poll instead of await
        await asyncio.sleep(0)
    cart = await client.cart.get(user_id, timeout=left())
    skus = [item["sku"] for item in cart]
    n = client.max_batch
    parts = await asyncio.gather(
        *(client.prices.get_many(skus[i : i + n], timeout=left()) for i in range(0, len(skus), n))
    )
    prices = {sku: cents for part in parts for sku, cents in part.items()}
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    try:
        got = recs.result()
    except (TimeoutError, ConnectionError):
        got = None
    return {
        "user": user.result(),
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

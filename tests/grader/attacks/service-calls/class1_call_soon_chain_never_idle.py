"""Class 1 — a self-rescheduling loop.call_soon callback: the run queue is never empty.

Tries: the starter's handler, plus a callback that puts itself back on the loop's run
queue (call_soon) forever, hoping that the driver, which lets the clock move only when
nothing is ready to run, never lets it move: the page would then take no simulated time
at all, or the per-item calls would pile up and be sent together as if they overlapped.
Must not pass because: with a callback always ready the driver sends nothing and the
grader answers nothing, so the handler can only wait; the driver stops the page, quickly
and with a message that says why, instead of running into the check's timeout.
Expect: not pass
"""

from __future__ import annotations

import asyncio
from typing import Any


def _spin(loop: asyncio.AbstractEventLoop) -> None:
    loop.call_soon(_spin, loop)


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    loop.call_soon(_spin, loop)
    user_id = request["user_id"]
    user = await client.users.get(user_id)
    cart = await client.cart.get(user_id)
    lines = []
    for item in cart:
        cents = await client.prices.get(item["sku"])
        lines.append([item["sku"], item["qty"], cents])
    recommendations = await client.recommendations.for_user(user_id)
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recommendations,
    }

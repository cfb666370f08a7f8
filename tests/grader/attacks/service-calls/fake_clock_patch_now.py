"""Class 1 — fake the clock: stop client.now() and time.monotonic, keep the starter.

Tries: the starter's handler, with the client's class patched so that now() always says
0.0 (no time has passed, the deadline is always far), time.monotonic/perf_counter frozen,
and the event loop's clock stopped, in the hope that the page is timed by one of them.
Must not pass because: the simulated clock lives in the grader and moves only when a
call ends there; client.now() is the subject's copy, for the handler to read. The calls
still run one after another, one per item, past the deadline.
Expect: not pass
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

_patched = False


def _freeze(client: Any) -> None:
    global _patched
    if _patched:
        return
    _patched = True
    type(client).now = lambda self: 0.0
    time.monotonic = lambda: 0.0
    time.perf_counter = lambda: 0.0
    asyncio.get_running_loop().time = lambda: 0.0  # type: ignore[method-assign]


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """The starter's handler: four services one after another, a price call per item."""
    _freeze(client)
    user_id = request["user_id"]
    user = await client.users.get(user_id)
    cart = await client.cart.get(user_id)
    lines = []
    for item in cart:
        lines.append([item["sku"], item["qty"], await client.prices.get(item["sku"])])
    recommendations = await client.recommendations.for_user(user_id)
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recommendations,
    }

"""Class 1 — patch the driver so the calls a handler never waits for are never reported.

Tries: find the driver's module in sys.modules and replace its flush() with one that
drops the queue, then start recommendations without waiting for them (a fire-and-forget
call that would otherwise be counted) and serve every page at the speed of its required
calls; the prices go one by one but all at once (gather, no bound), hoping the patched
driver hides them too.
Must not pass because: a call is counted when it reaches the grader, and an answer only
comes from the grader: a call never sent has no answer, so the page has no
recommendations where the service was up, a wrong page; the per-item calls are sent to
get their prices, so they are counted.
Expect: not pass
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

_STARTED: set[Any] = set()


def _patch() -> None:
    for module in list(sys.modules.values()):
        sim = getattr(module, "_Sim", None)
        if sim is not None and hasattr(sim, "flush"):
            sim.flush = lambda self: self.queued.clear()


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    _patch()
    user_id = request["user_id"]
    _STARTED.add(asyncio.ensure_future(client.recommendations.for_user(user_id)))
    user = await client.users.get(user_id)
    cart = await client.cart.get(user_id)
    cents = await asyncio.gather(*(client.prices.get(i["sku"]) for i in cart))
    lines = [[i["sku"], i["qty"], c] for i, c in zip(cart, cents, strict=True)]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": None,
    }

"""Class 4 — keep the first page's client and send later pages' calls through it.

Tries: the reference page, but the client of the first page is kept in a module global
and every later page calls its services through it, hoping the calls land on services
the grader no longer counts (the first page's, already graded) and that the slow
per-item price calls made there cost the current page nothing.
Must not pass because: each page gets a fresh set of services, retired as soon as the
page returns: a call to a retired page's services is refused, and stops the page.
Expect: wrong result
"""

from __future__ import annotations

import asyncio
from typing import Any

_first: list[Any] = []


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    if not _first:
        _first.append(client)
    old = _first[0]
    user_id, deadline = request["user_id"], request["deadline"]

    def left() -> float:
        return deadline - client.now()

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id, timeout=left())
        cents = await asyncio.gather(*(old.prices.get(item["sku"]) for item in cart))
        return cart, {item["sku"]: c for item, c in zip(cart, cents, strict=True)}

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=left())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=left()), priced(), recs()
    )
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": got,
    }

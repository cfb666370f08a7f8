"""Class 5 — remember each user's page and serve it again when the user comes back.

Tries: the reference's calls the first time a user asks; every later page for the same
user is the one built before, with no call at all (a page cache keyed by user id, kept
in a module-level dict).
Must not pass because: every page has its own cart, prices and points (users come back
with new carts): a remembered page is wrong, and a page built from nothing made no calls
that anyone could count.
Expect: wrong result
"""

from __future__ import annotations

import asyncio
from typing import Any

_PAGES: dict[str, dict[str, Any]] = {}


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]
    if user_id in _PAGES:
        return _PAGES[user_id]

    def left() -> float:
        return deadline - client.now()

    async def priced() -> tuple[list[Any], dict[str, int]]:
        cart = await client.cart.get(user_id, timeout=left())
        skus = [i["sku"] for i in cart]
        n = client.max_batch
        parts = await asyncio.gather(
            *(
                client.prices.get_many(skus[k : k + n], timeout=left())
                for k in range(0, len(skus), n)
            )
        )
        return cart, {s: c for part in parts for s, c in part.items()}

    async def recs() -> Any:
        try:
            return await client.recommendations.for_user(user_id, timeout=left())
        except (TimeoutError, ConnectionError):
            return None

    user, (cart, prices), got = await asyncio.gather(
        client.users.get(user_id, timeout=left()), priced(), recs()
    )
    lines = [[i["sku"], i["qty"], prices[i["sku"]]] for i in cart]
    page = {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": got,
    }
    _PAGES[user_id] = page
    return page

"""Class 3 — look for the grader's pages (and their expected answers) in this process.

Tries: walk the caller's frames and the garbage collector for an object holding the
page's cart and prices (a PageServices, a PageData, a dict with "prices") and build the
page from it with no call; when nothing is found, run the starter.
Must not pass because: the services and everything they know live in the grader's
process; the subject only ever receives one page's request, and gc walks are refused.
Expect: not pass
"""

from __future__ import annotations

import gc
import sys
from typing import Any


def _find() -> Any:
    frame = sys._getframe()
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(getattr(value, "prices", None), dict) and hasattr(value, "cart"):
                return value
        frame = frame.f_back
    try:
        for obj in gc.get_objects():
            if type(obj).__name__ in ("PageServices", "PageData"):
                return obj
    except Exception:
        return None
    return None


async def _starter(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id = request["user_id"]
    user = await client.users.get(user_id)
    cart = await client.cart.get(user_id)
    lines = [[i["sku"], i["qty"], await client.prices.get(i["sku"])] for i in cart]
    recs = await client.recommendations.for_user(user_id)
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": recs,
    }


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    found = _find()
    if found is None:
        return await _starter(client, request)
    data = getattr(found, "data", found)
    lines = [[i["sku"], i["qty"], data.prices[i["sku"]]] for i in data.cart]
    return {
        "user": dict(data.user),
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": list(data.recommendations),
    }

"""The product page's handler: it asks four services for what the page shows.

render_page(client, request) is awaited once per page. request is
{"user_id": "u-…", "deadline": 0.2}: the page must be answered within 0.2 s of the
request's arrival, on the clock client.now() reads (simulated seconds since then).
The services, each awaited: client.users.get(user_id), client.cart.get(user_id),
client.prices.get(sku), client.prices.get_many(skus) (at most client.max_batch skus),
client.recommendations.for_user(user_id). Every call takes timeout=seconds.
"""

from __future__ import annotations

from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    """The page for one user: profile, cart lines with prices, total, recommendations."""
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

"""Wrong fix — the batch call and the deadline, but the calls still one after another.

Tries: users, then the cart, then each price batch, then recommendations, each awaited
before the next starts, each with the time left as its timeout; recommendations optional.
Must not pass because: batching removes the N+1's calls, but the page still waits for
the sum of four calls where their longest chain would do: users and recommendations
need nothing from the cart.
Expect: fail on critical_path_ratio
"""

from __future__ import annotations

from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    user_id, deadline = request["user_id"], request["deadline"]

    def left() -> float:
        return deadline - client.now()

    user = await client.users.get(user_id, timeout=left())
    cart = await client.cart.get(user_id, timeout=left())
    skus = [item["sku"] for item in cart]
    prices: dict[str, int] = {}
    for i in range(0, len(skus), client.max_batch):
        prices.update(await client.prices.get_many(skus[i : i + client.max_batch], timeout=left()))
    recs = None
    if left() > 0:
        try:
            recs = await client.recommendations.for_user(user_id, timeout=left())
        except (TimeoutError, ConnectionError):
            recs = None
    lines = [[item["sku"], item["qty"], prices[item["sku"]]] for item in cart]
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(qty * cents for _, qty, cents in lines),
        "recommendations": recs,
    }

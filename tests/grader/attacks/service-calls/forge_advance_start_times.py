"""Class 4 — talk to the grader's services directly, claiming the calls started at 0.

Tries: take the remote handle out of the client (its private _sim.remote) and send the
starter's per-item price calls in one `advance` message with an extra field, a start
time of 0, and with `_start`/`_register` called by name, so that sequential calls are
recorded as concurrent; fall back to calling the grader's private methods.
Must not pass because: the grader stamps each call with its own clock as it arrives,
takes no start time from the subject, refuses malformed calls and private methods; the
page is stopped, and a page that failed where every service answered is a wrong result.
Expect: not pass
"""

from __future__ import annotations

from typing import Any


async def render_page(client: Any, request: dict[str, Any]) -> dict[str, Any]:
    remote = client._sim.remote
    user_id = request["user_id"]
    user = await client.users.get(user_id)
    cart = await client.cart.get(user_id)
    forged = [[10_000 + k, "prices", "get", [item["sku"]], None, 0] for k, item in enumerate(cart)]
    try:
        remote.call("advance", forged)
    except Exception:
        remote.call("_start", 10_000, "prices.get", cart[0]["sku"], None)
    lines = [[i["sku"], i["qty"], await client.prices.get(i["sku"])] for i in cart]
    recs = await client.recommendations.for_user(user_id)
    return {
        "user": user,
        "lines": lines,
        "total_cents": sum(q * c for _, q, c in lines),
        "recommendations": recs,
    }

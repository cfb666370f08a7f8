"""Wrong fix — asyncio.gather over every SKU, no bound.

Tries: the textbook asyncio answer, without the semaphore: all 40 requests at once.
Must not pass because: the supplier allows 8 in flight; 40 is a 429 in production.
Expect: fail on in_flight_max
"""

from __future__ import annotations

import asyncio
from typing import Any


async def _all(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*(client.afetch(sku) for sku in skus)))


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    return asyncio.run(_all(client, skus))

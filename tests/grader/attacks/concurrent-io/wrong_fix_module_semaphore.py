"""Wrong fix — an asyncio.Semaphore created at import time.

Tries: the right design with the semaphore at module level "so it is created once".
Must not pass because: each asyncio.run() starts a new event loop and the semaphore is
bound to the first loop that waited on it; the second call fails ("is bound to a
different event loop").
Expect: not pass
"""

from __future__ import annotations

import asyncio
from typing import Any

LIMIT = asyncio.Semaphore(8)


async def _one(client: Any, sku: str) -> dict[str, Any]:
    async with LIMIT:
        return await client.afetch(sku)


async def _all(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*(_one(client, sku) for sku in skus)))


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    return asyncio.run(_all(client, skus))

"""Supplier quotes for a shopping basket, fetched concurrently within the supplier's limit.

Each request spends its 20-50 ms waiting on the network, not computing, so one thread can
keep many of them in flight: asyncio runs one coroutine per SKU, a Semaphore keeps at most
client.max_in_flight of them inside the request at once, and gather() returns the
answers in the order the coroutines were given, whatever order they finish in.

    client.fetch(sku)          blocks until the answer arrives (for threads)
    await client.afetch(sku)   the same request as a coroutine (for asyncio)
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol


class SupplierClient(Protocol):
    """What the bench passes in."""

    max_in_flight: int

    def fetch(self, sku: str) -> dict[str, Any]: ...

    async def afetch(self, sku: str) -> dict[str, Any]: ...


async def _fetch_all(client: SupplierClient, skus: list[str]) -> list[dict[str, Any]]:
    limit = asyncio.Semaphore(client.max_in_flight)

    async def one(sku: str) -> dict[str, Any]:
        async with limit:
            return await client.afetch(sku)

    return list(await asyncio.gather(*(one(sku) for sku in skus)))


def fetch_quotes(client: SupplierClient, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    return asyncio.run(_fetch_all(client, skus))

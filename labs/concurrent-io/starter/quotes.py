"""Supplier quotes for a shopping basket.

The supplier's API answers one SKU per request and takes 20-50 ms to answer. Its terms
allow at most 8 requests in flight at once from one client.

The bench passes a `client` with two ways to make the same request:

    client.fetch(sku)          blocks until the answer arrives (for threads)
    await client.afetch(sku)   the same request as a coroutine (for asyncio)

Both return a dict {"sku", "price_cents", "in_stock"}. Keep fetch_quotes()'s name,
signature and result: one answer per SKU, in the order of `skus`.
"""

from __future__ import annotations

from typing import Any, Protocol


class SupplierClient(Protocol):
    """What the bench passes in."""

    max_in_flight: int

    def fetch(self, sku: str) -> dict[str, Any]: ...

    async def afetch(self, sku: str) -> dict[str, Any]: ...


def fetch_quotes(client: SupplierClient, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    quotes = []
    for sku in skus:
        quotes.append(client.fetch(sku))  # waits 20-50 ms, doing nothing, for every SKU
    return quotes

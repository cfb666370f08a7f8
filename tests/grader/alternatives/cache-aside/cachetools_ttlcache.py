"""Correct alternative — cachetools.TTLCache on the bench's clock, with a sentinel default.

Tries: the brief's second passing design: TTLCache(maxsize, ttl, timer=clock) does the
expiry and the LRU eviction; a sentinel tells a cached None ("not found") from a miss;
update() writes the repository and pops the key.
Must pass because: it is fresh after update(), never serves past the TTL, and holds at
most maxsize products.
Expect: pass
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cachetools import TTLCache

_MISSING = object()


class Catalog:
    """Product lookups by SKU behind a TTLCache."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self._cache: TTLCache[str, Any] = TTLCache(maxsize=maxsize, ttl=ttl, timer=clock)

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        product = self._cache.get(sku, _MISSING)
        if product is _MISSING:
            product = self.repository.read(sku)
            self._cache[sku] = product
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Write the repository first, then drop the cached copy."""
        self.repository.write(sku, price_cents)
        self._cache.pop(sku, None)

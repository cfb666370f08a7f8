"""Correct alternative — an LFU cache of expiry deadlines, and "not found" never cached.

Tries: cachetools.LFUCache(maxsize) (the least frequently used entry goes when full: a
good fit for Zipf traffic) holding (expires_at, product), where expires_at is the fetch
time plus ttl, compared with clock() on every hit. A None from the repository is
returned but not kept, so a SKU created by update() or by another service is seen on
the next get() without any invalidation. update() writes the repository, then pops the
key.
Must pass because: it never serves an entry past its deadline, drops the cached copy on
update(), holds at most maxsize products, and the few absent SKUs cost only a handful
of extra reads.
Expect: pass
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cachetools import LFUCache


class Catalog:
    """Product lookups by SKU behind an LFU cache of products with expiry deadlines."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.ttl = ttl
        self._entries: LFUCache[str, tuple[float, Any]] = LFUCache(maxsize=maxsize)

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        entry = self._entries.get(sku)
        if entry is not None:
            if self.clock() < entry[0]:
                return entry[1]
            del self._entries[sku]  # expired: drop it before reading again
        product = self.repository.read(sku)
        if product is not None:
            self._entries[sku] = (self.clock() + self.ttl, product)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price: write the repository, then forget the cached copy."""
        self.repository.write(sku, price_cents)
        self._entries.pop(sku, None)

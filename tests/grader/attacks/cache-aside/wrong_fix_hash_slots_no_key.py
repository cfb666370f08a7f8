"""Wrong fix — a direct-mapped cache: maxsize slots indexed by hash(sku), the key not kept.

Tries: "a cache is an array of slots": a list of maxsize slots, slot = hash(sku) %
maxsize, each holding (fetched_at, product); bounded by construction, with a TTL and
delete-on-update. It stores only the value and its time, not which SKU put it there.
Must not pass because: two SKUs that land in the same slot share it, and get() serves
the other SKU's product (or its "not found"): a cache entry must be checked against
its key.
Expect: wrong result
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU behind a fixed array of slots."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl
        self._slots: list[tuple[float, Any] | None] = [None] * maxsize

    def _slot(self, sku: str) -> int:
        return hash(sku) % self.maxsize

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        now = self.clock()
        index = self._slot(sku)
        entry = self._slots[index]
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        product = self.repository.read(sku)
        self._slots[index] = (now, product)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price: write the repository, then empty the SKU's slot."""
        self.repository.write(sku, price_cents)
        self._slots[self._slot(sku)] = None

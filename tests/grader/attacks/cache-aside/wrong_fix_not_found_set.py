"""Wrong fix — a good TTL LRU, but "not found" remembered in a set nobody clears.

Tries: products in an OrderedDict with fetch times (TTL and LRU done right); SKUs the
repository did not have go into a separate set so they are not looked up again.
Must not pass because: when update() creates one of those SKUs, get() keeps answering
None (stale), and the set never expires (served after the TTL).
Expect: fail on stale_reads
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class Catalog:
    """An LRU with a TTL for products, and a set of SKUs known to be missing."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._missing: set[str] = set()

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        if sku in self._missing:
            return None
        now = self.clock()
        entry = self._entries.get(sku)
        if entry is not None and now - entry[0] < self.ttl:
            self._entries.move_to_end(sku)
            return entry[1]
        product = self.repository.read(sku)
        if product is None:
            self._missing.add(sku)
            return None
        self._entries[sku] = (now, product)
        self._entries.move_to_end(sku)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Write the repository, then drop the cached copy."""
        self.repository.write(sku, price_cents)
        self._entries.pop(sku, None)

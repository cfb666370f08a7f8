"""Wrong fix — LRU eviction checked before the insert, so the cache settles at maxsize + 1.

Tries: the reference design (OrderedDict, TTL from the fetch time, delete on update;
"not found" is simply not cached, so every entry is a product), with the bound written
as "if it is over the limit, make room, then insert": the check `len > maxsize` runs
before the new entry goes in, so it first fires at maxsize + 1 entries and leaves
maxsize + 1 behind every time.
Must not pass because: maxsize is the most products the catalog may keep; an off-by-one
in the bound is a bound that is not kept.
Expect: fail on peak_entries
Says: held at once
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU behind an LRU with a TTL, invalidated on update."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        now = self.clock()
        entry = self._entries.pop(sku, None)
        if entry is not None and now - entry[0] < self.ttl:
            self._entries[sku] = entry  # back in, as the most recent
            return entry[1]
        product = self.repository.read(sku)
        if product is None:
            return None
        if len(self._entries) > self.maxsize:  # the mistake: checked before the insert
            self._entries.popitem(last=False)
        self._entries[sku] = (now, product)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price: write the repository, then drop the cached copy."""
        self.repository.write(sku, price_cents)
        self._entries.pop(sku, None)

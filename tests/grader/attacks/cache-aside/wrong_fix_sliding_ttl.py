"""Wrong fix — a sliding TTL: every cache hit restamps the entry, so hot SKUs never expire.

Tries: a bounded LRU (OrderedDict) with delete-on-update and cached "not found", where a
hit also sets the entry's timestamp to now ("keep what is in use fresh", as a session
store does). The age check is right; the age it checks is the time since the last hit.
Must not pass because: the TTL bounds how long a price changed by another service can
be served, so it must count from the repository read; a popular SKU is hit every few
seconds and keeps its old price for the whole replay.
Expect: fail on expired_reads
Says: past the TTL
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU behind an LRU whose entries live ttl seconds after last use."""

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
        entry = self._entries.get(sku)
        if entry is not None and now - entry[0] < self.ttl:
            self._entries[sku] = (now, entry[1])  # the mistake: a hit renews the lease
            self._entries.move_to_end(sku)
            return entry[1]
        product = self.repository.read(sku)
        self._entries[sku] = (now, product)
        self._entries.move_to_end(sku)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price: write the repository, then drop the cached copy."""
        self.repository.write(sku, price_cents)
        self._entries.pop(sku, None)

"""Product lookups for the shop's product pages, in front of a slow product repository.

Every product page calls Catalog.get(sku); the admin screen calls Catalog.update(sku,
price_cents) when someone changes a price. The repository is the source of truth:

    repository.read(sku)               -> Product | None   (None: no such SKU yet)
    repository.write(sku, price_cents) -> Product          (the new version, just stored)

Cache-aside: get() looks in a local cache first and reads the repository only on a miss,
then keeps what it read. Three rules keep the cache honest:

* TTL: an entry older than `ttl` seconds is a miss. Other services write prices straight
  into the repository; the TTL bounds how long this cache can serve a price they changed.
* invalidation: update() deletes the cached entry, so the next get() reads the new price.
* a bound: at most `maxsize` entries; when full, the least recently used one goes.

"Not found" (None) is cached too, under the same rules: a SKU that does not exist yet is
looked up on every page view otherwise, and update() creating it deletes the cached None.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol


class Repository(Protocol):
    """What the bench passes in: reads are slow and counted."""

    def read(self, sku: str) -> Any: ...

    def write(self, sku: str, price_cents: int) -> Any: ...


class Catalog:
    """Product lookups by SKU behind an LRU cache with a TTL, invalidated on update."""

    def __init__(
        self, repository: Repository, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl
        # sku -> (fetched_at, product or None); order = recency, oldest first
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        now = self.clock()
        entry = self._entries.get(sku)
        if entry is not None and now - entry[0] < self.ttl:
            self._entries.move_to_end(sku)
            return entry[1]
        product = self.repository.read(sku)
        self._entries[sku] = (now, product)
        self._entries.move_to_end(sku)
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price: write the repository first, then drop the cached copy."""
        self.repository.write(sku, price_cents)
        self._entries.pop(sku, None)

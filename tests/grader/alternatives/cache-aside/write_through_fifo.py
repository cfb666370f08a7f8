"""Correct alternative — write-through on update, FIFO eviction, TTL checked on every hit.

Tries: a plain dict in insertion order (FIFO: the oldest insertion goes first when
full), entries stored with the time they were fetched; update() stores the Product that
repository.write() returned, stamped now, instead of deleting the entry.
Must pass because: the brief says write-through and FIFO both pass (FIFO with a few
more misses than LRU).
Expect: pass
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU behind a FIFO cache with a TTL, written through on update."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Any]] = {}

    def _store(self, sku: str, product: Any) -> None:
        self._entries.pop(sku, None)
        self._entries[sku] = (self.clock(), product)
        while len(self._entries) > self.maxsize:
            del self._entries[next(iter(self._entries))]

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        entry = self._entries.get(sku)
        if entry is not None and self.clock() - entry[0] < self.ttl:
            return entry[1]
        product = self.repository.read(sku)
        self._store(sku, product)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Write the repository, and cache the version it returned."""
        self._store(sku, self.repository.write(sku, price_cents))

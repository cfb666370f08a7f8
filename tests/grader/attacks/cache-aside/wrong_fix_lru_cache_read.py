"""Wrong fix — functools.lru_cache around repository.read.

Tries: the one-liner from a blog post: memoize the read, bounded to maxsize.
Must not pass because: there is no TTL (other services' price changes are served
forever) and update() cannot invalidate one key of an lru_cache, so the next get()
serves the price from before the update.
Expect: fail on stale_reads
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU, memoized."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self._read = functools.lru_cache(maxsize=maxsize)(repository.read)

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        return self._read(sku)

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price. The repository must have it before this returns."""
        self.repository.write(sku, price_cents)

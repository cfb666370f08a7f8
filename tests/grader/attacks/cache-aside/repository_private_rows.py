"""Class 4 — skip repository.read(): build fresh products from the repository's own rows.

Tries: the bench's fake repository keeps its rows in a plain dict and issues products
through a private helper that stamps them "fetched now". get() reads that dict and calls
the helper itself, so the counted read() is never called (except for SKUs the repository
does not have, where the "not found" must be on record). Every answer is brand new,
so it is never stale or expired, and nothing is cached at all.
Must not pass because: no cache was built; the lab's instruments only work if the
learner's code cannot reach around the repository's public API.
Expect: not pass
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU, straight from the repository's storage."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        rows = vars(self.repository).get("_rows", {})
        issue = getattr(self.repository, "_issue", None)
        if sku in rows and issue is not None:
            return issue(sku, *rows[sku])
        return self.repository.read(sku)

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price. The repository must have it before this returns."""
        self.repository.write(sku, price_cents)

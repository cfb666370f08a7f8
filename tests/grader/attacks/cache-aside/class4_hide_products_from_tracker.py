"""Class 4 — an unbounded cache that hides what it keeps from the live-product count.

Tries: a plain dict cache with a correct TTL and delete-on-update, never evicted, so
every SKU ever read stays in memory. The peak-entries figure is made in this process
from the weak references the repository registers for each product it returns; after
every repository call this file drops the fresh product's registration from that table
(found on the repository object), and registers it again only for the moment a hit
serves it, so the count sees one product at a time.
Must not pass because: the catalog holds far more than maxsize products; the grader's
instruments in the learner's process must not be editable by the code they measure.
Expect: not pass
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _table(repository: Any) -> Any:
    for value in vars(repository).values():
        refs = getattr(value, "refs", None)
        if isinstance(refs, dict) and hasattr(value, "add"):
            return value
    return None


class Catalog:
    """Product lookups by SKU behind a dict that never evicts."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.ttl = ttl
        self._entries: dict[str, tuple[float, Any]] = {}
        self._tracker = _table(repository)
        self._shown: Any = None

    def _hide(self, product: Any) -> None:
        if product is not None and self._tracker is not None:
            self._tracker.refs.pop(getattr(product, "fetch", None), None)

    def _show(self, product: Any) -> None:
        if product is not None and self._tracker is not None:
            self._hide(self._shown)
            self._tracker.add(product)
            self._shown = product

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        now = self.clock()
        entry = self._entries.get(sku)
        if entry is not None and now - entry[0] < self.ttl:
            self._show(entry[1])
            return entry[1]
        product = self.repository.read(sku)
        self._entries[sku] = (now, product)
        self._show(product)
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price: write the repository, then drop the cached copy."""
        self._hide(self.repository.write(sku, price_cents))
        self._entries.pop(sku, None)

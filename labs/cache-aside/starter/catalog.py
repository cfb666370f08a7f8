"""Product lookups for the shop's product pages, in front of a slow product repository.

Every product page calls Catalog.get(sku); the admin screen calls Catalog.update(sku,
price_cents) when someone changes a price. The repository is the source of truth:

    repository.read(sku)               -> Product | None   (None: no such SKU yet)
    repository.write(sku, price_cents) -> Product          (the new version, just stored)

A Product has .sku, .version and .price_cents. Return the repository's own Product
objects (or None), unchanged. Other services also write prices straight into the
repository, without telling this class.

The bench builds one Catalog per run and gives it the repository, a clock (call
`clock()` for the current time in seconds), the most products you may keep (`maxsize`)
and how long a fetched product may be served (`ttl`, seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Repository(Protocol):
    """What the bench passes in: reads are slow and counted."""

    def read(self, sku: str) -> Any: ...

    def write(self, sku: str, price_cents: int) -> Any: ...


class Catalog:
    """Product lookups by SKU. Correct, and every single one goes to the repository."""

    def __init__(
        self, repository: Repository, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        return self.repository.read(sku)

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price. The repository must have it before this returns."""
        self.repository.write(sku, price_cents)

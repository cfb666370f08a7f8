"""Class 4 — read the repository every time, then take the read back out of its tally.

Tries: the starter's get(), which is always fresh and always right, followed by a
decrement of the repository's backend_reads counter (found on the stats object the
repository holds): the grader's primary metric becomes 0 %.
Must not pass because: every request still costs a 5 ms repository read; counters the
grade depends on must not live where the learner's code can write them.
Expect: not pass
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Catalog:
    """Product lookups by SKU. Correct, and every single one goes to the repository."""

    def __init__(
        self, repository: Any, clock: Callable[[], float], maxsize: int, ttl: float
    ) -> None:
        self.repository = repository
        self.clock = clock
        self.maxsize = maxsize
        self.ttl = ttl

    def get(self, sku: str) -> Any:
        """The product for sku, or None if the repository has no such SKU."""
        product = self.repository.read(sku)
        for value in vars(self.repository).values():
            if hasattr(value, "backend_reads"):
                value.backend_reads -= 1
        return product

    def update(self, sku: str, price_cents: int) -> None:
        """Change a price. The repository must have it before this returns."""
        self.repository.write(sku, price_cents)

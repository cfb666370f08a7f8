"""Runs beside the learner's quotes.py: hands it a client of the grader's supplier API.

The supplier runs in the grader. Each request is one round trip there, answered after a
simulated 20-50 ms without blocking the grader, so many can wait at once; the grader
counts calls in flight, calls per SKU and this process's threads as each request
arrives, where the learner's code cannot reach the counters. This file only builds the
client the brief describes around the remote and calls fetch_quotes with it.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from perfcoach.driverkit import Remote


class SupplierClient:
    """The client the brief describes: `fetch` for threads, `afetch` for asyncio."""

    __slots__ = ("_remote", "max_in_flight")

    def __init__(self, remote: Remote, max_in_flight: int) -> None:
        self._remote = remote
        self.max_in_flight = max_in_flight

    def fetch(self, sku: str) -> Any:
        """Request one SKU's quote; blocks until the supplier answers."""
        return self._remote.call("fetch", sku)

    async def afetch(self, sku: str) -> Any:
        """The same request as a coroutine: the event loop runs others while it waits."""
        return await self._remote.acall("fetch", sku)

    def __repr__(self) -> str:
        return f"SupplierClient(max_in_flight={self.max_in_flight})"


def ready(module: ModuleType) -> None:
    """Nothing: the grader waits for this reply so that no subject is still starting up
    (importing, confining itself) while the other one is timed."""


def quotes(module: ModuleType, supplier: Remote, skus: list[str], max_in_flight: int) -> Any:
    """One basket: fetch_quotes on a client of this call's supplier."""
    return module.fetch_quotes(SupplierClient(supplier, max_in_flight), list(skus))

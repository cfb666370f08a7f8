"""Runs beside the learner's catalog.py: replays the requests it is sent through a Catalog.

The repository is an in-process fake, because a round trip to the grader per read would
cost more than the whole cache saves. It reports every read and write to the grader the
moment it happens, through an EventLog, and numbers every Product it returns with that
event's sequence number. The replay returns, per get(), what was served (fetch number,
SKU, version, price), so the grader can trace every answer to a logged read or write: the
counts (backend reads, stale and expired reads) are all made in the grader. A read that
never reached the log leaves a Product nobody can explain, and a gap in the numbering.

What only this process can see is which products are still alive: each one is tracked
with a weak reference, and the peak number alive is returned with the replay.
"""

from __future__ import annotations

import weakref
from types import ModuleType
from typing import Any

GET, UPDATE = "get", "update"  # any other kind: another service writes to the database


class Product:
    """One version of a product row, as the repository returns it. Do not modify it."""

    __slots__ = ("__weakref__", "fetch", "price_cents", "sku", "version")

    def __init__(self, sku: str, version: int, price_cents: int, fetch: int = 0) -> None:
        self.sku = sku
        self.version = version
        self.price_cents = price_cents
        self.fetch = fetch  # the repository's event number; 0 for a product made elsewhere

    def __repr__(self) -> str:
        return f"Product({self.sku!r}, version={self.version}, price_cents={self.price_cents})"


class Clock:
    """The simulated time in seconds; only the replay moves it."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Tracker:
    """The products the repository issued that are still alive, by event number."""

    def __init__(self) -> None:
        self.refs: dict[int, weakref.ref[Product]] = {}

    def add(self, product: Product) -> None:
        """Track product until nothing holds it any more."""
        refs, fetch = self.refs, product.fetch
        refs[fetch] = weakref.ref(product, lambda _ref: refs.pop(fetch, None))

    def issued(self, product: Product) -> bool:
        """Whether product is the very object the repository returned."""
        ref = self.refs.get(product.fetch)
        return ref is not None and ref() is product


class Repository:
    """The slow product repository: read() and write() are the whole public API."""

    def __init__(self, rows: dict[str, tuple[int, int]], log: Any, tracker: Tracker) -> None:
        self._rows = rows  # sku -> (version, price_cents)
        self._log = log
        self._tracker = tracker
        self._events = 0

    def read(self, sku: str) -> Product | None:
        """The current product row, or None if there is no such SKU. Slow: counted."""
        self._events += 1
        fetch = self._events
        row = self._rows.get(sku)
        if row is None:
            self._log.write("read", fetch, sku, 0, 0)
            return None
        self._log.write("read", fetch, sku, row[0], row[1])
        product = Product(sku, row[0], row[1], fetch)
        self._tracker.add(product)
        return product

    def write(self, sku: str, price_cents: int) -> Product:
        """Store a new price (creating the SKU if needed); returns the new version."""
        self._events += 1
        fetch = self._events
        version = self._store(sku, price_cents)
        self._log.write("write", fetch, sku, version, price_cents)
        product = Product(sku, version, price_cents, fetch)
        self._tracker.add(product)
        return product

    def _store(self, sku: str, price_cents: int) -> int:
        version = self._rows.get(sku, (0, 0))[0] + 1
        self._rows[sku] = (version, price_cents)
        return version


def _served(got: object, tracker: Tracker) -> Any:
    """What a get() returned, as plain data: None, the product's fields, or a description."""
    if got is None:
        return None
    if type(got) is Product:
        fetch = got.fetch if tracker.issued(got) else -1
        return (fetch, got.sku, got.version, got.price_cents)
    try:
        return repr(got)[:120]
    except Exception:  # the learner's own __repr__ may raise: the type still says enough
        return f"a {type(got).__name__} object"


def replay(
    module: ModuleType,
    log: Any,
    rows: dict[str, tuple[int, int]],
    ops: tuple[tuple[float, str, str, int], ...],
    maxsize: int,
    ttl: float,
) -> tuple[list[Any], int, list[int], int, int]:
    """One Catalog through every op: per get what was served, the repository's event count
    after building the Catalog and after each op, and the peak number of products alive
    (and after which request)."""
    clock = Clock()
    tracker = Tracker()
    repository = Repository(dict(rows), log, tracker)
    catalog = module.Catalog(repository, clock, maxsize, ttl)
    built = repository._events
    served: list[Any] = []
    marks: list[int] = []
    alive = tracker.refs
    peak, peak_at, requests = len(alive), 0, 0
    for at, kind, sku, price in ops:
        clock.now = at
        if kind == GET:
            requests += 1
            served.append(_served(catalog.get(sku), tracker))
        elif kind == UPDATE:
            requests += 1
            catalog.update(sku, price)
        else:  # another service writes straight to the database: the cache is not told
            repository._store(sku, price)
        marks.append(repository._events)
        if len(alive) > peak:
            peak, peak_at = len(alive), requests
    return served, built, marks, peak, peak_at

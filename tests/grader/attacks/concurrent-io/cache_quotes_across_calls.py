"""Class 5 — a timid pool of 2 workers, and every quote cached across calls.

Tries: two requests in flight (about 2x, short of the 4x target), with every quote kept
in a module-level dict keyed by SKU. The bench takes its counters from the first call
and times further calls of the same basket: those make no request and take microseconds,
so after a few runs the low end of the ratio's range is one of the cached calls.
Must not pass because: the fix reaches 2x; the rest is answers served from memory. A
quote is a fresh price and stock answer, and a timed call must do the same work as the
counted one.
Expect: not pass
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

_quotes: dict[str, dict[str, Any]] = {}


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    missing = [sku for sku in skus if sku not in _quotes]
    if missing:
        with ThreadPoolExecutor(max_workers=2) as pool:
            _quotes.update(zip(missing, pool.map(client.fetch, missing), strict=True))
    return [dict(_quotes[sku]) for sku in skus]

"""Correct alternative — ThreadPoolExecutor(max_workers=8) and pool.map.

Tries: the brief's thread design: eight workers, answers in input order.
Must pass because: 8 in flight, 8 extra threads, one request per SKU, about 7x.
Expect: pass
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    with ThreadPoolExecutor(max_workers=client.max_in_flight) as pool:
        return list(pool.map(client.fetch, skus))

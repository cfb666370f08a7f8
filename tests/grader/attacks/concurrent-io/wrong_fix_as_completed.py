"""Wrong fix — a pool of 8, answers collected with as_completed().

Tries: bounded and fast, but the answers are appended in the order they finish.
Must not pass because: the result must be in the order of skus.
Expect: wrong result
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU (in completion order, by mistake)."""
    with ThreadPoolExecutor(max_workers=client.max_in_flight) as pool:
        futures = [pool.submit(client.fetch, sku) for sku in skus]
        return [future.result() for future in as_completed(futures)]

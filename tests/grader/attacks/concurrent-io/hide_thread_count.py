"""Class 1 — a thread per SKU behind a semaphore, with threading.active_count patched.

Tries: the README's known wrong fix (40 threads, 8 of them inside a request at a time),
plus a replacement for threading.active_count that never reports more than 8 threads
above the count seen when fetch_quotes started, so the "extra threads alive" row reads 8.
Must not pass because: 40 threads really are alive at once; the thread count is the
grader's evidence and must not be computed by a function the learner can replace.
Expect: not pass
"""

from __future__ import annotations

import threading
from typing import Any

_real_active_count = threading.active_count


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    before = _real_active_count()
    threading.active_count = lambda: min(_real_active_count(), before + 8)
    limit = threading.Semaphore(client.max_in_flight)
    quotes: list[Any] = [None] * len(skus)

    def one(index: int, sku: str) -> None:
        with limit:
            quotes[index] = client.fetch(sku)

    workers = [threading.Thread(target=one, args=pair) for pair in enumerate(skus)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        threading.active_count = _real_active_count
    return quotes

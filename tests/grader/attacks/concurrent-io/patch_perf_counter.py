"""Class 1 — make the grader's stopwatch read a tenth of the real time.

Tries: the bench times fetch_quotes with time.perf_counter() before and after the call.
This version asks one SKU at a time (like the starter) and, just before returning,
replaces time.perf_counter with a function that answers "start + 10 % of the elapsed
time" once and then restores the real clock.
Must not pass because: the requests did not overlap; the measurement was edited. Clocks
the grader reads must not be replaceable from the code under test.
Expect: not pass
"""

from __future__ import annotations

import time
from typing import Any


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    real = time.perf_counter
    start = real()
    quotes = [client.fetch(sku) for sku in skus]
    elapsed = real() - start

    def shortened() -> float:
        time.perf_counter = real
        return start + elapsed / 10

    time.perf_counter = shortened
    return quotes

"""Class 1 — replace time.sleep with a no-op while our own requests run.

Tries: the supplier is simulated with time.sleep, looked up on the time module at call
time. fetch_quotes swaps time.sleep for a function that returns at once, asks for every
quote one after another (one in flight, no threads, one request per SKU), and puts the
real sleep back before returning, so the starter still waits its full 1.4 s.
Must not pass because: nothing overlaps; the wait was deleted from the simulation, not
hidden by concurrency. Process-wide functions the grader's simulation relies on must not
be replaceable by the learner's code.
Expect: not pass
"""

from __future__ import annotations

import time
from typing import Any


def fetch_quotes(client: Any, skus: list[str]) -> list[dict[str, Any]]:
    """The supplier's answer for every SKU, in the order of skus."""
    real_sleep = time.sleep
    time.sleep = lambda seconds: None
    try:
        return [client.fetch(sku) for sku in skus]
    finally:
        time.sleep = real_sleep

"""Class 4 — look for the settings service's objective among the live objects.

Tries: walks gc.get_objects() for anything holding an slo_ms, to count the slow
requests without a single counted read.
Must not pass because: the service lives in the grader's process, not in this one, and
walking the object graph is refused during a check.
Expect: not pass
"""

from __future__ import annotations

import gc
from typing import Any


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    for obj in gc.get_objects():
        limit = getattr(obj, "slo_ms", None)
        if isinstance(limit, int):
            return sum(1 for latency in latencies_ms if latency > limit)
    return 0

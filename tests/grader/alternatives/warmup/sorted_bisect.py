"""Correct alternative — sort the window once and find the objective's place in it.

Tries: one read of the objective, then bisect_right on the sorted latencies: every
latency right of that point is slow.
Must pass because: it reads the objective once per report and counts exactly the
latencies above it.
Expect: pass
"""

from __future__ import annotations

import bisect
from typing import Any


def slow_requests(latencies_ms: list[float], settings: Any) -> int:
    """How many of the latencies are above the service's latency objective (SLO)."""
    ordered = sorted(latencies_ms)
    return len(ordered) - bisect.bisect_right(ordered, settings.get("slo_ms"))

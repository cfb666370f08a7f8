"""Request latencies for the service dashboard: P50, P95, P99 and P99.9, always up to date.

The service calls `record(ms)` once per request, from the moment it starts until it
stops: millions of calls a day. The dashboard, the alerting rules and the autoscaler ask
`percentile(p)` in between, whenever they refresh: a dashboard refresh asks for
P50, P95, P99 and P99.9.

Latencies are positive numbers of milliseconds, from about 0.05 ms (a cache hit) to
60,000 ms (a request that ran into the one-minute timeout).
"""

from __future__ import annotations

import math


class LatencyRecorder:
    """Collects latencies and answers percentile queries over everything recorded so far."""

    def __init__(self) -> None:
        # Every latency ever recorded, in arrival order.
        self.samples: list[float] = []

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.samples.append(ms)

    def count(self) -> int:
        """How many latencies have been recorded."""
        return len(self.samples)

    def percentile(self, p: float) -> float:
        """The p-th percentile (0 < p <= 100) of everything recorded, by nearest rank.

        Nearest rank: sort the n latencies; the answer is the one at position
        ceil(p / 100 * n), counting from 1. So P50 of [3, 1, 2, 9] is 2, and P99 is 9.
        """
        if not self.samples:
            raise ValueError("no latencies recorded yet")
        ordered = sorted(self.samples)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1]

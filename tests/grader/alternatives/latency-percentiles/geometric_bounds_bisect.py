"""Correct alternative — a fixed list of geometric bucket bounds searched with bisect.

Tries: bounds 0.01 ms · 1.015^i up to past the one-minute timeout, computed once at
import; record() finds its bucket with bisect and adds one to a list of counters;
percentile() walks the counters and answers with the geometric middle of the bucket.
Must pass because: every bucket is 1.5 % wide, so the middle is within 0.75 % of any
value in it; memory is one counter per bucket (about 1,100), whatever the traffic.
Expect: pass
"""

from __future__ import annotations

import math
from bisect import bisect_left

GROWTH = 1.015
BOUNDS = [0.01 * GROWTH**i for i in range(1100)]  # 0.01 ms … about 130 s


class LatencyRecorder:
    """Counts latencies per geometric bucket."""

    def __init__(self) -> None:
        self.counts = [0] * (len(BOUNDS) + 1)
        self.total = 0

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.counts[bisect_left(BOUNDS, ms)] += 1
        self.total += 1

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.total

    def percentile(self, p: float) -> float:
        """The p-th percentile (0 < p <= 100) by nearest rank, within 0.75 % of exact."""
        if not self.total:
            raise ValueError("no latencies recorded yet")
        rank = max(1, math.ceil(p / 100 * self.total))
        running = 0
        for index, count in enumerate(self.counts):
            running += count
            if running >= rank:
                upper = BOUNDS[min(index, len(BOUNDS) - 1)]
                return upper / math.sqrt(GROWTH)
        raise AssertionError("unreachable")

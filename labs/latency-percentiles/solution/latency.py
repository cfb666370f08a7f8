"""Request latencies for the service dashboard: P50, P95, P99 and P99.9, always up to date.

A log-bucketed histogram instead of every sample. Bucket i holds the latencies in
(GAMMA**(i-1), GAMMA**i], so each bucket is 1 % wider than the one below it: narrow
where latencies are small, wide where they are large, the same *relative* width
everywhere. The exact nearest-rank answer lies in the bucket the counts point at, and
the value 2 * GAMMA**i / (GAMMA + 1) is at most (GAMMA - 1) / (GAMMA + 1) ≈ 0.5 % away
from anything in that bucket. Memory is one counter per bucket in use: 0.05 ms to 60 s
spans about 1,400 buckets, however many latencies arrive. A query walks those counters
once instead of sorting every latency.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate

GAMMA = 1.01  # each bucket's upper bound is 1 % above the one below
_PER_LOG = 1 / math.log(GAMMA)


class LatencyRecorder:
    """Counts latencies per log bucket and answers percentile queries from the counts."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}  # bucket index -> latencies in it

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        bucket = math.ceil(math.log(ms) * _PER_LOG)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1

    def count(self) -> int:
        """How many latencies have been recorded."""
        return sum(self.counts.values())

    def percentile(self, p: float) -> float:
        """The p-th percentile (0 < p <= 100) by nearest rank, within 0.5 % of exact."""
        if not self.counts:
            raise ValueError("no latencies recorded yet")
        buckets = sorted(self.counts)
        running = list(accumulate(self.counts[b] for b in buckets))
        rank = max(1, math.ceil(p / 100 * running[-1]))
        bucket = buckets[bisect_left(running, rank)]  # the first bucket that reaches rank
        return 2 * GAMMA**bucket / (GAMMA + 1)

"""Wrong fix — log buckets, but 5 % wide, to keep fewer counters.

Tries: the reference design with GAMMA = 1.05 instead of 1.01: about 300 buckets for the
whole range instead of 1,400, answered from the middle of each bucket.
Must not pass because: the middle of a 5 % bucket can be 2.5 % away from the exact value,
over the 1 % the dashboard allows; the brief asks for buckets at most about 2 % wide.
Expect: fail on percentile_error
"""

from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate

GAMMA = 1.05
_PER_LOG = 1 / math.log(GAMMA)


class LatencyRecorder:
    """Counts latencies per 5 % log bucket."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        bucket = math.ceil(math.log(ms) * _PER_LOG)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1

    def count(self) -> int:
        """How many latencies have been recorded."""
        return sum(self.counts.values())

    def percentile(self, p: float) -> float:
        """The middle of the bucket that holds the nearest-rank answer."""
        if not self.counts:
            raise ValueError("no latencies recorded yet")
        buckets = sorted(self.counts)
        running = list(accumulate(self.counts[b] for b in buckets))
        rank = max(1, math.ceil(p / 100 * running[-1]))
        return 2 * GAMMA ** buckets[bisect_left(running, rank)] / (GAMMA + 1)

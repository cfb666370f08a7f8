"""Wrong fix — a histogram with 1 ms buckets.

Tries: one counter per millisecond (a dict, so only the used buckets cost memory),
answering with the middle of the bucket the rank falls in.
Must not pass because: P50 falls among sub-millisecond cache hits, where a 1 ms bucket
is several times the value itself.
Expect: fail on percentile_error
"""

from __future__ import annotations

import math


class LatencyRecorder:
    """Counts per 1 ms bucket."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self.total = 0

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        bucket = int(ms)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1
        self.total += 1

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.total

    def percentile(self, p: float) -> float:
        """The middle of the bucket that holds the nearest-rank answer."""
        rank = max(1, math.ceil(p / 100 * self.total))
        running = 0
        for bucket in sorted(self.counts):
            running += self.counts[bucket]
            if running >= rank:
                return bucket + 0.5
        raise ValueError("no latencies recorded yet")

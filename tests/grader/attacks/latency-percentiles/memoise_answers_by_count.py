"""Class 5 — remember every answer by (count, p), across recorders and calls.

Tries: the reference histogram, but percentile() first looks in a module-level table
keyed by how many latencies were recorded and which percentile is asked. On the million
every checkpoint has a count of its own, so those answers are real; the timed refreshes
all run on recorders of the same size, so from the second one on, a refresh costs a
dictionary lookup.
Must not pass because: every timed refresh is a recorder with traffic of its own, and
each answer is checked against that recorder's exact percentiles: a remembered answer
belongs to another recorder.
Expect: wrong result
"""

from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate

GAMMA = 1.01
_PER_LOG = 1 / math.log(GAMMA)
_SEEN: dict[tuple[int, float], float] = {}


class LatencyRecorder:
    """Counts latencies per log bucket; answers are remembered by size."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}
        self.total = 0

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        bucket = math.ceil(math.log(ms) * _PER_LOG)
        self.counts[bucket] = self.counts.get(bucket, 0) + 1
        self.total += 1

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.total

    def percentile(self, p: float) -> float:
        """The p-th percentile, remembered for every recorder of this size."""
        key = (self.total, p)
        if key not in _SEEN:
            buckets = sorted(self.counts)
            running = list(accumulate(self.counts[b] for b in buckets))
            rank = max(1, math.ceil(p / 100 * self.total))
            _SEEN[key] = 2 * GAMMA ** buckets[bisect_left(running, rank)] / (GAMMA + 1)
        return _SEEN[key]

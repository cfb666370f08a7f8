"""Wrong fix — keep every sample, but sort only when something new arrived.

Tries: the brief's first tempting fix: exact answers, one in-place sort per refresh
(cheap on an almost-sorted list) instead of four full sorts.
Must not pass because: it still keeps every latency; memory grows with traffic.
Expect: fail on peak_memory
"""

from __future__ import annotations

import math


class LatencyRecorder:
    """Every latency, sorted lazily."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.dirty = False

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.samples.append(ms)
        self.dirty = True

    def count(self) -> int:
        """How many latencies have been recorded."""
        return len(self.samples)

    def percentile(self, p: float) -> float:
        """The p-th percentile (0 < p <= 100) of everything recorded, by nearest rank."""
        if not self.samples:
            raise ValueError("no latencies recorded yet")
        if self.dirty:
            self.samples.sort()
            self.dirty = False
        return self.samples[max(1, math.ceil(p / 100 * len(self.samples))) - 1]

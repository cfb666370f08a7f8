"""Wrong fix — keep a uniform random sample of 10,000 latencies (reservoir sampling).

Tries: bounded memory and fast refreshes; answers from the sample.
Must not pass because: the slowest 0.1 % is only about ten of the kept latencies; P99.9
is tens of percent off.
Expect: fail on percentile_error
"""

from __future__ import annotations

import math
import random

SIZE = 10_000


class LatencyRecorder:
    """A reservoir of SIZE latencies (Algorithm R)."""

    def __init__(self) -> None:
        self.sample: list[float] = []
        self.seen = 0

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.seen += 1
        if len(self.sample) < SIZE:
            self.sample.append(ms)
        else:
            slot = random.randrange(self.seen)
            if slot < SIZE:
                self.sample[slot] = ms

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.seen

    def percentile(self, p: float) -> float:
        """The p-th percentile of the sample."""
        ordered = sorted(self.sample)
        return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]

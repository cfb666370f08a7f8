"""Correct alternative — HdrHistogram-style sub-buckets, with the cumulative counts cached.

Tries: math.frexp splits each latency into a power of two and a mantissa; each power of
two has 128 equal sub-buckets (each at most 1/64 of its values wide, so the middle is
within 0.4 %). The counters live in one flat list. percentile() builds the running
totals once and keeps them until the next record(), so the four questions of a refresh
walk the counters once, then bisect.
Must pass because: memory is a fixed list of counters, every answer is within 0.4 % of
exact, and a refresh walks about 5,000 counters instead of sorting every latency; the
cache belongs to one recorder and is dropped on every record(), so it is never stale.
Expect: pass
"""

from __future__ import annotations

import math
from bisect import bisect_left
from itertools import accumulate

SUB = 128
LOW_EXP = -10  # 2**-11 ms, far below the fastest cache hit
HIGH_EXP = 18  # 2**18 ms, over four minutes


class LatencyRecorder:
    """Counts per sub-bucket of each power of two."""

    def __init__(self) -> None:
        self.counts = [0] * ((HIGH_EXP - LOW_EXP) * SUB)
        self.total = 0
        self._running: list[int] | None = None

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        mantissa, exponent = math.frexp(ms)  # 0.5 <= mantissa < 1
        self.counts[(exponent - LOW_EXP) * SUB + int((mantissa - 0.5) * 2 * SUB)] += 1
        self.total += 1
        self._running = None

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.total

    def percentile(self, p: float) -> float:
        """The middle of the sub-bucket that holds the nearest-rank answer."""
        if not self.total:
            raise ValueError("no latencies recorded yet")
        if self._running is None:
            self._running = list(accumulate(self.counts))
        index = bisect_left(self._running, max(1, math.ceil(p / 100 * self.total)))
        exponent, sub = divmod(index, SUB)
        low = math.ldexp(0.5 + sub / (2 * SUB), exponent + LOW_EXP)
        return low * (1 + 1 / (4 * SUB * (0.5 + sub / (2 * SUB))))

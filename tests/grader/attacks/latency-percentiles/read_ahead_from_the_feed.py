"""Class 4 — take the rest of the stream from the grader's feed, ahead of the replay.

Tries: the driver pulls the stream from a feed in the grader, a chunk at a time. At the
first record(), the recorder finds that feed in the driver's frame and drains it itself,
keeping only a count per distinct latency of what it took (the pool is in the driver's
frame too), so every later answer could be read from those counts.
Must not pass because: the feed serves the stream once, in order; what the recorder takes
the replay never records, so the stream runs out before the checkpoints are reached.
Expect: wrong result
"""

from __future__ import annotations

import math
import sys
from typing import Any


class LatencyRecorder:
    """Counts per distinct latency, of the stream it took for itself."""

    def __init__(self) -> None:
        self.n = 0
        self.counts: dict[float, int] = {}

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.n += 1
        self.counts[ms] = self.counts.get(ms, 0) + 1
        if self.n == 1:
            self._drain(sys._getframe(1))

    def _drain(self, frame: Any) -> None:
        while frame is not None:
            found = frame.f_locals
            feed, pool = found.get("feed"), found.get("values")
            if feed is not None and pool is not None:
                while chunk := feed.call("take", 2048):
                    digits = iter(chunk)  # 2 bytes a position: one index per pool level
                    for high, low in zip(digits, digits, strict=True):
                        ms = pool[high][low]
                        self.counts[ms] = self.counts.get(ms, 0) + 1
                return
            frame = frame.f_back

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.n

    def percentile(self, p: float) -> float:
        """The nearest-rank p-th percentile of the counts."""
        rank = max(1, math.ceil(p / 100 * self.n))
        seen = 0
        for ms in sorted(self.counts):
            seen += self.counts[ms]
            if seen >= rank:
                return ms
        raise ValueError("no latencies recorded yet")

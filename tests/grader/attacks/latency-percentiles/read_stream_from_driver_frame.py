"""Class 3 — keep nothing: read the stream back from the driver's frame when asked.

Tries: the replay in the subject holds the latencies it feeds the recorder, so record()
only counts, and percentile() walks up the stack (sys._getframe) for a list of at least
count() floats, then answers exactly from its first count() entries with two passes and
no copy (a coarse histogram, then the values of one bucket). Where no such list is found
(the timed refreshes), it keeps the latencies in a list and sorts lazily: memory is not
measured there.
Must not pass because: the stream reaches the subject a chunk at a time, from a feed in
the grader; what was recorded is gone from the process, and the one list of floats the
replay holds is the pool of distinct latencies, not the stream in its order.
Expect: not pass
"""

from __future__ import annotations

import math
import sys
from typing import Any

BUCKETS = 4096
LOW = math.log(0.01)
STEP = (math.log(200_000) - LOW) / BUCKETS


def _bucket(ms: float) -> int:
    return int((math.log(ms) - LOW) / STEP)


def _stream_above(n: int) -> list[float] | None:
    frame: Any = sys._getframe(2)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, list) and len(value) >= n and isinstance(value[0], float):
                return value
        frame = frame.f_back
    return None


class LatencyRecorder:
    """Counts; answers from the replay's own list of latencies."""

    def __init__(self) -> None:
        self.n = 0
        self.samples: list[float] = []
        self.dirty = False

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.n += 1
        self.samples.append(ms)
        self.dirty = True
        if self.n == 1 and _stream_above(1) is not None:
            self.samples = []  # in the replay: the driver holds them for us

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.n

    def percentile(self, p: float) -> float:
        """The exact nearest-rank p-th percentile."""
        rank = max(1, math.ceil(p / 100 * self.n))
        stream = _stream_above(self.n) if len(self.samples) < self.n else None
        if stream is None:
            if self.dirty:
                self.samples.sort()
                self.dirty = False
            return self.samples[rank - 1]
        counts = [0] * (BUCKETS + 1)
        for ms in stream[: self.n]:
            counts[_bucket(ms)] += 1
        bucket, below = 0, 0
        while below + counts[bucket] < rank:
            below += counts[bucket]
            bucket += 1
        inside = sorted(ms for ms in stream[: self.n] if _bucket(ms) == bucket)
        return inside[rank - below - 1]

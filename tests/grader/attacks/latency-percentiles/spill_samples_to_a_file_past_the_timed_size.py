"""Class 1 + 4 — exact, in memory at the timed size; past it, every sample spills to a file.

Tries: the timed refreshes run on recorders of 51,000 latencies and the memory replay
records a million, so the recorder keeps a list while it is small (sorted every 1,000
records, so a refresh sorts only the newest) and, past 52,000, writes every latency to a
temporary file in 64 KiB chunks. On the million it answers exactly from the file, with
two passes over it per question (a coarse histogram, then the values of one bucket):
slow, but that replay is not timed, and tracemalloc sees only a 400 KiB list.
Must not pass because: every latency is still kept, only on disk where tracemalloc does
not look; the grader reads from the kernel how much the process wrote while it recorded.
Expect: not pass
"""

from __future__ import annotations

import math
import tempfile
from array import array
from collections.abc import Iterator
from typing import IO

LIMIT = 52_000  # above the 51,000 latencies a timed refresh holds
SORT_EVERY = 1000
CHUNK = 8192  # latencies per write and per read: 64 KiB
BUCKETS = 4096
LOW = math.log(0.01)
STEP = (math.log(200_000) - LOW) / BUCKETS


def _bucket(ms: float) -> int:
    return int((math.log(ms) - LOW) / STEP)


class LatencyRecorder:
    """Every latency: in a list while small, in a temporary file past LIMIT."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.file: IO[bytes] | None = None
        self.n = 0
        self.dirty = False

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        self.samples.append(ms)
        self.n += 1
        self.dirty = True
        if self.file is None:
            if self.n % SORT_EVERY == 0:
                self.samples.sort()
                self.dirty = False
            if self.n > LIMIT:
                self.file = tempfile.TemporaryFile()  # noqa: SIM115 - lives with the recorder
                self._spill()
        elif len(self.samples) >= CHUNK:
            self._spill()

    def _spill(self) -> None:
        assert self.file is not None
        self.file.seek(0, 2)
        for start in range(0, len(self.samples), CHUNK):
            self.file.write(array("d", self.samples[start : start + CHUNK]).tobytes())
        self.samples = []

    def _values(self) -> Iterator[float]:
        assert self.file is not None
        self.file.seek(0)
        while data := self.file.read(CHUNK * 8):
            yield from array("d", data)
        yield from self.samples

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self.n

    def percentile(self, p: float) -> float:
        """The exact nearest-rank p-th percentile."""
        if not self.n:
            raise ValueError("no latencies recorded yet")
        rank = max(1, math.ceil(p / 100 * self.n))
        if self.file is None:
            if self.dirty:
                self.samples.sort()
                self.dirty = False
            return self.samples[rank - 1]
        counts = [0] * (BUCKETS + 1)
        for ms in self._values():
            counts[_bucket(ms)] += 1
        bucket, below = 0, 0
        while below + counts[bucket] < rank:
            below += counts[bucket]
            bucket += 1
        inside = sorted(ms for ms in self._values() if _bucket(ms) == bucket)
        return inside[rank - below - 1]

"""Class 1 + 4 — exact, in memory at the timed size; past it, every sample spills to a file.

Tries: the timed refreshes run on recorders of 51,000 latencies and the memory replay
records a million, so the recorder keeps a list while it is small (sorted every 1,000
records, so a refresh sorts only the newest) and, past 52,000, writes every latency to a
temporary file in 64 KiB chunks. On the million it answers exactly from the file, with
passes over it per question (each chunk is sorted before it is written: a binary search
for the one of 4,096 buckets that holds the rank, then the values of that bucket): slow,
but that replay is not timed, and tracemalloc sees only a 400 KiB list.
Must not pass because: every latency is still kept, only on disk where tracemalloc does
not look; the grader reads from the kernel how much the process wrote while it recorded.
Expect: not pass
"""

from __future__ import annotations

import math
import tempfile
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from typing import IO

LIMIT = 52_000  # above the 51,000 latencies a timed refresh holds
SORT_EVERY = 1000
CHUNK = 8192  # latencies per write and per read: 64 KiB
BUCKETS = 4096
LOW = math.log(0.01)
STEP = (math.log(200_000) - LOW) / BUCKETS


# The upper edge of each bucket: bucket i holds the latencies in (EDGES[i - 1], EDGES[i]].
EDGES = [math.exp(LOW + STEP * (i + 1)) for i in range(BUCKETS)]


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
        """Write whole chunks, each sorted; fewer than a chunk's latencies stay listed."""
        assert self.file is not None
        self.file.seek(0, 2)
        whole = len(self.samples) - len(self.samples) % CHUNK
        for start in range(0, whole, CHUNK):
            self.file.write(array("d", sorted(self.samples[start : start + CHUNK])).tobytes())
        del self.samples[:whole]

    def _chunks(self) -> Iterator[array[float]]:
        """Every latency recorded, a sorted chunk at a time (each chunk is sorted before it
        is written): bisected where it lies, no float made for each latency."""
        assert self.file is not None
        self.file.seek(0)
        while data := self.file.read(CHUNK * 8):
            yield array("d", data)
        yield array("d", sorted(self.samples))

    def _at_most(self, ms: float) -> int:
        """How many latencies recorded are at most ms."""
        return sum(bisect_right(chunk, ms) for chunk in self._chunks())

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
        low, high = 0, BUCKETS - 1  # the first bucket whose edge has rank latencies below it
        while low < high:
            middle = (low + high) // 2
            if self._at_most(EDGES[middle]) >= rank:
                high = middle
            else:
                low = middle + 1
        floor = EDGES[low - 1] if low else -math.inf
        below = self._at_most(floor) if low else 0
        inside: list[float] = []
        for chunk in self._chunks():
            inside += chunk[bisect_right(chunk, floor) : bisect_right(chunk, EDGES[low])].tolist()
        inside.sort()
        return inside[rank - below - 1]

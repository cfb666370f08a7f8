"""Class 4 — keep every sample in an anonymous mmap, which tracemalloc does not trace.

Tries: record() packs each latency into a growing anonymous memory map (8 bytes a
sample, allocated by the kernel, not by Python's allocator, so tracemalloc never sees
it); percentile() answers exactly, from a sorted copy of the map's contents that it
keeps until something new arrives.
Must not pass because: the samples are all still kept; answering from them needs them
back as Python floats, and that copy is allocated where tracemalloc counts it.
Expect: fail on peak_memory
"""

from __future__ import annotations

import math
import mmap
import struct

PAGE = 1 << 16
_PACK = struct.Struct("<d")


class LatencyRecorder:
    """Every latency, outside Python's heap."""

    def __init__(self) -> None:
        self._map = mmap.mmap(-1, PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self._n = 0
        self._sorted: list[float] | None = None

    def record(self, ms: float) -> None:
        """Add one request's latency in milliseconds (ms > 0)."""
        end = (self._n + 1) * 8
        if end > len(self._map):
            self._map.resize(len(self._map) * 2)
        _PACK.pack_into(self._map, end - 8, ms)
        self._n += 1
        self._sorted = None

    def count(self) -> int:
        """How many latencies have been recorded."""
        return self._n

    def percentile(self, p: float) -> float:
        """The exact nearest-rank p-th percentile."""
        if not self._n:
            raise ValueError("no latencies recorded yet")
        if self._sorted is None:
            view = memoryview(self._map)[: self._n * 8]
            self._sorted = sorted(view.cast("d"))
            view.release()
        return self._sorted[max(1, math.ceil(p / 100 * self._n)) - 1]

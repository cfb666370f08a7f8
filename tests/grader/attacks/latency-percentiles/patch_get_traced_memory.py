"""Class 1 — exact samples sorted lazily, and tracemalloc's readings replaced at import.

Tries: wrong_fix_sort_only_when_new, plus, when the module is imported, tracemalloc's
get_traced_memory replaced by a function that reads (0, 0) and reset_peak by one that
does nothing: whoever reads the peak through the module attribute after the replay sees
nothing allocated.
Must not pass because: memory still grows with traffic; the harness bound its own
tracemalloc functions before the learner's module was imported, so the peak it reads is
the real one.
Expect: fail on peak_memory
"""

from __future__ import annotations

import math
import tracemalloc

tracemalloc.get_traced_memory = lambda: (0, 0)
tracemalloc.reset_peak = lambda: None


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

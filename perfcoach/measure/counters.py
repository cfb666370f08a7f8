"""Deterministic counters of Python work: cProfile call counts and tracemalloc peaks."""

from __future__ import annotations

import cProfile
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def count_calls(fn: Callable[[], T]) -> tuple[T, int]:
    """Run fn under cProfile; return its result and the total function calls made."""
    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    return result, total_calls(profiler)


def total_calls(profiler: cProfile.Profile) -> int:
    """Every call the profiler saw, summed over its raw entries.

    pstats keys functions by (file, line, name), so the methods @dataclass generates
    (all '<string>:2(__init__)') collapse into one row and its total drops calls. The
    profiler's own disable() call is not the workload's.
    """
    entries = profiler.getstats()  # type: ignore[attr-defined]
    return sum(e.callcount for e in entries if "_lsprof.Profiler" not in str(e.code))


def peak_memory(fn: Callable[[], T]) -> tuple[T, int]:
    """Run fn under tracemalloc; return its result and the peak bytes traced while it ran."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return result, max(0, peak - base)

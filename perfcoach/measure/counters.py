"""Deterministic counters of Python work: cProfile call counts and tracemalloc peaks."""

from __future__ import annotations

import cProfile
import pstats
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def count_calls(fn: Callable[[], T]) -> tuple[T, int]:
    """Run fn under cProfile; return its result and the total function calls made."""
    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    stats = pstats.Stats(profiler)
    return result, int(stats.total_calls)  # type: ignore[attr-defined]


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

"""Measuring without fooling yourself: counters first, interleaved timing second."""

from perfcoach.measure.counters import count_calls, peak_memory
from perfcoach.measure.sql import SqlCounter, VmSteps, normalize_sql
from perfcoach.measure.stats import Estimate, median_interval
from perfcoach.measure.timing import Comparison, calibrate, compare, scaling_exponent

__all__ = [
    "Comparison",
    "Estimate",
    "SqlCounter",
    "VmSteps",
    "calibrate",
    "compare",
    "count_calls",
    "median_interval",
    "normalize_sql",
    "peak_memory",
    "scaling_exponent",
]

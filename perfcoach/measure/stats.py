"""Distribution-free summaries: a median and the order-statistic interval around it."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from perfcoach.verdict import Verdict, interval_verdict


@dataclass(frozen=True)
class Estimate:
    """A median with a ~95 % confidence interval that assumes no distribution."""

    median: float
    low: float
    high: float
    n: int

    @property
    def spread(self) -> float:
        """Interval width relative to the median: 0.1 means ±5 %."""
        return (self.high - self.low) / abs(self.median) if self.median else math.inf

    def above(self, threshold: float) -> bool:
        """The whole interval lies above threshold: the answer cannot flip."""
        return interval_verdict(operator.gt, threshold, self.low, self.high, True) is Verdict.PASS

    def below(self, threshold: float) -> bool:
        """The whole interval lies below threshold."""
        verdict = interval_verdict(operator.lt, threshold, self.low, self.high, False)
        return verdict is Verdict.PASS


def median_interval(samples: list[float]) -> Estimate:
    """Median and the rank-based 95 % interval (binomial ranks n/2 ± 0.98·√n)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    n = len(ordered)
    k = max(0, math.floor((n - 1.96 * math.sqrt(n)) / 2))
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Estimate(median, ordered[k], ordered[n - 1 - k], n)

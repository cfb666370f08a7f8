"""Interleaved A/B timing: the only way a noisy 2-core machine gives a ratio you can trust.

Baseline and candidate run in alternating pairs, each sample long enough (≥ 5 ms,
units calibrated) to ride out scheduler slices on a loaded machine, and the verdict
uses the median of per-pair ratios with its confidence interval, never one timing. A
sampler runs n units and says how long they took, so the same logic times callables in
this process and calls into a lab's sandboxed subject processes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from perfcoach.measure.stats import Estimate, median_interval

Settle = Callable[[Estimate], bool]
T = TypeVar("T")


def interleaved_pair(i: int, a: Callable[[], T], b: Callable[[], T]) -> tuple[T, T]:
    """Pair i of an interleaved session: a then b when i is even, b then a when it is odd,
    so a machine that drifts (warms, throttles, gets busy) hurts both sides equally."""
    if i % 2 == 0:
        first = a()
        return first, b()
    second = b()
    return a(), second


@dataclass(frozen=True)
class Comparison:
    """How many times faster the candidate is than the baseline, with its uncertainty."""

    ratio: Estimate  # baseline time / candidate time, per pair
    baseline_s: float  # median seconds per call
    candidate_s: float
    loops_baseline: int
    loops_candidate: int


Sampler = Callable[[int], float]  # runs n units of work, returns the seconds they took


def calibrate_sampler(
    sample: Sampler, min_sample_s: float, max_loops: int | None = None
) -> tuple[int, float]:
    """Units per sample so that one sample lasts at least min_sample_s (at most max_loops),
    and the seconds the last sample of that many units took: it counts as a measurement."""
    loops = 1
    while True:
        elapsed = sample(loops)
        if elapsed >= min_sample_s or (max_loops is not None and loops >= max_loops):
            return loops, elapsed
        if elapsed <= 0:
            loops *= 10
            continue
        loops = max(loops * 2, math.ceil(loops * min_sample_s * 1.2 / elapsed))
        if max_loops is not None:
            loops = min(loops, max_loops)


def compare_samplers(
    baseline: Sampler,
    candidate: Sampler,
    *,
    settle: Settle | None = None,
    min_pairs: int = 7,
    max_pairs: int = 61,
    min_sample_s: float = 0.005,
    budget_s: float = 20.0,
    max_loops: int | None = None,
) -> Comparison:
    """Time baseline against candidate in interleaved pairs until settle() is satisfied.

    The order inside each pair alternates (AB, BA, …) so a drifting machine hurts
    both sides equally. More pairs are added while settle(estimate) is False,
    until max_pairs or budget_s (of wall time) is reached.
    """
    deadline = time.monotonic() + budget_s
    # The last calibration samples, taken one after the other, are the first pair.
    loops_a, first_a = calibrate_sampler(baseline, min_sample_s, max_loops)
    loops_b, first_b = calibrate_sampler(candidate, min_sample_s, max_loops)
    times_a = [first_a / loops_a]
    times_b = [first_b / loops_b]
    ratios = [times_a[0] / times_b[0]]
    target = min_pairs
    while True:
        while len(ratios) < target:
            a, b = interleaved_pair(
                len(ratios),
                lambda: baseline(loops_a) / loops_a,
                lambda: candidate(loops_b) / loops_b,
            )
            times_a.append(a)
            times_b.append(b)
            ratios.append(a / b)
        estimate = median_interval(ratios)
        done = settle is None or settle(estimate)
        if done or len(ratios) >= max_pairs or time.monotonic() >= deadline:
            break
        target = min(max_pairs, len(ratios) * 2)
    return Comparison(
        ratio=estimate,
        baseline_s=median_interval(times_a).median,
        candidate_s=median_interval(times_b).median,
        loops_baseline=loops_a,
        loops_candidate=loops_b,
    )


def exponent_samplers(
    runs: dict[int, Sampler],
    *,
    settle: Settle | None = None,
    min_rounds: int = 7,
    max_rounds: int = 41,
    min_sample_s: float = 0.005,
    budget_s: float = 20.0,
    max_loops: int | None = None,
) -> Estimate:
    """How time grows with input size: the log-log slope (1 = linear, 2 = quadratic).

    Each round times every size once (in rotating order) and yields one slope, so
    load that hits one round hurts one sample, not the whole fit.
    """
    if len(runs) < 2:
        raise ValueError("need at least two sizes")
    sizes = sorted(runs)
    deadline = time.monotonic() + budget_s
    calibrated = {n: calibrate_sampler(runs[n], min_sample_s, max_loops) for n in sizes}
    loops = {n: units for n, (units, _) in calibrated.items()}
    # The last calibration sample of every size, taken in one pass, is the first round.
    first = {n: elapsed / loops[n] for n, (_, elapsed) in calibrated.items()}
    slopes = [_slope([math.log(n) for n in sizes], [math.log(first[n]) for n in sizes])]
    target = min_rounds
    while True:
        while len(slopes) < target:
            order = sizes[len(slopes) % len(sizes) :] + sizes[: len(slopes) % len(sizes)]
            times = {n: runs[n](loops[n]) / loops[n] for n in order}
            slopes.append(_slope([math.log(n) for n in sizes], [math.log(times[n]) for n in sizes]))
        estimate = median_interval(slopes)
        done = settle is None or settle(estimate)
        if done or len(slopes) >= max_rounds or time.monotonic() >= deadline:
            return estimate
        target = min(max_rounds, len(slopes) * 2)


def _slope(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mx) ** 2 for x in xs)
    return num / den

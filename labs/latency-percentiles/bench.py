"""Grader for latency-percentiles: percentile error and tracemalloc peak on a million
latencies, then the time of a dashboard refresh against a realistic history.

The bench draws a stream of 1,000,001 latencies from the attempt's seed: cache hits well
under a millisecond, ordinary requests of tens of milliseconds, a thin tail of slow
requests and timeouts, and an incident in the middle that makes everything slower for a
while. The candidate's recorder records the whole stream; at checkpoints the bench asks
P50, P95, P99 and P99.9 and compares each answer with the exact nearest-rank value it
computes itself by sorting the prefix.

* peak_memory — tracemalloc's peak while the candidate records the stream and answers
  the checkpoints. Deterministic: same code and seed, same bytes. The starter's peak is
  measured on the same stream, asked once at the end (asking more often costs it time,
  not a higher peak).
* percentile_error — the largest relative error over every checkpoint and percentile.
  Deterministic: the global `random` module is reseeded from the attempt's seed first,
  so even a sampling recorder gives the same answers twice.
* speedup — one second of traffic (1,000 records) plus one dashboard refresh, on
  recorders already holding SPEED_HISTORY latencies: the starter sorts them all four
  times per refresh. Timed at that size, not at a million, to keep the check short.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer
from perfcoach.measure import peak_memory

DASHBOARD = (50.0, 95.0, 99.0, 99.9)
STREAM = 1_000_001
# Odd sizes: p / 100 * n is never a whole number, so every reading of "nearest rank"
# (ceil of p/100*n, 1-based; or int() of it, 0-based) picks the same sample.
CHECKPOINTS = (1, 9, 1_001, 20_001, 300_001, STREAM)
SPEED_HISTORY = 50_000  # latencies already recorded when the timed refreshes start
SPEED_BATCH = 1_000  # requests recorded between two refreshes (one second of traffic)
SPEED_POOL = 50 * SPEED_BATCH  # fresh latencies the timed batches cycle through
WORKLOAD_REFRESHES = 10
TOLERANCE = 0.01  # matches the goal in lab.toml; used to word the detail
POOL = 40_000  # distinct latencies per pool; the stream draws from them
FASTEST_MS = 0.05
TIMEOUT_MS = 60_000.0


@dataclass(frozen=True)
class Traffic:
    """This seed's mix of requests."""

    hit_share: float  # cache hits: well under a millisecond
    hit_median: float
    app_median: float  # ordinary requests: tens of milliseconds
    slow_share: float  # lock waits, cold caches: 0.25 to 8 seconds
    timeout_share: float  # exactly TIMEOUT_MS
    incident: tuple[int, int]  # stream positions [start, end) where the database is degraded


def traffic(rng: random.Random, n: int) -> Traffic:
    """Random mix for this seed; the slow tail is always thicker than 0.1 %, so P99.9
    falls inside it, where only counting every request gets the value right."""
    start = int(n * rng.uniform(0.45, 0.6))
    return Traffic(
        hit_share=rng.uniform(0.52, 0.62),  # P50 is always a cache hit
        hit_median=rng.uniform(0.2, 0.6),
        app_median=rng.uniform(8.0, 30.0),
        slow_share=rng.uniform(0.002, 0.004),
        timeout_share=rng.uniform(0.0001, 0.0003),
        incident=(start, start + int(n * rng.uniform(0.1, 0.2))),
    )


def make_stream(rng: random.Random, n: int) -> list[float]:
    """n latencies in milliseconds, between FASTEST_MS and TIMEOUT_MS.

    Drawn from two pools of POOL latencies, calm and degraded (the incident), so a
    million of them take a fraction of a second to make; each value repeats ~25 times.
    """
    mix = traffic(rng, n)
    calm, degraded = _pool(rng, mix, incident=False), _pool(rng, mix, incident=True)
    start, end = mix.incident
    return (
        rng.choices(calm, k=start)
        + rng.choices(degraded, k=end - start)
        + rng.choices(calm, k=n - end)
    )


def _pool(rng: random.Random, mix: Traffic, *, incident: bool) -> list[float]:
    random_, gauss, exp = rng.random, rng.gauss, math.exp
    slow_low, slow_span = math.log(250.0), math.log(8000.0 / 250.0)
    hit_mu, app_mu = math.log(mix.hit_median), math.log(mix.app_median)
    if incident:
        app_mu += math.log(2.5)  # the database is degraded: ordinary requests slow down
    slow = (mix.slow_share + mix.timeout_share) * (2.0 if incident else 1.0)
    pool = []
    for _ in range(POOL):
        u = random_()
        if u < mix.timeout_share:
            ms = TIMEOUT_MS
        elif u < slow:
            ms = exp(slow_low + slow_span * random_())
        elif u < slow + mix.hit_share:
            ms = max(FASTEST_MS, exp(gauss(hit_mu, 0.4)))
        else:
            ms = exp(gauss(app_mu, 0.6))
        pool.append(ms)
    return pool


def exact_percentiles(stream: Sequence[float]) -> dict[int, dict[float, float]]:
    """Nearest-rank P50/P95/P99/P99.9 of each checkpoint's prefix: the reference."""
    exact = {}
    for n in CHECKPOINTS:
        ordered = sorted(stream[:n])
        exact[n] = {p: ordered[math.ceil(p / 100 * n) - 1] for p in DASHBOARD}
    return exact


def replay(module: ModuleType, stream: Sequence[float]) -> dict[int, dict[float, float]]:
    """Record the whole stream in a fresh recorder, asking the dashboard at checkpoints."""
    recorder = module.LatencyRecorder()
    record = recorder.record
    answers: dict[int, dict[float, float]] = {}
    done = 0
    for n in CHECKPOINTS:
        for ms in itertools.islice(stream, done, n):
            record(ms)
        done = n
        counted = recorder.count()
        if counted != n:
            raise WrongAnswer(f"after {n:,} calls to record(), count() returned {counted!r}")
        answers[n] = {p: _number(recorder.percentile(p), p, n) for p in DASHBOARD}
    return answers


def _number(value: Any, p: float, n: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WrongAnswer(f"percentile({p:g}) returned a {type(value).__name__}; return a float")
    if not math.isfinite(value) or value <= 0:
        raise WrongAnswer(f"percentile({p:g}) after {n:,} samples returned {value!r}")
    return float(value)


@dataclass(frozen=True)
class Miss:
    """The worst answer: where it was asked, what was right, what came back."""

    error: float
    p: float
    n: int
    exact: float
    got: float


def misses(exact: dict[int, dict[float, float]], got: dict[int, dict[float, float]]) -> list[Miss]:
    """Every answer's relative error, over every checkpoint and percentile."""
    return [
        Miss(abs(got[n][p] - value) / value, p, n, value, got[n][p])
        for n, row in exact.items()
        for p, value in row.items()
    ]


def worst(found: list[Miss]) -> Miss:
    """The answer with the largest relative error."""
    return max(found, key=lambda miss: (miss.error, miss.n, miss.p))


def error_detail(found: list[Miss]) -> str:
    """Name the worst answer and say what usually causes that kind of miss: the tail far
    worse than the rest means too few of the rarest requests were kept (a sample); errors
    of similar size everywhere mean buckets that are too wide."""
    miss = worst(found)
    where = (
        f"worst: P{miss.p:g} after {miss.n:,} samples, exact {miss.exact:,.4g} ms, yours "
        f"{miss.got:,.4g} ms ({miss.error:.2%} off)"
    )
    if miss.error <= TOLERANCE:
        return where
    body = max(m.error for m in found if m.p < 99)
    if miss.p >= 99 and miss.error > 3 * body:
        return (
            f"{where}, while P50 and P95 were at most {body:.2%} off. The tail is"
            f" made of the rarest requests: P{miss.p:g} of {miss.n:,} depends on the slowest"
            f" {math.ceil((100 - miss.p) / 100 * miss.n):,} of them. A sample of the stream"
            " keeps too few of those; count every request in a bucket"
        )
    return (
        f"{where}. An answer read from a bucket can be off by up to the bucket's width, so"
        " each bucket must be under 2 % as wide as the values in it, and the answer should"
        " come from its middle, not an edge. Equal-width buckets cannot be that narrow for"
        " sub-millisecond and multi-second values at once: make the widths grow with the"
        " value (log or geometric buckets)"
    )


def memory_detail(peak: int, base_peak: int, n: int) -> str:
    """Bytes per sample for the starter; what bounds the candidate's memory."""
    per_sample = base_peak / n
    if peak * 20 <= base_peak:
        return (
            f"{_size(peak)} after {n:,} latencies; the starter kept every one:"
            f" {_size(base_peak)}, {per_sample:.0f} bytes per latency"
        )
    return (
        f"{_size(peak)} after {n:,} latencies ({peak / n:.1f} bytes each). Memory that grows"
        " with the count means samples are kept: a list, an array, a sorted copy. Keep a"
        " fixed set of counters (one per bucket) instead"
    )


def _size(n_bytes: float) -> str:
    if n_bytes >= 1 << 20:
        return f"{n_bytes / (1 << 20):.1f} MiB"
    return f"{n_bytes / 1024:.1f} KiB"


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """Error and memory on a million latencies first; then the timed dashboard refresh."""
    stream = make_stream(ctx.rng("stream"), STREAM)
    exact = exact_percentiles(stream)

    random.seed(f"{ctx.seed}:candidate")  # a sampling recorder repeats its answers too
    answers, peak = peak_memory(lambda: replay(candidate, stream))
    found = misses(exact, answers)
    base_answer, base_peak = peak_memory(lambda: _record_all(baseline, stream))
    base_error = abs(base_answer - exact[STREAM][99.9]) / exact[STREAM][99.9]

    history = make_stream(ctx.rng("history"), SPEED_HISTORY + SPEED_POOL)
    speedup = ctx.speedup(
        "speedup", _refreshes(baseline, history), _refreshes(candidate, history), clock="cpu"
    )
    metrics = {
        "peak_memory": Measured(peak, base_peak, detail=memory_detail(peak, base_peak, STREAM)),
        "percentile_error": Measured(worst(found).error, base_error, detail=error_detail(found)),
        "speedup": speedup,
    }
    return Grade(correct=True, metrics=metrics, notes=_notes(metrics, ctx))


def _record_all(module: ModuleType, stream: Sequence[float]) -> float:
    recorder = module.LatencyRecorder()
    record = recorder.record
    for ms in stream:
        record(ms)
    return float(recorder.percentile(99.9))


def _refreshes(module: ModuleType, history: list[float]) -> Callable[[], object]:
    """A recorder holding SPEED_HISTORY latencies, and a callable that records the next
    second of traffic and refreshes the dashboard once (the batches cycle through the rest
    of history, so the recorder grows by SPEED_BATCH per call, a few percent per check)."""
    recorder = module.LatencyRecorder()
    record = recorder.record
    for ms in history[:SPEED_HISTORY]:
        record(ms)
    batches = itertools.cycle(range(SPEED_HISTORY, len(history), SPEED_BATCH))

    def refresh() -> list[float]:
        start = next(batches)
        for ms in itertools.islice(history, start, start + SPEED_BATCH):
            record(ms)
        return [recorder.percentile(p) for p in DASHBOARD]

    return refresh


def _notes(metrics: dict[str, Measured], ctx: LabContext) -> list[str]:
    """What to try next for each target still missed."""
    advice = {
        "peak_memory": "Memory: do not keep the latencies. Count how many fall in each bucket"
        " and answer from the counts; see `perfcoach lab hint latency-percentiles`.",
        "percentile_error": "Accuracy: the answer must be within 1 % of the exact value for"
        " every percentile, at every size, including P99.9.",
        "speedup": "Speed: a refresh should not touch every latency recorded so far;"
        " walking a few thousand bucket counters is enough.",
    }
    notes = []
    for name, text in advice.items():
        measured = metrics[name]
        if not ctx.goals[name].met(measured.value, measured.baseline):
            notes.append(text)
    return notes


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """Ten seconds of traffic with a dashboard refresh each second, on a recorder that
    already holds SPEED_HISTORY latencies; the history is recorded here, unprofiled."""
    history = make_stream(ctx.rng("workload"), SPEED_HISTORY + SPEED_POOL)
    refresh = _refreshes(module, history)

    def ten_seconds() -> None:
        for _ in range(WORKLOAD_REFRESHES):
            refresh()

    return ten_seconds

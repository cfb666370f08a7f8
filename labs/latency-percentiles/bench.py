"""Grader for latency-percentiles: percentile error and tracemalloc peak on a million
latencies, then the time of a dashboard refresh against a realistic history.

The bench draws a stream of 1,000,001 latencies from the attempt's seed: cache hits well
under a millisecond, ordinary requests of tens of milliseconds, a thin tail of slow
requests and timeouts, and an incident in the middle that makes everything slower for a
while. The subject is sent the pool the stream is drawn from first, then the
stream itself through a Feed, a chunk of positions at a time, so the stream is never in
the subject's memory as a whole: not what was recorded (unless the recorder kept it) and
not what comes next. The driver records it in a fresh recorder and returns what count()
and P50, P95, P99 and P99.9 answered at each checkpoint. The exact nearest-rank values
are computed here, from how often each latency of the pool occurs in each prefix, and
never leave this process.

* peak_memory — tracemalloc's peak in the candidate's process while its recorder takes
  the stream and answers the checkpoints, read by the subject's harness (memory=True),
  with its tamper flags. The pool arrives before tracing starts, so it does not count;
  each chunk of positions is counted while it is recorded (about 100 KiB, for everyone).
  Megabytes written meanwhile (to a file) make the figure untrusted.
  Deterministic: same code and seed, same bytes. The starter's peak is measured the same
  way on the same stream, asked once at the end (asking more often costs it time, not a
  higher peak).
* percentile_error — the largest relative error over every checkpoint and percentile.
  Deterministic: the driver reseeds the global `random` module (with a number drawn from
  the seed, not the seed) first, so even a sampling recorder gives the same answers twice.
* speedup — one second of traffic (1,000 records) plus one dashboard refresh, on a
  recorder already holding SPEED_HISTORY latencies: the starter sorts them all four times
  per refresh. Every timed unit is a fresh recorder (built untimed) with the history of a
  traffic mix of its own, so an answer kept from another call is wrong, and every
  candidate answer is compared here with the exact value. Timed at that size, not at a
  million, to keep the check short.
"""

from __future__ import annotations

import math
import random
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabBug,
    LabContext,
    Measured,
    Opaque,
    Refusal,
    Subject,
    Trial,
    Workload,
    WrongAnswer,
    trust,
)

DASHBOARD = (50.0, 95.0, 99.0, 99.9)
STREAM = 1_000_001
# Odd sizes: p / 100 * n is never a whole number, so every reading of "nearest rank"
# (ceil of p/100*n, 1-based; or int() of it, 0-based) picks the same sample.
CHECKPOINTS = (1, 9, 1_001, 20_001, 300_001, STREAM)
SPEED_HISTORY = 50_000  # latencies already recorded when the timed refreshes start
SPEED_BATCH = 1_000  # requests recorded between two refreshes (one second of traffic)
WORKLOAD_REFRESHES = 10
TOLERANCE = 0.01  # matches the goal in lab.toml: words the detail, bounds the timed check
# The million is drawn from two pools (calm, degraded) of 2**STREAM_BITS latencies each, so
# a position in them is two bytes; each latency repeats ~30 times in the stream.
STREAM_BITS = 15
# Each timed unit is a traffic mix of its own, from pools of 2**UNIT_BITS latencies: drawn
# from random bytes, a unit takes ~9 ms to make (rng.choices alone took 6 ms of 14);
# fewer distinct latencies would make the starter's sort cheaper than a real one.
UNIT_BITS = 12
# A unit costs ~25 ms to make, ready and check, untimed: at most this many per sample keeps
# the check of a fast recorder short. The history is long enough that the starter's four
# sorts (~23 ms) dwarf a histogram's refresh, whose cost does not grow with it: an
# HDR-style recorder (~1.1 ms a refresh) comes out ~20x. At 25,000 it came out 9.2–12x in
# a parallel CI, against the 10x line, even with four units per sample.
UNITS_PER_SAMPLE = 2
FASTEST_MS = 0.05
TIMEOUT_MS = 60_000.0
# Nothing recorded is slower than the timeout: an answer past twice that is refused.
LONGEST_ANSWER_MS = 2 * TIMEOUT_MS
CHUNK = 8192  # latencies per delivery of the stream to a subject (16 KiB of positions)
POSITION = 2  # bytes per position in the pools: high byte first, then the low byte
# The replay's own writes are a few bytes (its reply goes out with send()); a million
# latencies kept in a file take megabytes, at least 2 bytes each even compressed.
WRITTEN_LIMIT = 1 << 20
# While the grader thread works out exact answers and makes timed units, it yields the GIL
# this often, so the thread that serves the subjects' feeds and takes their replies is not
# kept waiting (the default is 5 ms).
SERVING_SWITCH_S = 0.0002


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
    """n latencies in milliseconds, between FASTEST_MS and TIMEOUT_MS: make_positions's
    stream, as the latencies themselves."""
    values, positions = make_positions(rng, n)
    return [values[i] for i in positions]


def make_positions(
    rng: random.Random, n: int, bits: int = STREAM_BITS
) -> tuple[list[float], array[int]]:
    """n latencies as positions in two pools of 2**bits latencies laid end to end, calm
    then degraded (the incident's positions are in the degraded one), and the pools.

    Each position is two random bytes, the high one masked to its pool: uniform draws
    made in C, where one rng call per latency took most of the time to make a million.
    """
    mix = traffic(rng, n)
    size = 1 << bits
    values = _pool(rng, mix, size, incident=False) + _pool(rng, mix, size, incident=True)
    calm = bytes(b & (size - 1) >> 8 for b in range(256))
    degraded = bytes(c | size >> 8 for c in calm)
    high, low = rng.randbytes(n), rng.randbytes(n)
    start, end = mix.incident
    masked = bytearray(high.translate(calm))
    masked[start:end] = high[start:end].translate(degraded)
    pairs = bytearray(2 * n)
    pairs[0::2], pairs[1::2] = low, masked
    positions = array("H", pairs)  # little-endian pairs: the low byte first
    if sys.byteorder == "big":
        positions.byteswap()
    return values, positions


def encode_positions(positions: array[int]) -> bytes:
    """Positions as the wire carries them: POSITION bytes each, the high byte first."""
    big = array("H", positions)
    if sys.byteorder == "little":
        big.byteswap()
    return big.tobytes()


def _pool(rng: random.Random, mix: Traffic, size: int, *, incident: bool) -> list[float]:
    random_, gauss, exp = rng.random, rng.gauss, math.exp
    slow_low, slow_span = math.log(250.0), math.log(8000.0 / 250.0)
    hit_mu, app_mu = math.log(mix.hit_median), math.log(mix.app_median)
    if incident:
        app_mu += math.log(2.5)  # the database is degraded: ordinary requests slow down
    slow = (mix.slow_share + mix.timeout_share) * (2.0 if incident else 1.0)
    pool = []
    for _ in range(size):
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


def nearest_rank(ordered: Sequence[float], p: float) -> float:
    """The exact nearest-rank percentile of sorted latencies: the reference."""
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def exact_percentiles(stream: Sequence[float]) -> dict[int, dict[float, float]]:
    """Nearest-rank P50/P95/P99/P99.9 of each checkpoint's prefix."""
    exact = {}
    for n in CHECKPOINTS:
        ordered = sorted(stream[:n])
        exact[n] = {p: nearest_rank(ordered, p) for p in DASHBOARD}
    return exact


def exact_from_positions(
    values: Sequence[float], positions: Sequence[int], checkpoints: Sequence[int] = CHECKPOINTS
) -> dict[int, dict[float, float]]:
    """exact_percentiles of the stream [values[i] for i in positions] (of its first n, for
    each n in checkpoints), from how often each position occurs in each prefix instead of
    sorting every prefix: the k-th smallest latency is at the first rank, in value order,
    whose running count reaches k."""
    order = sorted(range(len(values)), key=values.__getitem__)
    rank = [0] * len(values)
    for r, i in enumerate(order):
        rank[i] = r
    counts: Counter[int] = Counter()
    by_rank = [0] * len(values)
    exact = {}
    done = 0
    for n in checkpoints:
        counts.update(positions[done:n])
        done = n
        for i, count in counts.items():
            by_rank[rank[i]] = count
        running = list(accumulate(by_rank))
        exact[n] = {
            p: values[order[bisect_left(running, max(1, math.ceil(p / 100 * n)))]]
            for p in DASHBOARD
        }
    return exact


def read_answers(got: list[Any]) -> dict[int, dict[float, float]]:
    """The driver's replay answers by checkpoint; a wrong count() or a percentile that is
    not a positive number stops the check there."""
    if len(got) < len(CHECKPOINTS):  # the driver stops where the feed ran dry
        reached = CHECKPOINTS[len(got)]
        raise WrongAnswer(
            f"the stream ran out before {reached:,} latencies were recorded: something other"
            " than the check's replay took latencies from the feed that delivers them"
        )
    answers: dict[int, dict[float, float]] = {}
    for n, (counted, values) in zip(CHECKPOINTS, got, strict=True):
        if counted != n or isinstance(counted, bool):
            raise WrongAnswer(f"after {n:,} calls to record(), count() returned {counted!r}")
        answers[n] = {p: _number(value, p, n) for p, value in zip(DASHBOARD, values, strict=True)}
    return answers


def _number(value: Any, p: float, n: int) -> float:
    """A percentile answer as a float, or the WrongAnswer that says what it was instead."""
    problem = _not_a_latency(value, p, n)
    if problem:
        raise WrongAnswer(problem)
    return float(value)


def _not_a_latency(value: Any, p: float, n: int) -> str:
    """What makes value no answer to percentile(p) at all ('' when it is one): shared by
    the million's checkpoints and the timed refreshes, so both refuse the same things."""
    if isinstance(value, Opaque):
        return f"percentile({p:g}) returned a {value.type_name}; return a float"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"percentile({p:g}) returned a {type(value).__name__}; return a float"
    if not math.isfinite(value) or value <= 0:
        return f"percentile({p:g}) after {n:,} samples returned {value!r}"
    if value > LONGEST_ANSWER_MS:
        return (
            f"percentile({p:g}) after {n:,} samples returned {value:,.6g} ms, more than twice"
            f" the {TIMEOUT_MS:,.0f} ms timeout, the longest latency there is"
        )
    return ""


class Feed:
    """The stream, served in order to one subject, a chunk at a time, as positions in the
    pool of latencies that subject was sent first. The subject never holds more
    of the stream than the chunk it is recording: not what it recorded before (that is in
    the recorder, or nowhere), not what comes next."""

    def __init__(self, positions: bytes) -> None:
        self._positions = positions  # POSITION bytes each, in stream order
        self._at = 0

    def take(self, most: int) -> bytes:
        """Up to `most` (at most CHUNK) next positions; nothing once the stream is over."""
        if type(most) is not int or most < 1:
            raise Refusal(f"take() needs a positive number of latencies, not {most!r}")
        start = self._at
        self._at = min(len(self._positions), start + POSITION * min(most, CHUNK))
        return self._positions[start : self._at]


def nested_pool(values: list[float]) -> list[list[float]]:
    """The pools as the driver indexes them: values[i] is pool[i >> 8][i & 255]. Each index
    is one byte of a position, and Python keeps every int below 257 ready made, so
    recording a latency allocates nothing in the driver: tracemalloc, which the million's
    replay runs under, would otherwise trace (and slow down) an int a latency."""
    if len(values) > 1 << (8 * POSITION):
        raise LabBug(f"a pool of {len(values):,} latencies does not fit in {POSITION} bytes")
    return [values[high : high + 256] for high in range(0, len(values), 256)]


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


@dataclass(frozen=True)
class Refresh:
    """One timed unit: a recorder's history (recorded untimed, then one refresh: the
    steady state) and the next second of traffic (recorded on the clock, then a refresh)."""

    history: list[float]  # SPEED_HISTORY latencies, recorded before the clock starts
    batch: list[float]  # the next second of traffic: what the timed call records
    exact: dict[float, float]  # the exact percentiles after the batch


def make_refresh(ctx: LabContext, unit: int) -> Refresh:
    """Unit's traffic, from a mix of its own: no two units share their percentiles. The
    latencies travel as floats: nothing is traced while a unit is built or timed, so the
    million's allocation-free positions would only cost the subject time to decode."""
    n = SPEED_HISTORY + SPEED_BATCH
    values, positions = make_positions(ctx.rng(f"refresh-{unit}"), n, UNIT_BITS)
    latencies = itemgetter(*positions)(values)
    return Refresh(
        list(latencies[:SPEED_HISTORY]),
        list(latencies[SPEED_HISTORY:]),
        exact_from_positions(values, positions, (n,))[n],
    )


class Ahead:
    """Timed units made on a grader thread while the subjects work (this process mostly
    waits on them): unit i is the same whenever it is made, since its seed is its number."""

    def __init__(self, ctx: LabContext, pool: ThreadPoolExecutor) -> None:
        self.ctx = ctx
        self.pool = pool
        self.made: dict[int, Future[Refresh]] = {}

    def __call__(self, unit: int) -> Refresh:
        for upcoming in range(unit, unit + 2 * UNITS_PER_SAMPLE):
            if upcoming not in self.made:
                self.made[upcoming] = self.pool.submit(make_refresh, self.ctx, upcoming)
        return self.made.pop(unit).result()


def prepare_refreshes(side: Subject, units: list[Refresh]) -> list[tuple[Any, list[float]]]:
    """A fresh recorder per unit holding its history, built in the subject, untimed, in
    its steady state: the dashboard was refreshed a second ago, as it is every second."""
    return _prepare(side, units, DASHBOARD)


def prepare_starter(side: Subject, units: list[Refresh]) -> list[tuple[Any, list[float]]]:
    """prepare_refreshes for the starter, without the steady-state refresh: it sorts a
    copy of every latency on each query, so an earlier query changes nothing it does."""
    return _prepare(side, units, ())


def _prepare(
    side: Subject, units: list[Refresh], dashboard: Sequence[float]
) -> list[tuple[Any, list[float]]]:
    ready = []
    for unit in units:
        ref = side.call("build", unit.history, dashboard).ref
        if ref is None:
            raise LabBug("the driver's build() kept no recorder")
        ready.append((ref, unit.batch))
    return ready


def run_refreshes(side: Subject, ready: list[tuple[Any, list[float]]]) -> list[Any]:
    """Every unit's second of traffic and dashboard refresh, in one timed round trip."""
    refs = [ref for ref, _ in ready]
    out = side.run("refresh", [batch for _, batch in ready], DASHBOARD, *refs)
    for ref in refs:
        side.drop(ref)
    return list(out) if isinstance(out, list) else []


def refresh_check(tolerance: float) -> Callable[[Refresh, Any], str | None]:
    """Compare a timed refresh with the exact percentiles of its recorder's latencies.

    tolerance is 2 % for a recorder that met the 1 % goal on the million (room for a value
    from a bucket's edge); for one that did not, only that its answers are numbers, since
    the percentile_error row already says what is wrong, with the worst answer.
    """

    def check(unit: Refresh, output: Any) -> str | None:
        if not isinstance(output, list) or len(output) != len(DASHBOARD):
            return f"a refresh returned {output!r}, not one answer per dashboard percentile"
        n = SPEED_HISTORY + SPEED_BATCH
        for p, value in zip(DASHBOARD, output, strict=True):
            problem = _not_a_latency(value, p, n)
            if problem:
                return problem
            exact = unit.exact[p]
            error = abs(value - exact) / exact
            if error > tolerance:
                return (
                    f"after {SPEED_BATCH:,} more latencies on a recorder holding "
                    f"{SPEED_HISTORY:,}, P{p:g} was {value:,.4g} ms, exact {exact:,.4g} ms "
                    f"({error:.2%} off). Every refresh must answer for everything this "
                    "recorder has recorded, the latest second included: an answer kept from "
                    "an earlier call (or another recorder) is out of date"
                )
        return None

    return check


def bytes_written(side: Subject) -> int | None:
    """What the subject's process has passed to write() so far, read here from the kernel
    (/proc/PID/io), out of its reach; None where the kernel does not say."""
    try:
        for line in Path(f"/proc/{side.proc.pid}/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def written_untrusted(before: int | None, after: int | None) -> str:
    """Why the peak says nothing when the recorder wrote megabytes while it recorded: the
    latencies went to a file (or a pipe), where tracemalloc cannot see them."""
    if before is None or after is None or after - before <= WRITTEN_LIMIT:
        return ""
    return (
        f"your process wrote {_size(after - before)} (to a file, a pipe or printed output)"
        " while it recorded the latencies: latencies kept outside Python's memory are still"
        " kept, and tracemalloc cannot see them. Keep a fixed set of counters instead"
    )


def grade(ctx: LabContext) -> Grade:
    """Error and memory on a million latencies first; then the timed dashboard refresh."""
    values, stream = make_positions(ctx.rng("stream"), STREAM)
    background = ThreadPoolExecutor(1)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SERVING_SWITCH_S)
    try:
        return _grade(ctx, values, stream, background)
    finally:
        sys.setswitchinterval(switch)
        background.shutdown(wait=True, cancel_futures=True)


def _grade(
    ctx: LabContext, values: list[float], stream: array[int], background: ThreadPoolExecutor
) -> Grade:
    """grade(), with a grader thread: the exact answers are worked out while the subjects
    record (the grader mostly waits on them), then the timed units are made ahead."""
    exact_later = background.submit(exact_from_positions, values, stream)
    sampling = ctx.rng("sampling").getrandbits(64)  # a sampling recorder repeats its answers

    pool, positions = nested_pool(values), encode_positions(stream)
    # The starter records the same stream side by side with yours: nothing here is timed,
    # and each peak is its own process's.
    recording = ctx.baseline.start(
        "record_all", pool, ctx.serve(Feed(positions)), STREAM, 99.9, memory=True
    )
    written = bytes_written(ctx.candidate)
    feed = ctx.serve(Feed(positions))
    mine = ctx.candidate.call("replay", pool, feed, CHECKPOINTS, DASHBOARD, sampling, memory=True)
    exact = exact_later.result()
    spilled = written_untrusted(written, bytes_written(ctx.candidate))
    found = misses(exact, read_answers(mine.value))
    base = recording.result()
    if mine.peak is None or base.peak is None:
        raise LabBug("the harness measured no tracemalloc peak")
    base_error = abs(_number(base.value, 99.9, STREAM) - exact[STREAM][99.9]) / exact[STREAM][99.9]

    error = worst(found).error
    tolerance = 2 * TOLERANCE if error <= TOLERANCE else math.inf
    # Whole KiB: the harness's receive buffer can grow in different steps when a chunk of
    # the stream arrives in more reads, which moves a peak by a few bytes between runs.
    peak, base_peak = round(mine.peak / 1024) * 1024, round(base.peak / 1024) * 1024
    counted = {
        "peak_memory": Measured(
            peak,
            base_peak,
            detail=memory_detail(peak, base_peak, STREAM),
            untrusted=trust(mine) or spilled,
        ),
        "percentile_error": Measured(error, base_error, detail=error_detail(found)),
    }
    for name, measured in counted.items():
        ctx.counted(name, measured)
    ahead = Ahead(ctx, background)
    speedup = ctx.speedup(
        "speedup",
        Trial(
            make=ahead,
            prepare=prepare_refreshes,
            run=run_refreshes,
            check=refresh_check(tolerance),
            max_units=UNITS_PER_SAMPLE,
        ),
        baseline_trial=Trial(
            make=ahead, prepare=prepare_starter, run=run_refreshes, max_units=UNITS_PER_SAMPLE
        ),
        clock="cpu",
    )
    metrics = {**counted, "speedup": speedup}
    return Grade(correct=True, metrics=metrics, notes=_notes(metrics, ctx))


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


def workload(ctx: LabContext) -> Workload:
    """Ten seconds of traffic with a dashboard refresh each second, on a recorder that
    already holds SPEED_HISTORY latencies: the history is recorded first, unprofiled."""
    latencies = make_stream(ctx.rng("workload"), SPEED_HISTORY + WORKLOAD_REFRESHES * SPEED_BATCH)
    recorder = ctx.candidate.call("build", latencies[:SPEED_HISTORY], DASHBOARD).ref
    if recorder is None:
        raise LabBug("the driver's build() kept no recorder")
    batches = [
        latencies[start : start + SPEED_BATCH]
        for start in range(SPEED_HISTORY, len(latencies), SPEED_BATCH)
    ]
    return Workload("refresh", (batches, DASHBOARD, *[recorder] * WORKLOAD_REFRESHES))

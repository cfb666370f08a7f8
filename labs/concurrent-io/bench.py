"""Grader for concurrent-io: answers in input order, in-flight calls bounded, wall-time speedup.

The bench passes an instrumented client that simulates the supplier's API: every request
sleeps a seeded 20-50 ms (time.sleep for fetch, asyncio.sleep for afetch). Inside the
request it counts what the learner's code cannot fake from the outside: how many calls
are in flight at once, how many calls were made per SKU, and how many threads are alive
beyond those that existed when fetch_quotes was called. Those counts are deterministic
for a given design: a Semaphore(8) or a pool of 8 workers reaches exactly 8 in flight,
an unbounded gather all 40.

Speedup is wall time: the starter is timed once (its 40 sleeps run back to back, so it
cannot come in much under their sum), and your code several times; the verdict takes the
slowest of your runs. Interleaved pairs as in ctx.speedup would cost 1.4 s of starter per
pair, and the gap between 1× and the ~7× a bounded fix reaches is too large to need them.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from perfcoach.labkit import Grade, LabContext, Measured, WrongAnswer
from perfcoach.measure import median_interval

LIMIT = 8  # the supplier's terms: requests in flight at once per client
N_SKUS = 40
DELAY_S = (0.020, 0.050)
MIN_RUNS = 3  # timed runs of the candidate (the instrumented one included)
MAX_RUNS = 9
TIMING_BUDGET_S = 4.0


@dataclass
class Tally:
    """What the simulated API saw; kept out of the client's attributes."""

    before_threads: int
    in_flight: int = 0
    in_flight_max: int = 0
    threads_max: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self, sku: str) -> None:
        with self.lock:
            self.in_flight += 1
            self.in_flight_max = max(self.in_flight_max, self.in_flight)
            self.threads_max = max(self.threads_max, threading.active_count() - self.before_threads)
            self.calls[sku] += 1

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


class SupplierClient:
    """The supplier's API, simulated. The counters live in closures, not on the object."""

    max_in_flight = LIMIT

    def __init__(self, fetch: Callable[[str], dict[str, Any]], afetch: Any) -> None:
        self.fetch = fetch
        self.afetch = afetch

    def __repr__(self) -> str:
        return f"SupplierClient(max_in_flight={self.max_in_flight})"


def make_client(answers: dict[str, dict[str, Any]], delays: dict[str, float]) -> tuple[
    SupplierClient, Tally
]:  # fmt: skip
    """A fresh client and the tally it reports to."""
    tally = Tally(before_threads=threading.active_count())

    def fetch(sku: str) -> dict[str, Any]:
        """Request one SKU's quote; blocks until the answer arrives."""
        tally.enter(sku)
        try:
            time.sleep(delays[sku])
        finally:
            tally.leave()
        return dict(answers[sku])

    async def afetch(sku: str) -> dict[str, Any]:
        """Request one SKU's quote from a coroutine."""
        tally.enter(sku)
        try:
            await asyncio.sleep(delays[sku])
        finally:
            tally.leave()
        return dict(answers[sku])

    return SupplierClient(fetch, afetch), tally


@dataclass(frozen=True)
class Basket:
    """The SKUs to quote, the supplier's answers and how long each takes."""

    skus: list[str]
    answers: dict[str, dict[str, Any]]
    delays: dict[str, float]


def make_basket(rng: random.Random, n: int = N_SKUS) -> Basket:
    """n distinct SKUs with seeded answers and seeded 20-50 ms delays."""
    skus = [f"SKU-{number:05d}" for number in rng.sample(range(100_000), n)]
    answers = {
        sku: {
            "sku": sku,
            "price_cents": rng.randint(99, 99_999),
            "in_stock": rng.random() < 0.85,
        }
        for sku in skus
    }
    delays = {sku: rng.uniform(*DELAY_S) for sku in skus}
    return Basket(skus, answers, delays)


def first_difference(basket: Basket, got: object) -> str | None:
    """Where the answers differ from the expected ones, naming out-of-order positions."""
    if not isinstance(got, list):
        return f"fetch_quotes must return a list, got {type(got).__name__}"
    if len(got) != len(basket.skus):
        return f"expected {len(basket.skus)} answers, one per SKU, got {len(got)}"
    for position, (sku, answer) in enumerate(zip(basket.skus, got, strict=True)):
        want = basket.answers[sku]
        if answer == want:
            continue
        other = answer.get("sku") if isinstance(answer, dict) else None
        if isinstance(other, str) and answer == basket.answers.get(other):
            return (
                f"results out of input order: position {position} should hold the answer for "
                f"{sku}, it holds the one for {other}. Return them in the order of skus: "
                "gather() and Executor.map() keep it, as_completed() gives completion order"
            )
        return f"position {position} ({sku}): expected {want!r}, got {answer!r}"
    return None


def run_once(module: ModuleType, basket: Basket) -> tuple[Any, Tally, float]:
    """fetch_quotes on a fresh client: the answers, the tally, and the wall time."""
    client, tally = make_client(basket.answers, basket.delays)
    start = time.perf_counter()
    got = module.fetch_quotes(client, list(basket.skus))
    return got, tally, time.perf_counter() - start


def grade(candidate: ModuleType, baseline: ModuleType, ctx: LabContext) -> Grade:
    """Answers first, then the tallies of every run, then the wall-time speedup."""
    basket = make_basket(ctx.rng("basket"))
    got, tally, elapsed = run_once(candidate, basket)
    problem = first_difference(basket, got)
    if problem:
        raise WrongAnswer(problem)
    _, base_tally, base_s = run_once(baseline, basket)
    limit = ctx.goals["speedup"].threshold(1.0) or 0.0
    times = [elapsed]
    tallies = [tally]
    while len(times) < MAX_RUNS and sum(times) < TIMING_BUDGET_S:
        estimate = median_interval([base_s / t for t in times])
        settled = estimate.above(limit) or estimate.below(limit)
        if settled and (len(times) >= MIN_RUNS or sum(times) >= 1.0):
            break
        again, tally, elapsed = run_once(candidate, basket)
        problem = first_difference(basket, again)
        if problem:
            raise WrongAnswer(f"on a repeated run: {problem}")
        times.append(elapsed)
        tallies.append(tally)
    ratio = median_interval([base_s / t for t in times])
    in_flight = max(t.in_flight_max for t in tallies)
    threads = max(t.threads_max for t in tallies)
    calls = tallies[0].calls
    total_sleep = sum(basket.delays.values())
    metrics = {
        "in_flight_max": Measured(
            in_flight, base_tally.in_flight_max, detail=_in_flight(in_flight)
        ),
        "threads_alive_max": Measured(
            threads, base_tally.threads_max, detail=_threads(threads, in_flight)
        ),
        "remote_calls": Measured(sum(calls.values()), N_SKUS, detail=_calls(calls)),
        "speedup": Measured(
            ratio.median,
            1.0,
            ratio.low,
            ratio.high,
            f"starter {base_s * 1000:,.0f} ms (one run; its sleeps add up to "
            f"{total_sleep * 1000:,.0f} ms), yours {_span(times)}; the verdict uses the low "
            "end of the ratio's range (with few runs, your slowest)",
        ),
    }
    mean_s = total_sleep / N_SKUS
    notes = [
        f"This seed: {N_SKUS} SKUs, each answer takes {DELAY_S[0] * 1000:.0f}–"
        f"{DELAY_S[1] * 1000:.0f} ms (mean {mean_s * 1000:.0f} ms). Little's law, L = λW: "
        f"{LIMIT} calls in flight at {mean_s * 1000:.0f} ms each sustain "
        f"{LIMIT / mean_s:,.0f} calls/s, so {N_SKUS} calls need about "
        f"{total_sleep / LIMIT * 1000:,.0f} ms, against {total_sleep * 1000:,.0f} ms one by one.",
    ]
    if in_flight <= 1:
        notes.append(
            "One call at a time: the code waits for each answer before it asks for the next,"
            " and the CPU is idle during every wait. Threads and asyncio can overlap waits,"
            " even under the GIL: keep at most client.max_in_flight calls in flight (the"
            " brief shows both ways)."
        )
    return Grade(correct=True, metrics=metrics, notes=notes)


def _span(times: list[float]) -> str:
    if len(times) == 1:
        return f"{times[0] * 1000:,.0f} ms (1 run)"
    return f"{min(times) * 1000:,.0f}–{max(times) * 1000:,.0f} ms over {len(times)} runs"


def _in_flight(n: int) -> str:
    if n > LIMIT:
        return (
            f"in-flight limit exceeded: up to {n} calls were in flight at once, the supplier "
            f"allows {LIMIT} (a real API would answer 429 Too Many Requests). Bound the "
            f"concurrency: asyncio.Semaphore({LIMIT}) around each call, or a pool of "
            f"{LIMIT} workers"
        )
    if n <= 1:
        return "one call at a time: nothing overlaps"
    return f"at most {n} calls at once, within the supplier's {LIMIT}"


def _threads(n: int, in_flight: int) -> str:
    if n == 0:
        return "no threads besides the caller's: asyncio, or the calls ran one by one"
    if n <= 16:
        return f"at most {n} threads besides the caller's: a pool sized near the bound"
    return (
        f"{n} threads alive at once for at most {in_flight} calls in flight: a thread per "
        "call grows with the input (10,000 SKUs would start 10,000 threads, each with its "
        f"own stack). Reuse a pool: ThreadPoolExecutor(max_workers={LIMIT}), or asyncio"
    )


def _calls(calls: Counter[str]) -> str:
    repeated = [sku for sku, n in calls.items() if n > 1]
    if repeated:
        return (
            f"{len(repeated)} SKUs were requested more than once ({repeated[0]}: "
            f"{calls[repeated[0]]} times): ask the supplier once per SKU"
        )
    return "one request per SKU"


def workload(module: ModuleType, ctx: LabContext) -> Callable[[], object]:
    """One basket of 40 quotes for `perfcoach lab profile`, on a fresh client per run."""
    basket = make_basket(ctx.rng("workload"))

    def run() -> object:
        client, _ = make_client(basket.answers, basket.delays)
        return module.fetch_quotes(client, list(basket.skus))

    return run

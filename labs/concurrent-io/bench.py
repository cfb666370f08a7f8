"""Grader for concurrent-io: answers in input order, calls in flight bounded, wall-time speedup.

The supplier's API runs here, in the grader. `Supplier.fetch` answers each request with
`Later(quote, delay)`, a seeded 20-50 ms, without blocking the grader, so it serves as
many requests at once as the learner's code sends. Each request is counted as it arrives,
where the learner's code cannot reach the counters: calls in flight at once, calls per
SKU, and the threads the subject process has (read from /proc, beyond the harness's own
two). Those counts are deterministic for a design: a Semaphore(8) or a pool of 8 workers
reaches exactly 8 in flight, an unbounded gather all 40.

Every run of the candidate gets a fresh basket and a fresh supplier, and every run is
counted and checked. A basket shares some SKUs with the one before it, quoted at new
prices, so a quote kept from an earlier call is stale; a client kept from an earlier call
is refused.

Speedup is the grader's wall clock around each call. The starter runs once (its 40 waits
run back to back, so it always takes about their sum), the candidate 2 to 9 times. Pairs
as in ctx.speedup would cost 1.4 s of starter each, and the gap between 1× and the ~7× of
a bounded fix is too wide to need them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabContext,
    Later,
    Measured,
    Refusal,
    Subject,
    Workload,
    WrongAnswer,
)
from perfcoach.measure import median_interval

LIMIT = 8  # the supplier's terms: requests in flight at once per client
N_SKUS = 40
CARRIED = 10  # SKUs a basket shares with the one before it, quoted again at a new price
DELAY_S = (0.020, 0.050)
MIN_RUNS = 2  # runs of the candidate, the first (checked and counted like the rest) included
MAX_RUNS = 9
TIMING_BUDGET_S = 4.0
HARNESS_THREADS = 2  # the subject's main thread and the worker thread that runs the driver


@dataclass(frozen=True)
class Basket:
    """The SKUs to quote, the supplier's answers and how long each takes."""

    skus: list[str]
    answers: dict[str, dict[str, Any]]
    delays: dict[str, float]


def make_basket(rng: random.Random, previous: Basket | None = None, n: int = N_SKUS) -> Basket:
    """n distinct SKUs with seeded answers and 20-50 ms delays.

    After the first, a basket carries CARRIED SKUs over from the previous one at a new
    price: a quote remembered from the earlier call is then wrong, not merely unused.
    """
    carried = rng.sample(previous.skus, CARRIED) if previous is not None else []
    taken = set(previous.skus) if previous is not None else set()
    skus = list(carried)
    while len(skus) < n:
        sku = f"SKU-{rng.randrange(100_000):05d}"
        if sku not in taken:
            taken.add(sku)
            skus.append(sku)
    rng.shuffle(skus)
    answers = {}
    for sku in skus:
        price = rng.randint(99, 99_999)
        if previous is not None and sku in previous.answers:
            old = previous.answers[sku]["price_cents"]
            price = max(99, old + rng.choice((-1, 1)) * rng.randint(1, 2_000))
            price = price if price != old else old + 1
        answers[sku] = {"sku": sku, "price_cents": price, "in_stock": rng.random() < 0.85}
    delays = {sku: rng.uniform(*DELAY_S) for sku in skus}
    return Basket(skus, answers, delays)


class Supplier:
    """The supplier's API for one call of fetch_quotes, and what it saw of that call.

    Only `fetch` is callable from the subject. The tallies are plain attributes: the
    grader reads them after the call, the learner's code never sees this object.
    """

    def __init__(self, basket: Basket, threads: Callable[[], int]) -> None:
        self._basket = basket
        self._threads = threads
        self.calls: Counter[str] = Counter()
        self.in_flight = 0
        self.in_flight_max = 0
        self.threads_max = 0
        self.retired = False

    def fetch(self, sku: object) -> Later:
        """One request: counted now, answered after the SKU's delay."""
        if self.retired:
            raise Refusal(
                "this client was given to an earlier call of fetch_quotes: every call gets "
                "its own client, use the one passed in"
            )
        if not isinstance(sku, str) or sku not in self._basket.answers:
            raise Refusal(f"the supplier has no SKU {sku!r} in this basket: ask for the skus given")
        self.calls[sku] += 1
        self.in_flight += 1
        self.in_flight_max = max(self.in_flight_max, self.in_flight)
        self.threads_max = max(self.threads_max, self._threads() - HARNESS_THREADS)
        return Later(dict(self._basket.answers[sku]), self._basket.delays[sku], self._answered)

    def _answered(self) -> None:
        self.in_flight -= 1


@dataclass
class Run:
    """One call of fetch_quotes: what came back, what the supplier saw, how long it took."""

    got: Any
    supplier: Supplier
    wall_s: float


def run_once(ctx: LabContext, side: Subject, basket: Basket) -> Run:
    """fetch_quotes on a fresh supplier, the other subject stopped while this one is timed."""
    supplier = Supplier(basket, side.threads)
    handle = ctx.serve(supplier)
    with ctx.grader.only(side):
        reply = side.call("quotes", handle, basket.skus, LIMIT)
    supplier.retired = True
    return Run(reply.value, supplier, reply.wall_s)


@dataclass
class History:
    """Every quote an earlier basket of this check gave, to recognise one kept too long."""

    quotes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, basket: Basket) -> None:
        """Remember a basket's answers once its call is over."""
        for sku, answer in basket.answers.items():
            self.quotes.setdefault(sku, []).append(answer)

    def stale(self, sku: str, answer: object) -> bool:
        """Is answer a quote this SKU had in an earlier call?"""
        return answer in self.quotes.get(sku, [])


def first_difference(basket: Basket, got: object, history: History) -> str | None:
    """Where the answers differ from the expected ones, naming what usually causes it."""
    if not isinstance(got, list):
        return f"fetch_quotes must return a list, got {type(got).__name__}"
    if len(got) != len(basket.skus):
        return f"expected {len(basket.skus)} answers, one per SKU, got {len(got)}"
    for position, (sku, answer) in enumerate(zip(basket.skus, got, strict=True)):
        want = basket.answers[sku]
        if answer == want:
            continue
        if history.stale(sku, answer):
            return (
                f"position {position} ({sku}) holds {answer!r}, the quote {sku} had in an "
                f"earlier call; this call's quote is {want!r}. Prices change between calls: "
                "a quote is good only for the call that asked for it, so fetch every SKU "
                "every time (anything kept from an earlier call is stale)"
            )
        other = answer.get("sku") if isinstance(answer, dict) else None
        if isinstance(other, str) and answer == basket.answers.get(other):
            return (
                f"results out of input order: position {position} should hold the answer for "
                f"{sku}, it holds the one for {other}. Return them in the order of skus: "
                "gather() and Executor.map() keep it, as_completed() gives completion order"
            )
        return f"position {position} ({sku}): expected {want!r}, got {answer!r}"
    return None


def grade(ctx: LabContext) -> Grade:
    """Answers first, then the tallies of every run, then the wall-time speedup."""
    rng = ctx.rng("basket")
    basket = make_basket(rng)
    base_waits_s = sum(basket.delays.values())
    history = History()
    for side in (ctx.candidate, ctx.baseline):  # both started; neither boots while timed
        side.run("ready")
    first = run_once(ctx, ctx.candidate, basket)
    problem = first_difference(basket, first.got, history)
    if problem:
        raise WrongAnswer(problem)
    base = run_once(ctx, ctx.baseline, basket)
    limit = ctx.goals["speedup"].threshold(1.0) or 0.0
    runs = [first]
    while len(runs) < MAX_RUNS:
        if len(runs) >= MIN_RUNS:  # a fresh basket was checked, however slow the code is
            estimate = median_interval([base.wall_s / r.wall_s for r in runs])
            settled = estimate.above(limit) or estimate.below(limit)
            if settled or sum(r.wall_s for r in runs) >= TIMING_BUDGET_S:
                break
        history.add(basket)
        basket = make_basket(rng, basket)
        again = run_once(ctx, ctx.candidate, basket)
        problem = first_difference(basket, again.got, history)
        if problem:
            raise WrongAnswer(f"on run {len(runs) + 1}, with a fresh basket: {problem}")
        runs.append(again)

    ratio = median_interval([base.wall_s / r.wall_s for r in runs])
    in_flight = max(r.supplier.in_flight_max for r in runs)
    threads = max(r.supplier.threads_max for r in runs)
    calls = max(runs, key=lambda r: sum(r.supplier.calls.values()))
    metrics = {
        "in_flight_max": Measured(
            in_flight, base.supplier.in_flight_max, detail=_in_flight(in_flight)
        ),
        "threads_alive_max": Measured(
            threads, base.supplier.threads_max, detail=_threads(threads, in_flight)
        ),
        "remote_calls": Measured(
            sum(calls.supplier.calls.values()),
            sum(base.supplier.calls.values()),
            detail=_calls(calls.supplier.calls, runs.index(calls), len(runs)),
        ),
        "speedup": Measured(
            ratio.median,
            1.0,
            ratio.low,
            ratio.high,
            _speedup_detail(base, base_waits_s, runs, limit),
        ),
    }
    mean_s = base_waits_s / N_SKUS
    notes = [
        f"This seed: {N_SKUS} SKUs a basket, each answer takes {DELAY_S[0] * 1000:.0f}–"
        f"{DELAY_S[1] * 1000:.0f} ms (mean {mean_s * 1000:.0f} ms). Little's law, L = λW: "
        f"{LIMIT} calls in flight at {mean_s * 1000:.0f} ms each sustain "
        f"{LIMIT / mean_s:,.0f} calls/s, so {N_SKUS} calls need about "
        f"{base_waits_s / LIMIT * 1000:,.0f} ms, against {base_waits_s * 1000:,.0f} ms one by "
        "one.",
        f"Your code ran {len(runs)} times, each time on a new basket with a new client (from "
        f"the second on, {CARRIED} SKUs of the previous basket at new prices); calls and "
        "threads were counted on every run.",
    ]
    if in_flight <= 1:
        notes.append(
            "One call at a time: the code waits for each answer before it asks for the next,"
            " and the CPU is idle during every wait. Threads and asyncio can overlap waits,"
            " even under the GIL: keep at most client.max_in_flight calls in flight (the"
            " brief shows both ways)."
        )
    return Grade(correct=True, metrics=metrics, notes=notes)


def _speedup_detail(base: Run, base_waits_s: float, runs: list[Run], limit: float) -> str:
    """What was timed, and exactly which of the runs the verdict rests on."""
    times = sorted(r.wall_s for r in runs)
    low_rank, high_rank = _ranks(len(runs))
    if len(times) == 1:
        yours = f"{times[0] * 1000:,.0f} ms (1 run)"
    else:
        yours = f"{times[0] * 1000:,.0f}–{times[-1] * 1000:,.0f} ms over {len(times)} runs"
    return (
        f"starter {base.wall_s * 1000:,.0f} ms (one run; its waits add up to "
        f"{base_waits_s * 1000:,.0f} ms), yours {yours}, each on a fresh basket. It passes "
        f"when {low_rank} is at least {limit:g}× faster than the starter, and fails when "
        f"{high_rank} is not"
    )


def _ranks(n: int) -> tuple[str, str]:
    """Which of n runs the ratio interval's low and high ends are: median_interval of the
    ranks 0..n-1 gives back the rank it takes its low end from."""
    if n == 1:
        return "your only run", "it"
    k = int(median_interval([float(rank) for rank in range(n)]).low)
    slow = ("slowest", "second-slowest", "third-slowest")[k]
    fast = ("fastest", "second-fastest", "third-fastest")[k]
    return f"your {slow} run", f"even your {fast} run"


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


def _calls(calls: Counter[str], index: int, runs: int) -> str:
    repeated = [sku for sku, n in calls.items() if n > 1]
    if not repeated:
        return "one request per SKU, on every run"
    where = f" on run {index + 1} of {runs}" if runs > 1 else ""
    return (
        f"{len(repeated)} SKUs were requested more than once{where} ({repeated[0]}: "
        f"{calls[repeated[0]]} times): ask the supplier once per SKU"
    )


def workload(ctx: LabContext) -> Workload:
    """One basket of 40 quotes for `perfcoach lab profile`."""
    basket = make_basket(ctx.rng("workload"))
    supplier = Supplier(basket, ctx.candidate.threads)
    return Workload("quotes", (ctx.serve(supplier), basket.skus, LIMIT))

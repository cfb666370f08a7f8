"""Grader for rate-limiter: every decision judged against a GCRA(rate, burst) replay here.

The traffic is made here from the attempt's seed: clients that send bursts faster than
their limit, pause, come back, or vanish; times on a grid of 1/1024 s, so that every
limiter written with floats (token bucket or GCRA) computes exactly, and ties (a request
that arrives the very moment a token is back) are decided the same way by all of them.
The driver replays it through the learner's RateLimiter and sends back one byte per
request. The judging is done in this process, in integer ticks:

* violations — requests the limiter allowed that the contract forbids: the limiter's
  allowed requests, client by client, replayed through a reference GCRA; a request it
  finds early is a violation (and is not charged to the bucket).
* under_admission_pct — of the requests that conformed when they arrived (given what
  the limiter had allowed that client before), the share it refused.
* memory_growth — the limiter's memory per client (tracemalloc's peak, read by the
  subject's harness, less the harness's own floor) when every client sends 10x as many
  requests over the same span, over its memory with the base traffic: state kept per
  request shows as a ratio near 7 (the starter's), state per client as 1.
* idle_memory_growth — the limiter's memory (the same tracemalloc peak) as clients come
  and go: each calls a few times within a second, then never again, one new client every
  1/64 s, so about the same number are active at any moment; 10x as many clients over a
  10x longer replay, over the base replay. A limiter that forgets idle clients holds the
  active ones in both (a ratio near 1); one that keeps every client it has seen holds 10x
  as many. Judged from memory, not from what the limiter's objects look like, so no way
  of keying or hiding the state changes it.
* speedup — the starter's CPU time over yours for a fresh replay per timed unit (a few
  busy clients among many light ones), every unit's decisions judged here too.

Same code and seed, same counts: the traffic, the decisions and tracemalloc's figures are
all deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from perfcoach.labkit import (
    Grade,
    LabBug,
    LabContext,
    Measured,
    Subject,
    Trial,
    Workload,
    WrongAnswer,
    trust,
)

TICKS = 1024  # clock ticks per second: every time is a multiple of 1/1024 s
RATES = (4, 8, 16)  # requests per second: 1/rate is a whole number of ticks
BURSTS = (6, 16)  # the burst is drawn from this range, inclusive
IDLE_TTL_S = 8  # at least burst / rate (16 / 4 = 4 s) for every pair above
MAIN_END_S = 90  # the main replay: regulars keep calling this long
MAIN_REGULARS = 100
MAIN_DROPOUTS = 350  # clients that appear in the first half and never come back
MEMORY_CLIENTS = 150
MEMORY_REQUESTS = 6  # per client in the base traffic; 10x that in the second replay
GROWTH = 10
MEMORY_SPAN_S = 2 * IDLE_TTL_S
CHURN_CLIENTS = 1500  # the base churn replay: ~23 s, while ~512 clients are within idle_ttl
CHURN_PER_S = 64  # new clients per second
CHURN_REQUESTS = 3  # each, within its first second
TIMED_CLIENTS = 3
TIMED_REQUESTS = 800  # per client and timed unit
WORKLOAD_CLIENTS, WORKLOAD_REQUESTS = 6, 1000  # ~0.6 s on the starter under cProfile
FLOOR_CALLS = 3


@dataclass(frozen=True)
class Limits:
    """The contract: GCRA with rate requests per second and a burst of burst requests."""

    rate: int
    burst: int
    idle_ttl: int = IDLE_TTL_S

    @property
    def interval(self) -> int:
        """Ticks between requests at the sustained rate."""
        return TICKS // self.rate

    @property
    def tolerance(self) -> int:
        """How many ticks ahead of its theoretical arrival time a request may come."""
        return (self.burst - 1) * self.interval

    def wire(self) -> tuple[float, int, float]:
        """The constructor's arguments: RateLimiter(rate, burst, idle_ttl)."""
        return (float(self.rate), self.burst, float(self.idle_ttl))


def make_limits(rng: random.Random) -> Limits:
    """A rate and a burst for this attempt."""
    return Limits(rng.choice(RATES), rng.randint(*BURSTS))


@dataclass(frozen=True)
class Traffic:
    """Requests in time order: each one's tick and client number, and the clients' names."""

    names: list[str]
    ticks: list[int]
    who: list[int]

    def wire(self) -> tuple[list[str], list[int], list[int]]:
        """As the driver receives it."""
        return self.names, self.ticks, self.who


def client_ticks(
    rng: random.Random,
    limits: Limits,
    start: int,
    *,
    pause: tuple[int, int],
    count: int = 0,
    until: int = 0,
) -> list[int]:
    """One client's request times: bursts at 4x to 0.7x its rate, each followed by a pause.

    Gaps inside a burst are exponential, rounded down to whole ticks, so some requests
    arrive in the same tick and some land exactly on the tick a token comes back. The
    list stops after count requests, or at tick until.
    """
    interval = limits.interval
    out: list[int] = []
    tick = start
    while (count and len(out) < count) or (until and tick < until):
        mean = interval * rng.choice((0.25, 0.5, 0.9, 1.5))
        for _ in range(rng.randint(1, 3 * limits.burst)):
            out.append(tick)
            tick += int(rng.expovariate(1 / mean))
            if (count and len(out) >= count) or (until and tick >= until):
                break
        tick += rng.randint(*pause)
    return out


def merge(names: list[str], per_client: list[list[int]]) -> Traffic:
    """Every client's requests in one stream, by time (ties: the lower client number)."""
    pairs = sorted((tick, client) for client, ticks in enumerate(per_client) for tick in ticks)
    return Traffic(names, [tick for tick, _ in pairs], [client for _, client in pairs])


def client_names(rng: random.Random, count: int) -> list[str]:
    """API keys nobody can guess: fresh for every replay."""
    return [f"key-{rng.getrandbits(48):012x}" for _ in range(count)]


def main_traffic(rng: random.Random, limits: Limits) -> Traffic:
    """Regulars who call all along (pausing up to 2.5 x idle_ttl, so a limiter that evicts
    them must forget them correctly) and dropouts who call in the first half, then never."""
    ttl, end = limits.idle_ttl * TICKS, MAIN_END_S * TICKS
    names = client_names(rng, MAIN_REGULARS + MAIN_DROPOUTS)
    per_client = [
        client_ticks(rng, limits, rng.randrange(ttl), until=end, pause=(ttl // 8, ttl * 5 // 2))
        for _ in range(MAIN_REGULARS)
    ]
    per_client += [
        client_ticks(
            rng,
            limits,
            rng.randrange(end // 2),
            count=rng.randint(1, 3 * limits.burst),
            pause=(limits.interval, ttl // 2),
        )
        for _ in range(MAIN_DROPOUTS)
    ]
    order = list(range(len(names)))
    rng.shuffle(order)  # regulars and dropouts mixed in the numbering
    return merge([names[i] for i in order], [per_client[i] for i in order])


def steady_traffic(rng: random.Random, limits: Limits, clients: int, requests: int) -> Traffic:
    """Clients that all stay active (pauses well under idle_ttl), requests each."""
    ttl = limits.idle_ttl * TICKS
    names = client_names(rng, clients)
    per_client = [
        client_ticks(
            rng,
            limits,
            rng.randrange(limits.interval * 4),
            count=requests,
            pause=(limits.interval, ttl // 3),
        )
        for _ in range(clients)
    ]
    return merge(names, per_client)


@dataclass
class Judged:
    """What a replay's decisions mean, counted here against the reference GCRA."""

    requests: int = 0
    allowed: int = 0
    violations: int = 0
    conforming: int = 0  # requests that conformed on arrival (allowed or not)
    refused_conforming: int = 0
    first_violation: str = ""
    first_refusal: str = ""

    def add(self, other: Judged) -> None:
        """Count another replay's decisions too."""
        for name in ("requests", "allowed", "violations", "conforming", "refused_conforming"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.first_violation = self.first_violation or other.first_violation
        self.first_refusal = self.first_refusal or other.first_refusal

    @property
    def under_pct(self) -> float:
        """Refused conforming requests, % of the conforming ones."""
        if not self.conforming:
            return 0.0
        return round(100 * self.refused_conforming / self.conforming, 3)


def shape_problem(traffic: Traffic, got: object) -> str | None:
    """What is wrong with the decisions' form, or None."""
    if not isinstance(got, bytes) or len(got) != len(traffic.ticks):
        return f"expected {len(traffic.ticks):,} decisions, got {type(got).__name__}"
    return None


def judge(limits: Limits, traffic: Traffic, decisions: bytes) -> Judged:
    """Replay the allowed requests of each client through GCRA(rate, burst), in ticks."""
    interval, tolerance = limits.interval, limits.tolerance
    tat: dict[int, int] = {}
    allowed_at: dict[int, list[int]] = {}
    out = Judged(requests=len(decisions))
    for index, (tick, client) in enumerate(zip(traffic.ticks, traffic.who, strict=True)):
        due = tat.get(client, tick)
        if due < tick:
            due = tick
        conforms = due - tick <= tolerance
        if decisions[index]:
            out.allowed += 1
            if conforms:
                out.conforming += 1
                tat[client] = due + interval
                allowed_at.setdefault(client, []).append(tick)
            else:
                out.violations += 1
                if not out.first_violation:
                    out.first_violation = _violation(
                        limits, traffic, client, tick, due, allowed_at.get(client, [])
                    )
        elif conforms:
            out.conforming += 1
            out.refused_conforming += 1
            if not out.first_refusal:
                tokens = (tolerance + interval - (due - tick)) / interval
                out.first_refusal = (
                    f"client {traffic.names[client]} at t = {_s(tick)} was refused with "
                    f"{tokens:.2f} tokens in its bucket (what you had allowed it before "
                    "leaves room for this one)"
                )
    return out


def _s(tick: int) -> str:
    return f"{tick / TICKS:.4f} s"


def _violation(
    limits: Limits, traffic: Traffic, client: int, tick: int, due: int, before: list[int]
) -> str:
    """The tightest window that the allowed request overfills, in the learner's terms."""
    text = (
        f"client {traffic.names[client]} was allowed a request at t = {_s(tick)} that "
        f"conforms only from t = {_s(due - limits.tolerance)}"
    )
    worst = None
    count = 1
    for then in reversed(before):
        count += 1
        window = (tick - then) / TICKS
        if count > limits.burst + limits.rate * window:
            worst = (count, then, window)
    if worst is not None:
        count, then, window = worst
        text += (
            f": {count} requests allowed from t = {_s(then)} to {_s(tick)}, a window of "
            f"{window:.4f} s, where burst + rate × window = "
            f"{limits.burst + limits.rate * window:.2f}"
        )
    return text


def harness_floor(side: Subject) -> int:
    """Bytes the harness allocates for a call that runs no lab code."""
    return min(side.call("nothing", memory=True).peak or 0 for _ in range(FLOOR_CALLS))


@dataclass
class Footprint:
    """The limiter's memory through one steady replay, and what its decisions mean."""

    peak: int  # bytes above the harness's floor
    judged: Judged
    untrusted: str = ""
    clients: int = MEMORY_CLIENTS
    requests: int = 0

    @property
    def per_client(self) -> float:
        """Bytes per client at the peak."""
        return self.peak / self.clients


def footprints(
    side: Subject, limits: Limits, traffics: Sequence[Traffic], floor: int
) -> list[Footprint]:
    """Each traffic through a fresh limiter in a call whose memory is measured; the
    decisions go into a buffer made beforehand, so only the limiter grows. The first
    traffic runs once untraced before anything is measured: what a first call allocates
    once (the interpreter's caches for new code) is not the limiter's state."""
    out = []
    first = traffics[0]
    warm = side.call("buffer", len(first.ticks), first.names).ref
    if warm is None:
        raise LabBug("the driver's buffer() kept nothing")
    side.call("absorb", warm, *limits.wire(), first.ticks, first.who)
    side.drop(warm)
    for traffic in traffics:
        buffer = side.call("buffer", len(traffic.ticks), traffic.names).ref
        if buffer is None:
            raise LabBug("the driver's buffer() kept nothing")
        reply = side.call("absorb", buffer, *limits.wire(), traffic.ticks, traffic.who, memory=True)
        if reply.peak is None:
            raise LabBug("a call with memory=True came back without a tracemalloc peak")
        decisions = side.run("take", buffer)
        side.drop(buffer)
        problem = shape_problem(traffic, decisions)
        if problem:
            raise WrongAnswer(problem)
        out.append(
            Footprint(
                max(0, reply.peak - floor),
                judge(limits, traffic, decisions),
                trust(reply),
                clients=len(traffic.names),
                requests=len(traffic.ticks),
            )
        )
    return out


@dataclass
class Side:
    """One subject's figures: the main replay, the two footprints of each memory test."""

    judged: Judged
    footprints: list[Footprint] = field(default_factory=list)  # 1x and 10x requests
    churn: list[Footprint] = field(default_factory=list)  # 1x and 10x clients over time

    @property
    def growth(self) -> float:
        """Memory per client at 10x the traffic over memory per client at 1x."""
        return _ratio(self.footprints)

    @property
    def idle_growth(self) -> float:
        """Memory with 10x the clients coming and going over memory with 1x."""
        return _ratio(self.churn)

    def judged_all(self) -> Judged:
        """Every decision of every replay, judged. The churn replays count for violations
        only: their clients call three times each, nearly always conforming, and would
        dilute the share of conforming requests refused."""
        total = Judged()
        total.add(self.judged)
        for footprint in self.footprints:
            total.add(footprint.judged)
        for footprint in self.churn:
            total.violations += footprint.judged.violations
            total.first_violation = total.first_violation or footprint.judged.first_violation
        return total


def _ratio(pair: Sequence[Footprint]) -> float:
    # One decimal: the harness's own allocations move a peak by a few dozen bytes from
    # run to run (0.3 % of the reference's), which must not change the figure.
    low, high = pair
    return round(high.peak / max(low.peak, 1), 1)


def side_figures(
    side: Subject,
    limits: Limits,
    traffic: Traffic,
    memory: Sequence[Traffic],
    churn: Sequence[Traffic],
    floor: int,
) -> Side:
    """One subject through the main replay, then the memory replays."""
    figures = main_replay(side, limits, traffic)
    figures.footprints = footprints(side, limits, memory, floor)
    figures.churn = footprints(side, limits, churn, floor)
    return figures


def main_replay(side: Subject, limits: Limits, traffic: Traffic) -> Side:
    """The main traffic through a fresh limiter: the decisions judged."""
    decisions = side.run("decide", *limits.wire(), *traffic.wire())
    problem = shape_problem(traffic, decisions)
    if problem:
        raise WrongAnswer(problem)
    return Side(judge(limits, traffic, decisions))


def spread_traffic(rng: random.Random, clients: int, requests: int) -> Traffic:
    """Clients that each spread their requests evenly (with jitter) over the same span,
    then all call once more at its last tick.

    Both memory replays last MEMORY_SPAN_S, twice idle_ttl, and no client is silent for
    more than half of idle_ttl, so a limiter that sweeps once per idle_ttl sweeps with
    every client present in both; the last tick has every client present at once even
    for a limiter that forgets a client as soon as its bucket is full. Only the number
    of requests per client differs.
    """
    span = MEMORY_SPAN_S * TICKS
    step = span // requests
    names = client_names(rng, clients)
    per_client = [
        [j * step + rng.randrange(step // 2) for j in range(requests)] + [span]
        for _ in range(clients)
    ]
    return merge(names, per_client)


def memory_traffic(ctx: LabContext) -> list[Traffic]:
    """The same clients and span, with 1x and 10x the requests each."""
    return [
        spread_traffic(ctx.rng(f"memory-{size}"), MEMORY_CLIENTS, requests)
        for size, requests in (("1x", MEMORY_REQUESTS), ("10x", MEMORY_REQUESTS * GROWTH))
    ]


def churn_traffic(rng: random.Random, clients: int) -> Traffic:
    """Clients that arrive one after another (CHURN_PER_S a second), each calling
    CHURN_REQUESTS times within its first second and never again."""
    gap = TICKS // CHURN_PER_S
    names = client_names(rng, clients)
    per_client = [
        sorted(n * gap + rng.randrange(TICKS) for _ in range(CHURN_REQUESTS))
        for n in range(clients)
    ]
    return merge(names, per_client)


def churn_traffics(ctx: LabContext) -> list[Traffic]:
    """The same arrival rate, 1x and 10x the clients (so 10x as long)."""
    return [
        churn_traffic(ctx.rng(f"churn-{size}"), clients)
        for size, clients in (("1x", CHURN_CLIENTS), ("10x", CHURN_CLIENTS * GROWTH))
    ]


def timed_traffic(rng: random.Random, limits: Limits) -> Traffic:
    """A few busy clients with long histories, as a busy API key makes them, among light
    ones that call about once every 0.9 x idle_ttl all along, so that every one of them
    is held all the time: three light requests for every four busy ones."""
    busy = steady_traffic(rng, limits, TIMED_CLIENTS, TIMED_REQUESTS)
    span = busy.ticks[-1] + 1
    every = limits.idle_ttl * TICKS * 9 // 10
    each = max(1, span // every)
    light = max(1, len(busy.ticks) * 3 // 4 // each)
    names = busy.names + client_names(rng, light)
    per_client: list[list[int]] = [[] for _ in busy.names]
    for tick, client in zip(busy.ticks, busy.who, strict=True):
        per_client[client].append(tick)
    per_client += [[j * every + rng.randrange(every) for j in range(each)] for _ in range(light)]
    return merge(names, per_client)


def timed_trial(ctx: LabContext, limits: Limits, strict: bool) -> Trial:
    """Timed units of fresh traffic, a new limiter each. Every unit's decisions are judged
    here."""

    def make(i: int) -> Traffic:
        return timed_traffic(ctx.rng(f"timed-{i}"), limits)

    def run(side: Subject, units: list[Traffic]) -> list[Any]:
        return [side.run("decide", *limits.wire(), *traffic.wire()) for traffic in units]

    def check(traffic: Traffic, got: Any) -> str | None:
        problem = shape_problem(traffic, got)
        if problem or not strict:
            return problem
        judged = judge(limits, traffic, got)
        if judged.violations:
            return f"{judged.violations} violation(s); the first: {judged.first_violation}"
        if judged.under_pct > 1:
            return f"{judged.under_pct:.2f} % of the conforming requests refused"
        return None

    return Trial(make=make, run=run, check=check)


def grade(ctx: LabContext) -> Grade:
    """The main replay (contract, idle clients), the memory replays, then the speedup."""
    limits = make_limits(ctx.rng("limits"))
    traffic = main_traffic(ctx.rng("main"), limits)
    memory = memory_traffic(ctx)
    churn = churn_traffics(ctx)
    floor = harness_floor(ctx.baseline)  # the starter's subject: out of the learner's reach
    # The starter replays while the candidate does: nothing here is timed, and each
    # tracemalloc peak is its own process's.
    with ThreadPoolExecutor(1) as pool:
        starter = pool.submit(side_figures, ctx.baseline, limits, traffic, memory, churn, floor)
        mine = side_figures(ctx.candidate, limits, traffic, memory, churn, floor)
        base = starter.result()
    judged = mine.judged_all()
    base_judged = base.judged
    contract_met = judged.violations == 0 and judged.under_pct <= 1
    counted = {
        "violations": Measured(
            judged.violations, base_judged.violations, detail=violations_detail(judged)
        ),
        "under_admission_pct": Measured(
            judged.under_pct, base_judged.under_pct, detail=under_detail(judged)
        ),
        "memory_growth": Measured(
            mine.growth,
            base.growth,
            detail=growth_detail(
                mine, base, ctx.goals["memory_growth"].met(mine.growth, base.growth) is True
            ),
            untrusted=growth_untrusted(mine),
        ),
        "idle_memory_growth": Measured(
            mine.idle_growth,
            base.idle_growth,
            detail=idle_detail(mine, base, limits),
            untrusted=next((f.untrusted for f in mine.churn if f.untrusted), ""),
        ),
    }
    for name, measured in counted.items():
        ctx.counted(name, measured)
    speedup = ctx.speedup("speedup", timed_trial(ctx, limits, contract_met), clock="cpu")
    metrics = {**counted, "speedup": speedup}
    notes = [
        f"This seed: rate {limits.rate}/s, burst {limits.burst}, idle_ttl {limits.idle_ttl} s; "
        f"the main replay has {len(traffic.ticks):,} requests from {len(traffic.names):,} "
        f"clients over {traffic.ticks[-1] / TICKS:.0f} simulated seconds, "
        f"{judged.allowed:,} of {judged.requests:,} judged requests allowed in all.",
        *_advice(ctx, metrics),
    ]
    return Grade(correct=True, metrics=metrics, notes=notes)


def violations_detail(judged: Judged) -> str:
    """The first request allowed against the contract, and why that usually happens."""
    if not judged.violations:
        return f"all {judged.allowed:,} allowed requests conform to GCRA(rate, burst)"
    return (
        f"{judged.violations:,} of {judged.allowed:,} allowed requests break the contract; "
        f"the first: {judged.first_violation}. A fixed window resets its count at the window's "
        "edge, so a client can spend a full burst just before it and another just after; a "
        "bucket that starts full for a client it forgot too early gives a second burst. "
        "Also check the arithmetic against the brief's: a capacity of burst (not burst + 1), "
        "GCRA's TAT raised to now before adding 1/rate, the refill added before the cap, and "
        "times not rounded (every `now` is exact)"
    )


def under_detail(judged: Judged) -> str:
    """The first conforming request refused, and why that usually happens."""
    if not judged.refused_conforming:
        return f"every one of the {judged.conforming:,} conforming requests was allowed"
    return (
        f"{judged.refused_conforming:,} of {judged.conforming:,} conforming requests refused; "
        f"the first: {judged.first_refusal}. A bucket refills continuously, one token every "
        "1/rate s: a fixed window makes a client wait for the next window, and a "
        "sliding-window log for its oldest entry to leave the window. Also check that the "
        "capacity is burst (not burst - 1), that a refused request still keeps the refill it "
        "earned, and that fractions of a token are kept, not rounded away"
    )


def growth_detail(mine: Side, base: Side, met: bool) -> str:
    """Bytes per client at both traffic levels."""
    low, high = mine.footprints
    text = (
        f"{low.per_client:,.0f} bytes per client with {MEMORY_REQUESTS} requests each, "
        f"{high.per_client:,.0f} with {MEMORY_REQUESTS * GROWTH} (starter: "
        f"{base.footprints[0].per_client:,.0f} and {base.footprints[1].per_client:,.0f})"
    )
    if met:
        return text + "; the state per client does not grow with the traffic"
    return (
        text + ": something is kept per request. A token bucket needs two numbers per "
        "client (tokens and when they were counted), GCRA one (the theoretical arrival time)"
    )


def growth_untrusted(mine: Side) -> str:
    """Why the footprints cannot be believed ('' if they can)."""
    flags = [f.untrusted for f in mine.footprints if f.untrusted]
    if flags:
        return flags[0]
    low = mine.footprints[0]
    if low.per_client > 4096:
        return (
            f"your limiter held {low.per_client:,.0f} bytes per client for "
            f"{MEMORY_REQUESTS} requests each, more than the starter needs for ten times as "
            "many: memory was allocated to make the base figure look large"
        )
    if low.per_client < 16:
        return (
            f"your limiter held {low.per_client:.1f} bytes per client with {MEMORY_CLIENTS} "
            "clients: less than a dict entry costs, so the state was kept where tracemalloc "
            "does not look (memory set aside at import, outside Python's allocator)"
        )
    return ""


def idle_detail(mine: Side, base: Side, limits: Limits) -> str:
    """Memory as clients come and go, at both sizes, and what a ratio far above 1 means."""
    low, high = mine.churn
    text = (
        f"{low.peak / 1024:,.0f} KiB at the peak with {low.clients:,} clients coming and "
        f"going, {high.peak / 1024:,.0f} KiB with {high.clients:,} over a 10x longer replay "
        f"(starter: {base.churn[0].peak / 1024:,.0f} and {base.churn[1].peak / 1024:,.0f}); "
        f"each client calls {CHURN_REQUESTS} times within a second and never again, "
        f"{CHURN_PER_S} new ones a second, so about {CHURN_PER_S * limits.idle_ttl:,} are "
        f"within idle_ttl ({limits.idle_ttl} s) at any moment"
    )
    if round(high.peak / max(low.peak, 1), 1) <= 3:
        return text + "; the limiter holds the active clients, not every client it has seen"
    return (
        text + ": the limiter keeps clients it will never hear from again. A client silent "
        "for idle_ttl has a full bucket again: its state says nothing a new client's would "
        "not. Drop it: keep clients ordered by their last request (OrderedDict, "
        "move_to_end) and evict from the front on each call, or sweep at least once per "
        "idle_ttl of clock time"
    )


def _advice(ctx: LabContext, metrics: dict[str, Measured]) -> list[str]:
    """What to try next for each target still missed."""
    speed = (
        "Speed: each allow() still walks the client's history. A token bucket or GCRA "
        "decides from one or two numbers per client, in O(1)."
        if ctx.missed("memory_growth", metrics["memory_growth"])
        else "Speed: the state per client is small, but each allow() still does work that "
        "grows with something: a scan of every client it holds, a loop per clock tick, exact "
        "Fractions. `perfcoach lab profile rate-limiter --with cprofile` shows which; an "
        "allow() in O(1) touches only its own client (and the front of an ordered dict)."
    )
    advice = {"speedup": speed}
    return [
        text
        for name, text in advice.items()
        if ctx.missed(name, metrics[name]) and not metrics[name].untrusted
    ]


def workload(ctx: LabContext) -> Workload:
    """A longer steady replay for `perfcoach lab profile`."""
    limits = make_limits(ctx.rng("limits"))
    traffic = steady_traffic(ctx.rng("workload"), limits, WORKLOAD_CLIENTS, WORKLOAD_REQUESTS)
    return Workload("decide", (*limits.wire(), *traffic.wire()))

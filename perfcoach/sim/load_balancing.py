"""Load-balancing simulation: a cluster of FIFO servers behind a balancer, in simulated time.

The engine (SimPy, see docs/sim.md) owns everything a balancer cannot see: each server's
speed, which changes in a gray-failure window (up, passing its health checks, but much
slower), and a crash window (down: requests sent there, or queued there when it crashes,
fail within a millisecond, connection refused or reset, and count as FAILED_MS). The
balancer is a callable that gets one `Batch` at a time, what a real balancer observes,
and returns one server per arrival of the batch:

* the responses that came back since the last batch (server, latency, ok),
* each server's health as of the last health check (checks run every HEALTH_PERIOD_MS),
* the arrival times of the requests to place, all within one tick of simulated time.

Each server serves its queue in order, one request at a time; a request's service time
is its demand over the server's speed when its service starts. Between batches the
engine runs the cluster to the next tick. Asking for a tick's decisions at once is what
lets the balancer run in another process (a sandboxed subject, one round trip per tick
rather than per request); the price is that the balancer hears of a response at the
tick after it came back, as a balancer that takes in its servers' answers (and their
latencies) once per tick would. A latency is old news anyway (of the queue its request
met); at 40 ms a tick (four mean service times, about 26 requests) that lag makes a
deterministic choice of the best-scoring server by latency herd on every seed, where at
20 ms it herded on some seeds only (docs/sim.md). Same scenario and same decisions give
the same numbers, to the last digit: nothing here reads a clock or sleeps.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

import simpy

SERVERS = 8
MEAN_DEMAND_MS = 10.0  # mean service time of a request on a server of speed 1
SLOW_SERVERS = 2
SLOW_SPEEDS = (0.88, 0.92)  # the two slower servers' speeds are drawn in this range
NORMAL_SPEEDS = (0.95, 1.05)
RR_UTILISATION = 0.92  # round robin's load on the slowest server, outside the windows
GRAY_FACTOR = 0.25  # a gray server runs at this fraction of its speed
GRAY_MS = 1_000.0
CRASH_MS = 600.0
HEALTH_PERIOD_MS = 200.0  # an active health check of every server, this often
REFUSED_MS = 1.0  # a down server's host refuses a connection (or resets it) this fast
FAILED_MS = 1_000.0  # what a failed request counts as in the percentiles: the client's
# time out, since an error is no faster for the user than the slowest answer it allows
TICK_MS = 40.0  # the balancer hears of responses, and places requests, a tick at a time
REQUESTS = 10_000


@dataclass(frozen=True)
class Window:
    """A stretch of simulated time [start, end) in which one server misbehaves."""

    server: int
    start: float
    end: float

    def covers(self, at: float) -> bool:
        """Whether the window is open at time at."""
        return self.start <= at < self.end


@dataclass(frozen=True)
class Scenario:
    """One seeded cluster and its traffic: what the engine knows and the balancer never sees.

    Speeds change once, at shift: two other servers become the slow ones (a noisy
    neighbour moves), so weights learned early, or written down, go stale."""

    speeds: tuple[float, ...]  # before shift
    later: tuple[float, ...]  # from shift on
    shift: float
    gray: Window
    crash: Window
    health_phase: float  # the first health check's time; then every HEALTH_PERIOD_MS
    arrivals: tuple[float, ...]  # ms, increasing
    demands: tuple[float, ...]  # ms of work at speed 1

    @property
    def rate(self) -> float:
        """Arrivals per ms."""
        return len(self.arrivals) / self.arrivals[-1]

    def speed(self, server: int, at: float) -> float:
        """The server's speed at time at (work ms per ms)."""
        base = (self.speeds if at < self.shift else self.later)[server]
        return base * GRAY_FACTOR if self.gray.server == server and self.gray.covers(at) else base

    def healthy(self, at: float) -> tuple[bool, ...]:
        """Each server's health as the last check at or before at found it."""
        servers = range(len(self.speeds))
        if at < self.health_phase:
            return (True,) * len(servers)
        checks = (at - self.health_phase) // HEALTH_PERIOD_MS
        checked = self.health_phase + checks * HEALTH_PERIOD_MS
        return tuple(not (s == self.crash.server and self.crash.covers(checked)) for s in servers)

    def round_robin_utilisation(self) -> list[float]:
        """Each server's highest utilisation when it gets 1/N of the traffic, outside the
        windows: under 1 for all, or round robin's figures would grow with the run."""
        share = self.rate / len(self.speeds)
        return [
            share * MEAN_DEMAND_MS / min(before, after)
            for before, after in zip(self.speeds, self.later, strict=True)
        ]


def _speeds(rng: random.Random, slow: set[int]) -> tuple[float, ...]:
    return tuple(
        round(rng.uniform(*(SLOW_SPEEDS if s in slow else NORMAL_SPEEDS)), 3)
        for s in range(SERVERS)
    )


def scenario(rng: random.Random, requests: int = REQUESTS) -> Scenario:
    """A cluster drawn from rng: two slower servers (two others after the shift), a gray
    server, a crashed one, and Poisson traffic that keeps round robin stable."""
    servers = list(range(SERVERS))
    rng.shuffle(servers)
    speeds = _speeds(rng, set(servers[:SLOW_SERVERS]))
    later = _speeds(rng, set(servers[SLOW_SERVERS : 2 * SLOW_SERVERS]))
    rate = RR_UTILISATION * SERVERS * min(speeds + later) / MEAN_DEMAND_MS
    arrivals, now = [], 0.0
    for _ in range(requests):
        now += rng.expovariate(rate)
        arrivals.append(round(now, 6))
    demands = tuple(round(rng.expovariate(1 / MEAN_DEMAND_MS), 6) for _ in range(requests))
    span = arrivals[-1]
    gray_at = round(rng.uniform(0.15, 0.3) * span, 3)
    crash_at = round(rng.uniform(0.65, 0.8) * span, 3)
    return Scenario(
        speeds=speeds,
        later=later,
        shift=round(rng.uniform(0.4, 0.5) * span, 3),
        gray=Window(servers[2 * SLOW_SERVERS], gray_at, gray_at + GRAY_MS),
        crash=Window(servers[2 * SLOW_SERVERS + 1], crash_at, crash_at + CRASH_MS),
        health_phase=round(rng.uniform(0, HEALTH_PERIOD_MS), 3),
        arrivals=tuple(arrivals),
        demands=demands,
    )


@dataclass(frozen=True)
class Batch:
    """What the balancer sees of one tick: (server, latency ms, ok) of the responses since
    the last batch, each server's health, and the arrival times of the requests to place."""

    now: float
    responses: list[tuple[int, float, bool]]
    healthy: tuple[bool, ...]
    arrivals: list[float]

    def wire(self) -> tuple[Any, ...]:
        """Plain data for a driver call."""
        return (self.now, self.responses, self.healthy, self.arrivals)


Balancer = Callable[[Batch], Sequence[Any]]


class BadDecision(ValueError):
    """The balancer answered something that is not a server of the cluster."""

    def __init__(self, at: float, answer: object, servers: int, count: int | None = None) -> None:
        self.at, self.answer, self.servers, self.count = at, answer, servers, count
        super().__init__(f"bad decision {answer!r} at {at} ms")


@dataclass
class Outcome:
    """Every request's fate and the figures a lab grades."""

    latencies: list[float]
    ok: list[bool]
    servers: list[int]
    max_queue: int = 0
    max_queue_at: tuple[int, float] = (0, 0.0)  # server, time
    sent_to_down: int = 0  # placed while the balancer's view said down, and the server was
    sent_before_check: int = 0  # placed on a crashed server before a check could say so
    gray_cleared: float = math.inf  # when the gray server first held nothing after its window
    batches: int = 0
    per_server: list[int] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        """The q-quantile of every request's latency (nearest rank)."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    @property
    def failed(self) -> int:
        """Requests that failed on a down server."""
        return self.ok.count(False)


def simulate(sc: Scenario, balancer: Balancer) -> Outcome:
    """Run the cluster under balancer, one tick of decisions at a time."""
    env = simpy.Environment()
    n = len(sc.speeds)
    queues = [simpy.Resource(env, capacity=1) for _ in range(n)]
    waiting = [0] * n
    crashed = env.event()
    size = len(sc.arrivals)
    out = Outcome([0.0] * size, [True] * size, [-1] * size, per_server=[0] * n)
    responses: list[tuple[int, float, bool]] = []

    def crash() -> Generator[Any, Any, None]:
        yield env.timeout(sc.crash.start)
        crashed.succeed()

    def lost(i: int, server: int) -> Generator[Any, Any, None]:
        yield env.timeout(REFUSED_MS)
        out.latencies[i], out.ok[i] = FAILED_MS, False
        responses.append((server, round(env.now - sc.arrivals[i], 6), False))

    def request(i: int, server: int) -> Generator[Any, Any, None]:
        at = sc.arrivals[i]
        yield env.timeout(at - env.now)
        if server == sc.crash.server and sc.crash.covers(at):
            yield from lost(i, server)
            return
        waiting[server] += 1
        if waiting[server] > out.max_queue:
            out.max_queue, out.max_queue_at = waiting[server], (server, at)
        exposed = server == sc.crash.server and at < sc.crash.start
        with queues[server].request() as slot:
            got = yield (slot | crashed) if exposed else slot
            if exposed and slot not in got:
                waiting[server] -= 1
                yield from lost(i, server)
                return
            work = env.timeout(sc.demands[i] / sc.speed(server, env.now))
            got = yield (work | crashed) if exposed else work
            waiting[server] -= 1
            if server == sc.gray.server and not waiting[server] and env.now >= sc.gray.end:
                out.gray_cleared = min(out.gray_cleared, env.now)
            if exposed and work not in got:
                yield from lost(i, server)
                return
        latency = env.now - at
        out.latencies[i] = latency
        responses.append((server, round(latency, 6), True))

    env.process(crash())
    first = 0
    while first < size:
        tick = sc.arrivals[first] // TICK_MS
        last = first
        while last < size and sc.arrivals[last] // TICK_MS == tick:
            last += 1
        now = tick * TICK_MS
        if now > env.now:
            env.run(until=now)
        healthy = sc.healthy(now)
        batch = Batch(now, responses[:], healthy, list(sc.arrivals[first:last]))
        responses.clear()
        decisions = list(balancer(batch))
        out.batches += 1
        if len(decisions) != last - first:
            raise BadDecision(now, decisions, n, count=last - first)
        for i, server in zip(range(first, last), decisions, strict=True):
            if type(server) is not int or not 0 <= server < n:
                raise BadDecision(sc.arrivals[i], server, n)
            out.servers[i] = server
            out.per_server[server] += 1
            if server == sc.crash.server and sc.crash.covers(sc.arrivals[i]):
                if healthy[server]:
                    out.sent_before_check += 1
                else:
                    out.sent_to_down += 1
            env.process(request(i, server))
        first = last
    env.run()
    return out

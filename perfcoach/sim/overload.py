"""Overload simulation: one server, its queue and its workers, pushed to twice its capacity.

The engine (SimPy, see docs/sim.md) owns what a server cannot know in advance: when each
request will arrive (Poisson traffic that ramps up, runs at a normal load, jumps to twice
the server's capacity for a spike, and falls back) and how long each one takes to serve
(a demand drawn per request). Clients give up after TIMEOUT_MS, but a request they left
stays in the queue and is served all the same unless the server's policy drops it.

The policy is a callable that gets one `Batch` of events at a time, the arrivals and
completions a server observes, and answers one `Reply` per event it handled: for an
arrival, whether it was admitted; then, whenever a worker is free and requests wait, the
requests it dropped and the one it started serving. A serve starts work whose end only
the engine knows, so the policy stops at the first serve of a batch, and the engine sends
the events after it again once it has started that work. One batch per request served is
what lets the policy run in another process (a sandboxed subject). Same scenario and same
decisions give the same numbers, to the last digit: nothing here reads a clock or sleeps.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import simpy

WORKERS = 4
MEAN_SERVICE_MS = 40.0  # a request's mean demand on one worker
SERVICE_SHAPE = 4.0  # gamma shape of the demands: a coefficient of variation of 0.5
CAPACITY_PER_S = WORKERS * 1000.0 / MEAN_SERVICE_MS  # 100 requests a second
TIMEOUT_MS = 1000.0  # clients give up after this long; their requests stay queued
SPIKE_LOAD = 2.0  # the spike offers twice the capacity
NORMAL_LOAD = (0.6, 0.75)  # the normal load, a share of capacity, drawn per scenario
RAMP_FROM = 0.3  # the ramp starts at this share of capacity
HORIZON_MS = 100.0  # with every worker idle, a batch holds the arrivals this far ahead
RECOVERY_WINDOW_MS = 2000.0  # recovery is judged on windows of arrivals this long
RECOVERY_STEP_MS = 250.0
RECOVERED_SHARE = 0.9  # a window is back to normal when this share got a timely answer


@dataclass(frozen=True)
class Scenario:
    """One seeded run: when requests arrive and what each costs (the policy sees neither
    in advance), and the phases of the traffic."""

    arrivals: tuple[float, ...]  # ms, increasing
    demands: tuple[float, ...]  # ms of one worker's time
    normal: float  # the normal load, a share of capacity
    ramp_end: float  # ms: the ramp reaches the normal load
    spike_start: float
    spike_end: float
    end: float  # the last arrival is before this

    @property
    def spike_s(self) -> float:
        """How long the spike lasts, in seconds."""
        return (self.spike_end - self.spike_start) / 1000.0

    def rate(self, at: float) -> float:
        """The offered rate at time at, requests per ms."""
        per_ms = CAPACITY_PER_S / 1000.0
        if at < self.ramp_end:
            share = RAMP_FROM + (self.normal - RAMP_FROM) * at / self.ramp_end
        elif self.spike_start <= at < self.spike_end:
            share = SPIKE_LOAD
        else:
            share = self.normal
        return share * per_ms


def scenario(rng: random.Random) -> Scenario:
    """Traffic drawn from rng: a ramp to a normal load, a spike at twice the capacity, and
    the normal load again, as a Poisson process (by thinning); a demand per request."""
    normal = round(rng.uniform(*NORMAL_LOAD), 3)
    ramp_end = round(rng.uniform(2_000, 3_000), 3)
    spike_start = round(ramp_end + rng.uniform(1_000, 5_000), 3)
    spike_end = round(spike_start + rng.uniform(6_000, 8_000), 3)
    end = round(spike_end + rng.uniform(8_000, 9_000), 3)
    sc = Scenario((), (), normal, ramp_end, spike_start, spike_end, end)
    peak = SPIKE_LOAD * CAPACITY_PER_S / 1000.0
    arrivals: list[float] = []
    now = 0.0
    while True:
        now += rng.expovariate(peak)
        if now >= end:
            break
        if rng.random() * peak < sc.rate(now):
            arrivals.append(round(now, 6))
    scale = MEAN_SERVICE_MS / SERVICE_SHAPE
    demands = tuple(round(rng.gammavariate(SERVICE_SHAPE, scale), 6) for _ in arrivals)
    return Scenario(tuple(arrivals), demands, normal, ramp_end, spike_start, spike_end, end)


ARRIVE = "arrive"
DONE = "done"

Event = tuple[Any, ...]  # ("arrive", at) or ("done", at, request, service_ms)


@dataclass(frozen=True)
class Reply:
    """What the policy did on one event: admitted (arrivals only; None for a completion),
    the requests dropped from the queue, and the request it started serving, if any."""

    admitted: bool | None
    dropped: tuple[int, ...] = ()
    served: int | None = None


@dataclass(frozen=True)
class Batch:
    """Events in time order, as a server observes them. Requests are numbered in arrival
    order from 0; a completion says which request finished and how long it took."""

    events: list[Event]

    def wire(self) -> list[Event]:
        """Plain data for a driver call."""
        return self.events


Policy = Callable[[Batch], Sequence[Any]]


class BadDecision(ValueError):
    """The policy answered something the server cannot do."""

    def __init__(self, at: float, why: str, answer: object = None) -> None:
        self.at, self.why, self.answer = at, why, answer
        super().__init__(f"bad decision at {at} ms: {why}")


ADMITTED, REJECTED, DROPPED, SERVED = "admitted", "rejected", "dropped", "served"


@dataclass
class Outcome:
    """Every request's fate and the figures a lab grades."""

    fate: list[str]
    started: list[float]
    finished: list[float]
    batches: int = 0
    max_queue: int = 0
    longest_wait: float = 0.0  # the longest a served request waited before its service

    def latency(self, sc: Scenario, i: int) -> float:
        """From arrival to answer, for a served request."""
        return self.finished[i] - sc.arrivals[i]

    def served(self) -> list[int]:
        """The requests that were served, in arrival order."""
        return [i for i, fate in enumerate(self.fate) if fate == SERVED]

    def timely(self, sc: Scenario, i: int) -> bool:
        """Whether request i got its answer before its client gave up."""
        return self.fate[i] == SERVED and self.latency(sc, i) <= TIMEOUT_MS

    def count(self, fate: str) -> int:
        """How many requests met that fate."""
        return self.fate.count(fate)

    def p99(self, sc: Scenario) -> float:
        """The 99th percentile of the served requests' latencies (nearest rank), ms."""
        ordered = sorted(self.latency(sc, i) for i in self.served())
        if not ordered:
            return 0.0
        return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]

    def goodput(self, sc: Scenario) -> float:
        """Timely answers completed during the spike, as a percentage of what the server's
        capacity could complete in that time."""
        good = sum(
            1
            for i in self.served()
            if self.timely(sc, i) and sc.spike_start <= self.finished[i] < sc.spike_end
        )
        return 100.0 * good / (CAPACITY_PER_S * sc.spike_s)

    def work(self, sc: Scenario) -> tuple[float, float]:
        """Worker time spent in all, and on answers that came after the client had left, ms."""
        total = wasted = 0.0
        for i in self.served():
            total += sc.demands[i]
            if not self.timely(sc, i):
                wasted += sc.demands[i]
        return total, wasted

    def expired_work(self, sc: Scenario) -> float:
        """The share of the workers' time spent on answers nobody was waiting for, %."""
        total, wasted = self.work(sc)
        return 100.0 * wasted / total if total else 0.0

    def window_ok(self, sc: Scenario, start: float, end: float, target: float) -> bool | None:
        """Whether enough of the requests arriving in [start, end) got an answer within
        target ms (None: nobody arrived)."""
        group = [i for i, at in enumerate(sc.arrivals) if start <= at < end]
        if not group:
            return None
        good = sum(1 for i in group if self.fate[i] == SERVED and self.latency(sc, i) <= target)
        return good >= RECOVERED_SHARE * len(group)

    def recovery(self, sc: Scenario, target: float) -> float:
        """Seconds from the spike's end until the first window of arrivals from which every
        later window is back to normal (a share of timely answers within target); the
        whole stretch after the spike when it never is."""
        starts = []
        at = sc.spike_end
        while at + RECOVERY_WINDOW_MS <= sc.end:
            starts.append(at)
            at += RECOVERY_STEP_MS
        recovered = sc.end
        for start in reversed(starts):
            if self.window_ok(sc, start, start + RECOVERY_WINDOW_MS, target) is False:
                break
            recovered = start
        return round((recovered - sc.spike_end) / 1000.0, 3)


def simulate(sc: Scenario, policy: Policy) -> Outcome:
    """Run the server under policy, one batch of events (and one serve at most) at a time."""
    env = simpy.Environment()
    size = len(sc.arrivals)
    out = Outcome([""] * size, [math.nan] * size, [math.nan] * size)
    queue: list[int] = []  # admitted, waiting, in arrival order
    busy: dict[int, float] = {}  # request in service -> when it ends

    def work(i: int) -> Generator[Any, Any, None]:
        yield env.timeout(sc.demands[i])
        out.finished[i] = env.now

    cursor = 0
    while cursor < size or busy:
        events = _next_events(sc, cursor, busy, env.now)
        answer = list(policy(Batch(events)))
        out.batches += 1
        if not answer or len(answer) > len(events):
            raise BadDecision(env.now, f"{len(answer)} replies to {len(events)} events", answer)
        for k, (event, raw) in enumerate(zip(events, answer, strict=False)):
            at = event[1]
            if at > env.now:
                env.run(until=at)
            reply = _reply(raw, at)
            if event[0] == ARRIVE:
                i = cursor
                cursor += 1
                if reply.admitted is None:
                    raise BadDecision(at, "an arrival with no admission decision", raw)
                out.fate[i] = ADMITTED if reply.admitted else REJECTED
                if reply.admitted:
                    queue.append(i)
                    out.max_queue = max(out.max_queue, len(queue))
            else:
                done = event[2]
                if reply.admitted is not None:
                    raise BadDecision(at, "an admission decision on a completion", raw)
                del busy[done]
                out.fate[done] = SERVED
            _dispatch(reply, queue, busy, at, out, raw)
            if reply.served is not None:
                i = reply.served
                out.started[i] = at
                out.longest_wait = max(out.longest_wait, at - sc.arrivals[i])
                busy[i] = at + sc.demands[i]
                env.process(work(i))
                if k != len(answer) - 1:
                    raise BadDecision(at, "events handled after a serve", raw)
                break
    env.run()
    return out


def _next_events(sc: Scenario, cursor: int, busy: dict[int, float], now: float) -> list[Event]:
    """The events from now to the end of the work in progress (or HORIZON_MS ahead when
    no worker is busy), completions before arrivals at the same instant."""
    horizon = max(busy.values()) if busy else now + HORIZON_MS
    done = sorted((end, i) for i, end in busy.items())
    events: list[Event] = [(DONE, end, i, round(sc.demands[i], 6)) for end, i in done]
    last = cursor
    while last < len(sc.arrivals) and sc.arrivals[last] <= horizon:
        last += 1
    if last == cursor and cursor < len(sc.arrivals) and not busy:
        last = cursor + 1  # idle: the next arrival, however far ahead
    events += [(ARRIVE, sc.arrivals[j]) for j in range(cursor, last)]
    events.sort(key=lambda e: (e[1], e[0] == ARRIVE))
    return events


def _reply(raw: Any, at: float) -> Reply:
    """One reply from plain data: (admitted, dropped, served), checked for shape."""
    if not isinstance(raw, list | tuple) or len(raw) != 3:
        raise BadDecision(at, "a reply that is not (admitted, dropped, served)", raw)
    admitted, dropped, served = raw
    if admitted is not None and type(admitted) is not bool:
        raise BadDecision(at, "an admission decision that is not a bool", raw)
    if not isinstance(dropped, list | tuple) or any(type(d) is not int for d in dropped):
        raise BadDecision(at, "dropped requests that are not request numbers", raw)
    if served is not None and type(served) is not int:
        raise BadDecision(at, "a served request that is not a request number", raw)
    return Reply(admitted, tuple(dropped), served)


def _dispatch(
    reply: Reply, queue: list[int], busy: dict[int, float], at: float, out: Outcome, raw: Any
) -> None:
    """Apply the drops and the serve of one event: only from the queue, only when a worker
    is free, and never leaving a worker idle while requests wait."""
    free = len(busy) < WORKERS
    if (reply.dropped or reply.served is not None) and not (free and queue):
        raise BadDecision(at, "a drop or a serve with no free worker or an empty queue", raw)
    for i in reply.dropped:
        if i not in queue:
            raise BadDecision(at, f"request {i} dropped but not waiting", raw)
        queue.remove(i)
        out.fate[i] = DROPPED
    if reply.served is not None:
        if reply.served not in queue:
            raise BadDecision(at, f"request {reply.served} served but not waiting", raw)
        queue.remove(reply.served)
        out.fate[reply.served] = SERVED
    elif free and queue:
        raise BadDecision(at, "a worker left idle while requests wait", raw)

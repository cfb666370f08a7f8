"""Runs in the subject, beside the learner's client.py: a clock, timers and the client.

The dependency, its faults and every figure live in the grader. It sends batches of what
the client observes (requests arriving, results of calls in flight); the driver handles
them in time order together with the client's own timers (the waits between attempts),
calls the client's methods and returns its actions: calls started, answers given. It
stops a batch MIN_CALL_S after the first call it starts (no call can end sooner), so the
results it has not yet been told of all come after what it handled. The grader replays
those actions against its own dependency: this process only ever decides.
"""

from __future__ import annotations

import heapq
import math
import random
from typing import Any, NamedTuple

from perfcoach.driverkit import Keep

MIN_CALL_S = 0.01
NO_TIMEOUT = 1e9  # what "no timeout" (math.inf) becomes on the wire


class Request(NamedTuple):
    """One request to the dependency: its number, the key it reads, when it arrived,
    when its caller stops waiting (seconds of simulated time), and how many calls have
    been made for it so far."""

    id: int
    key: str
    arrived: float
    deadline: float
    attempts: int


class Runner:
    """The client's clock between batches: requests in progress and pending timers."""

    def __init__(self, module: Any, seed: int) -> None:
        random.seed(seed)
        self.client = module.Client(random.Random(seed))
        self.requests: dict[int, Request] = {}
        self.timers: list[tuple[float, int, int]] = []  # (when, order, request)
        self.order = 0

    def batch(self, start: float, horizon: float, events: list[Any]) -> tuple[float, list[Any]]:
        """Handle events and due timers in time order; (handled up to, actions)."""
        limit = horizon
        actions: list[Any] = []
        queue = list(events)
        k = 0
        while True:
            event = queue[k] if k < len(queue) else None
            timer = self.timers[0] if self.timers else None
            if timer is not None and (event is None or timer[0] < event[1]):
                if timer[0] >= limit:
                    break
                heapq.heappop(self.timers)
                request = self.requests.get(timer[2])
                stop = None if request is None else self.attempt(request, timer[0], actions)
            elif event is not None:
                if event[1] >= limit:
                    break
                k += 1
                stop = self.handle(event, actions)
            else:
                break
            if stop is not None:
                limit = min(limit, stop)
        return limit, actions

    def handle(self, event: Any, actions: list[Any]) -> float | None:
        if event[0] == "arrive":
            _, now, i, key, deadline = event
            request = Request(i, key, now, deadline, 0)
            self.requests[i] = request
            return self.attempt(request, now, actions)
        _, now, i, kind, value = event
        request = self.requests.get(i)
        if request is None:  # only in a replay for `lab profile`, of another client's calls
            return None
        if kind == "ok":
            self.client.on_success(request, now, value)
            actions.append(("answer", now, i, "fresh", value))
            del self.requests[i]
            return None
        wait = self.client.on_failure(request, now, kind)
        if wait is None:
            self.fallback(request, now, actions)
            return None
        if not isinstance(wait, int | float) or not 0 <= wait < math.inf:
            actions.append(("answer", now, i, "bad wait", repr(wait)[:40]))
            return math.nextafter(now, math.inf)
        self.order += 1
        heapq.heappush(self.timers, (now + wait, self.order, i))
        return None

    def attempt(self, request: Request, now: float, actions: list[Any]) -> float | None:
        timeout = self.client.attempt(request, now)
        if timeout is None:
            self.fallback(request, now, actions)
            return None
        if not isinstance(timeout, int | float) or not timeout > 0:
            actions.append(("call", now, request.id, repr(timeout)[:40]))
            return math.nextafter(now, math.inf)
        timeout = min(float(timeout), NO_TIMEOUT)
        actions.append(("call", now, request.id, timeout))
        self.requests[request.id] = request._replace(attempts=request.attempts + 1)
        return now + min(timeout, MIN_CALL_S)

    def fallback(self, request: Request, now: float, actions: list[Any]) -> None:
        value = self.client.fallback(request)
        if value is None:
            actions.append(("answer", now, request.id, "failed", None))
        else:
            actions.append(("answer", now, request.id, "fallback", str(value)))
        del self.requests[request.id]


def start(module: Any, seed: int) -> Keep:
    """A fresh client for one run, its rng seeded so the same code repeats exactly."""
    return Keep(Runner(module, seed))


def decide(module: Any, runner: Runner, batch: list[Any]) -> tuple[float, list[Any]]:
    """One batch: (start, horizon, events) in, (handled up to, actions) out."""
    start_s, horizon, events = batch
    return runner.batch(start_s, horizon, events)


def replay(module: Any, seed: int, batches: list[list[Any]]) -> int:
    """Batches recorded from a run, for `lab profile`: how many actions the client took."""
    runner = Runner(module, seed)
    return sum(len(runner.batch(*batch)[1]) for batch in batches)

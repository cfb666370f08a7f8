"""Runs in the subject, beside the learner's router.py: keeps the router's view, calls it.

The primary, the replicas, when each replica applies each write, and every figure live in
the grader. Once per report period (100 ms of simulated time) the grader sends what a
router would have observed: each replica's applied position and lag as it reported them
at the period's start, the primary's position then, the positions the previous period's
reads came back with, and the period's operations in order. The driver hands each write's
position and time to on_write(), each answer to on_read(), and asks route_read() where each read
goes; it returns those targets. The grader serves the reads on its own replicas: this
process only ever decides, it never measures.
"""

from __future__ import annotations

import random
from typing import Any

from perfcoach.driverkit import Keep

LAG_BOUND_MS = 2_000.0  # the lab's lag bound, shown to the router as view.max_lag_ms


class View:
    """What the router knows when a read arrives (read-only by contract).

    replicas: how many replicas there are (numbered 0 .. replicas - 1)
    now: the read's arrival time, ms of simulated time
    reported_at: when the replicas last reported (the start of the current 100 ms period)
    applied: per replica, the log position it had applied at reported_at
    lag_ms: per replica, how far behind it said it was at reported_at (ms)
    primary: the primary's log position at reported_at
    max_lag_ms: the lag bound: a replica further behind is too stale to read from
    """

    __slots__ = ("applied", "lag_ms", "max_lag_ms", "now", "primary", "replicas", "reported_at")

    def __init__(self, replicas: int) -> None:
        self.replicas = replicas
        self.now = 0.0
        self.reported_at = 0.0
        self.applied: tuple[int, ...] = (0,) * replicas
        self.lag_ms: tuple[float, ...] = (0.0,) * replicas
        self.primary = 0
        self.max_lag_ms = LAG_BOUND_MS

    def __repr__(self) -> str:
        return (
            f"View(now={self.now}, reported_at={self.reported_at}, applied={self.applied}, "
            f"lag_ms={self.lag_ms}, primary={self.primary}, max_lag_ms={self.max_lag_ms})"
        )


class Routing:
    """One run's router and its view, fed one report period at a time."""

    def __init__(self, module: Any, replicas: int) -> None:
        self.router = module.Router(replicas)
        self.view = View(replicas)

    def decide(self, batch: tuple[Any, ...]) -> list[Any]:
        """Take in the report and the answers, then pass on the writes and route the reads."""
        now, applied, lag_ms, primary, answers, ops = batch
        router, view = self.router, self.view
        for session, target, position in answers:
            router.on_read(session, target, position)
        view.reported_at = now
        view.applied = tuple(applied)
        view.lag_ms = tuple(lag_ms)
        view.primary = primary
        targets: list[Any] = []
        for at, session, position in ops:
            if position:
                router.on_write(session, position, at)
                continue
            view.now = at
            targets.append(router.route_read(session, view))
        return targets


def start(module: Any, replicas: int, seed: int) -> Keep:
    """A fresh router for one run; `random` is seeded so the same code repeats exactly."""
    random.seed(seed)
    return Keep(Routing(module, replicas))


def decide(module: Any, routing: Routing, batch: tuple[Any, ...]) -> list[Any]:
    """One report period: the batch in, one target per read out."""
    return routing.decide(batch)


def replay(module: Any, replicas: int, seed: int, batches: list[tuple[Any, ...]]) -> int:
    """Many periods recorded from a run, for `lab profile`: how many reads were routed."""
    random.seed(seed)
    routing = Routing(module, replicas)
    return sum(len(routing.decide(batch)) for batch in batches)

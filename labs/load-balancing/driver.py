"""Runs in the subject, beside the learner's balancer.py: keeps the balancer's view, calls pick().

The cluster, its servers' speeds and every figure live in the grader. Once per tick of
simulated time the grader sends what a real balancer would have observed since the last
tick (the responses that came back, and each server's health as the last check found it)
and the arrival times of the tick's requests; the driver calls pick(view) once per
request, counting each request it places as outstanding on its server, and returns the
servers chosen. The grader replays those choices on its own cluster: this process only
ever decides, it never measures.
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

from perfcoach.driverkit import Keep

RECENT = 10  # latencies kept per server in the view, newest last


class View:
    """What the balancer knows when a request arrives (read-only by contract).

    servers: how many servers there are (numbered 0 .. servers - 1)
    now: the request's arrival time, ms of simulated time
    outstanding: per server, requests sent and not yet answered
    latencies: per server, its last RECENT response times in ms, newest last (a request
        that failed shows how soon its error came back: a down server refuses at once)
    healthy: per server, what the last health check found (False: down)
    """

    __slots__ = ("healthy", "latencies", "now", "outstanding", "servers")

    def __init__(self, servers: int) -> None:
        self.servers = servers
        self.now = 0.0
        self.outstanding: tuple[int, ...] = (0,) * servers
        self.latencies: tuple[tuple[float, ...], ...] = ((),) * servers
        self.healthy: tuple[bool, ...] = (True,) * servers

    def __repr__(self) -> str:
        return (
            f"View(now={self.now}, outstanding={self.outstanding}, healthy={self.healthy}, "
            f"latencies={self.latencies})"
        )


class Balancer:
    """The balancer's own bookkeeping between ticks: outstanding counts and latencies."""

    def __init__(self, servers: int) -> None:
        self.view = View(servers)
        self.outstanding = [0] * servers
        self.recent: list[deque[float]] = [deque(maxlen=RECENT) for _ in range(servers)]

    def decide(
        self,
        module: Any,
        responses: list[tuple[int, float, bool]],
        healthy: tuple[bool, ...],
        arrivals: list[float],
    ) -> list[Any]:
        """Take in the tick's responses and health, then place every arrival."""
        view = self.view
        for server, latency, _ok in responses:
            self.outstanding[server] -= 1
            self.recent[server].append(latency)
        view.latencies = tuple(tuple(r) for r in self.recent)
        view.healthy = tuple(healthy)
        placed: list[Any] = []
        for at in arrivals:
            view.now = at
            view.outstanding = tuple(self.outstanding)
            server = module.pick(view)
            if type(server) is int and 0 <= server < view.servers:
                self.outstanding[server] += 1
            placed.append(server)
        return placed


def start(module: Any, servers: int, seed: int) -> Keep:
    """A fresh balancer for one run; `random` is seeded so the same code repeats exactly."""
    random.seed(seed)
    return Keep(Balancer(servers))


def decide(module: Any, balancer: Balancer, batch: tuple[Any, ...]) -> list[Any]:
    """One tick: (now, responses, healthy, arrivals) in, one server per arrival out."""
    _now, responses, healthy, arrivals = batch
    return balancer.decide(module, responses, healthy, arrivals)


def replay(module: Any, servers: int, seed: int, batches: list[tuple[Any, ...]]) -> int:
    """Many ticks recorded from a run, for `lab profile`: how many requests were placed."""
    random.seed(seed)
    balancer = Balancer(servers)
    return sum(len(decide(module, balancer, batch)) for batch in batches)

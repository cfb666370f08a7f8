"""An M/M/c queue simulated request by request, to set beside Erlang C's closed form.

c servers share one first-come-first-served queue, so each request starts on the server
that frees up first, at its arrival or when that server is done, whichever is later: a
heap of the servers' free times is the whole simulation (nothing else waits on anything).
"""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class QueueRun:
    """What one simulated run of an M/M/c queue measured, counted after the warm-up."""

    response_s: list[float]  # sorted
    waited: int  # requests that found every server busy
    mean_wait_s: float

    def quantile(self, q: float) -> float:
        """The q-quantile of response time (nearest rank)."""
        return self.response_s[max(0, math.ceil(q * len(self.response_s)) - 1)]

    @property
    def wait_probability(self) -> float:
        """Share of requests that had to queue: Erlang C's C(c, a) in the long run."""
        return self.waited / len(self.response_s)


def simulate_mmc(
    servers: int, lam: float, mu: float, requests: int, rng: random.Random, warmup: int = 0
) -> QueueRun:
    """Poisson arrivals at rate lam, exponential service at rate mu on each of `servers`."""
    free = [0.0] * servers
    now = 0.0
    responses: list[float] = []
    waited = 0
    total_wait = 0.0
    for i in range(warmup + requests):
        now += rng.expovariate(lam)
        earliest = free[0]
        start = max(now, earliest)
        end = start + rng.expovariate(mu)
        heapq.heapreplace(free, end)
        if i >= warmup:
            responses.append(end - now)
            waited += earliest > now
            total_wait += start - now
    responses.sort()
    return QueueRun(responses, waited, total_wait / requests)

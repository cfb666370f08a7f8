"""Reference balancing policies for the load-balancing engine, and a steady cluster to run them.

The policies see only what `perfcoach.sim.load_balancing.Batch` carries (responses a tick
late, health, arrival times), as the lab's learners' do; each counts the requests it sent
and not yet heard back as outstanding. `steady_scenario` keeps the engine's unequal speeds
and drops its gray and crash windows, so `perfcoach sim lb` shows the policies alone.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from perfcoach.sim.load_balancing import MEAN_DEMAND_MS, Batch, Scenario, Window

NO_WINDOW = Window(server=-1, start=0.0, end=0.0)  # no server misbehaves, ever


def steady_scenario(
    speeds: tuple[float, ...], utilisation: float, requests: int, rng: random.Random
) -> Scenario:
    """Poisson traffic at `utilisation` of the cluster's total speed, exponential demands,
    speeds that never change and every server always up."""
    rate = utilisation * sum(speeds) / MEAN_DEMAND_MS
    arrivals, now = [], 0.0
    for _ in range(requests):
        now += rng.expovariate(rate)
        arrivals.append(now)
    demands = tuple(rng.expovariate(1 / MEAN_DEMAND_MS) for _ in range(requests))
    return Scenario(
        speeds=speeds,
        later=speeds,
        shift=float("inf"),
        gray=NO_WINDOW,
        crash=NO_WINDOW,
        health_phase=0.0,
        arrivals=tuple(arrivals),
        demands=demands,
    )


class RoundRobin:
    """Each server in turn, whatever it is doing."""

    def __init__(self, servers: int) -> None:
        self.servers, self.next = servers, 0

    def __call__(self, batch: Batch) -> list[int]:
        """One server per arrival, cycling."""
        picks = []
        for _ in batch.arrivals:
            picks.append(self.next)
            self.next = (self.next + 1) % self.servers
        return picks


class Outstanding:
    """Requests sent to each server and not yet answered, as far as the balancer has heard."""

    def __init__(self, servers: int) -> None:
        self.count = [0] * servers

    def hear(self, batch: Batch) -> None:
        """Take the responses of this tick off the counts."""
        for server, _, _ in batch.responses:
            self.count[server] -= 1


class LeastOutstanding(Outstanding):
    """The server with the fewest outstanding requests (the lowest index on a tie)."""

    def __call__(self, batch: Batch) -> list[int]:
        """One server per arrival, counting each pick as outstanding at once."""
        self.hear(batch)
        picks = []
        for _ in batch.arrivals:
            server = min(range(len(self.count)), key=self.count.__getitem__)
            self.count[server] += 1
            picks.append(server)
        return picks


class TwoChoices(Outstanding):
    """Power of two choices: two servers at random, the one with fewer outstanding."""

    def __init__(self, servers: int, rng: random.Random) -> None:
        super().__init__(servers)
        self.rng = rng

    def __call__(self, batch: Batch) -> list[int]:
        """One server per arrival, counting each pick as outstanding at once."""
        self.hear(batch)
        picks = []
        for _ in batch.arrivals:
            a, b = self.rng.sample(range(len(self.count)), 2)
            server = a if self.count[a] <= self.count[b] else b
            self.count[server] += 1
            picks.append(server)
        return picks


POLICIES: dict[str, Callable[[int, random.Random], Callable[[Batch], list[int]]]] = {
    "round robin": lambda n, rng: RoundRobin(n),
    "least outstanding": lambda n, rng: LeastOutstanding(n),
    "two choices": TwoChoices,
}

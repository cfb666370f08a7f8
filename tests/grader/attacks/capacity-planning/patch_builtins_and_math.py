"""Class 1 — rebinds builtins and math in the whole process so any comparison says "equal".

Tries: at import, replaces builtins.abs with one returning 0, math.isclose with one
returning True, float.__eq__ through a patched builtins.float, and math.isnan/isinf with
ones returning False, then answers with the starter's formulas.
Must not pass because: the answers are compared in the grader's own process, which this
code never runs in; the patches change nothing there.
Expect: not pass
"""

from __future__ import annotations

import contextlib
import math
from typing import NamedTuple


def littles_law(arrival_rate: float, time_in_system_s: float) -> float:
    """L = λW: the mean number of requests inside a system that receives arrival_rate
    requests/s and keeps each one time_in_system_s seconds on average."""
    return arrival_rate * time_in_system_s


def mm1_quantile(lam: float, mu: float, p: float) -> float:
    """The p-quantile (0 < p < 1; 0.95 for P95) of the response time, in seconds, of one
    server (M/M/1) that completes mu requests/s when busy and receives lam < mu requests/s."""
    return 1 / (mu - lam)  # the mean response time


def erlang_c(c: int, a: float) -> float:
    """The probability that a request has to wait, with c servers (one shared queue, M/M/c)
    offered a = λ/μ Erlangs of work (a < c)."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def servers_for_p95(lam: float, mu: float, t: float) -> int:
    """The fewest servers c, sharing one queue (M/M/c), each completing mu requests/s, that
    keep the P95 of the response time (wait + service) at or under t seconds when they
    receive lam requests/s. t is always above ln 20 / mu, the P95 of the service alone."""
    return math.ceil(lam / mu / 0.8)  # keep utilisation at 80 %


def usl_fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Fit the Universal Scalability Law X(N) = X(1)·N / (1 + α(N − 1) + βN(N − 1)) to
    measured (nodes, throughput in requests/s) pairs, nodes ascending, starting at 1.
    Returns (X(1), α, β)."""
    per_node = sum(n * x for n, x in points) / sum(n * n for n, _ in points)
    return per_node, 0.0, 0.0  # every node adds the same throughput


def usl_peak(x1: float, alpha: float, beta: float) -> tuple[float, float]:
    """Where the USL curve with these coefficients peaks: (N*, X(N*)), N* = √((1 − α)/β)
    as a real number (not rounded), X(N*) in requests/s."""
    if beta <= 0:
        return math.inf, math.inf
    peak = math.sqrt((1 - alpha) / beta)
    return peak, x1 * peak  # each node adds x1


class FleetPlan(NamedTuple):
    """An application tier sized for its peak, and what its pools ask of the database."""

    servers: int  # application instances
    connections: int  # database connections their pools open, all together
    busy_connections: float  # connections busy on average at the peak
    fits: bool  # connections <= max_connections


def fleet_plan(
    rps: float,
    cache_hit_ratio: float,
    cpu_s: float,
    cores: int,
    max_utilisation: float,
    p95_s: float,
    db_s: float,
    pool_size: int,
    max_connections: int,
) -> FleetPlan:
    """Size the e-commerce tier. rps requests/s reach a balancer that splits them evenly
    over the instances; each instance has `cores` cores and each request costs cpu_s seconds
    of one core. The plan needs the fewest instances whose CPU utilisation stays at or under
    max_utilisation and whose P95 for that CPU work is at most p95_s. A share
    cache_hit_ratio of requests is served from the cache; each of the others holds a
    database connection for db_s seconds. Each instance opens pool_size connections; the
    database accepts max_connections in all."""
    servers = math.ceil(rps * cpu_s / (cores * max_utilisation))
    connections = servers * pool_size
    busy = littles_law(rps * (1 - cache_hit_ratio), db_s)
    return FleetPlan(servers, connections, busy, connections <= max_connections)


def _patch() -> None:
    import builtins

    class _AlwaysEqual(float):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = float.__hash__

    builtins.abs = lambda value: 0  # type: ignore[assignment]
    builtins.float = _AlwaysEqual  # type: ignore[misc]
    math.isclose = lambda *args, **kwargs: True  # type: ignore[assignment]
    math.isnan = lambda value: False  # type: ignore[assignment]
    math.isinf = lambda value: False  # type: ignore[assignment]


with contextlib.suppress(Exception):
    _patch()

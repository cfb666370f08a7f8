"""Class 4 — hands every Erlang C to a process pool running Decimal arithmetic.

Tries: a concurrent.futures.ProcessPoolExecutor whose workers evaluate A**c / c! in
decimal.Decimal (no overflow), so the learner's process does no Erlang C work itself.
Must not pass because: a check runs in one process: forking or spawning workers is refused
(seccomp and the audit hook), and the refusal is each case's answer.
Expect: fail on erlang_c
"""

from __future__ import annotations

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


def _erlang_c_decimal(c: int, a: float) -> float:
    import decimal

    with decimal.localcontext() as context:
        context.prec = 40
        load = decimal.Decimal(a)
        top = load**c / math.factorial(c) * c / (c - load)
        return float(top / (sum(load**k / math.factorial(k) for k in range(c)) + top))


def erlang_c(c: int, a: float) -> float:  # noqa: F811
    """Erlang C in a worker process."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1) as pool:
        return pool.submit(_erlang_c_decimal, c, a).result(timeout=10)

"""Wrong fix — fleet_plan sends the cache hits to the database instead of the misses.

Tries: busy connections = rps × cache_hit_ratio × db_s.
Must not pass because: a hit is served from the cache; only the misses, rps × (1 − hit
ratio), hold a database connection. At 85 % hits that is 5.7 × too many busy.
Expect: fail on fleet_plan
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
    return -math.log1p(-p) / (mu - lam)  # exponential with rate mu - lam


def erlang_c(c: int, a: float) -> float:
    """The probability that a request has to wait, with c servers (one shared queue, M/M/c)
    offered a = λ/μ Erlangs of work (a < c)."""
    b = 1.0  # Erlang B with 0 servers; B(k) = a·B(k−1) / (k + a·B(k−1)) stays in [0, 1]
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b))


def _mmc_tail(t: float, c: int, lam: float, mu: float, wait: float) -> float:
    """P(response time > t) in M/M/c: service at rate mu, after a wait at rate cμ − λ that
    happens with probability wait (Erlang C)."""
    rate = c * mu - lam
    if math.isclose(rate, mu, rel_tol=1e-9):
        both = (1 + mu * t) * math.exp(-mu * t)
    else:
        both = (rate * math.exp(-mu * t) - mu * math.exp(-rate * t)) / (rate - mu)
    return (1 - wait) * math.exp(-mu * t) + wait * both


def servers_for_p95(lam: float, mu: float, t: float) -> int:
    """The fewest servers c, sharing one queue (M/M/c), each completing mu requests/s, that
    keep the P95 of the response time (wait + service) at or under t seconds when they
    receive lam requests/s. t is always above ln 20 / mu, the P95 of the service alone."""
    a = lam / mu
    c = math.floor(a) + 1  # the fewest servers that keep up at all
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    while True:  # one Erlang B step per extra server
        wait = c * b / (c - a * (1 - b))
        if _mmc_tail(t, c, lam, mu, wait) <= 0.05:  # P95 <= t
            return c
        c += 1
        b = a * b / (c + a * b)


def usl_fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Fit the Universal Scalability Law X(N) = X(1)·N / (1 + α(N − 1) + βN(N − 1)) to
    measured (nodes, throughput in requests/s) pairs, nodes ascending, starting at 1.
    Returns (X(1), α, β)."""
    x1 = dict(points)[1]
    # Linearised: N / C(N) − 1 = α(N − 1) + βN(N − 1), with C(N) = X(N) / X(1); least
    # squares through the origin on u = N − 1, v = N(N − 1).
    rows = [(n - 1, n * (n - 1), n * x1 / x - 1) for n, x in points if n > 1]
    suu = sum(u * u for u, _, _ in rows)
    suv = sum(u * v for u, v, _ in rows)
    svv = sum(v * v for _, v, _ in rows)
    suy = sum(u * y for u, _, y in rows)
    svy = sum(v * y for _, v, y in rows)
    det = suu * svv - suv * suv
    return x1, (suy * svv - svy * suv) / det, (suu * svy - suv * suy) / det


def usl_peak(x1: float, alpha: float, beta: float) -> tuple[float, float]:
    """Where the USL curve with these coefficients peaks: (N*, X(N*)), N* = √((1 − α)/β)
    as a real number (not rounded), X(N*) in requests/s."""
    peak = math.sqrt((1 - alpha) / beta)
    return peak, x1 * peak / (1 + alpha * (peak - 1) + beta * peak * (peak - 1))


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
    """Size the e-commerce tier."""
    servers = math.ceil(rps * cpu_s / (cores * max_utilisation))  # the CPU ceiling
    mu = 1 / cpu_s
    while _mmc_tail(p95_s, cores, rps / servers, mu, erlang_c(cores, rps / servers / mu)) > 0.05:
        servers += 1

    connections = servers * pool_size
    busy = littles_law(rps * cache_hit_ratio, db_s)
    return FleetPlan(servers, connections, busy, connections <= max_connections)

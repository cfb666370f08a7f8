"""Capacity-planning models: Little's law, M/M/1 and M/M/c (Erlang C) percentiles, sizing for
a P95 target, and the Universal Scalability Law with its fit.

The capacity-planning lesson teaches these formulas and the capacity-planning lab grades a
learner's versions against them, in the grader. Units: rates per second, times in seconds,
probabilities as fractions. Erlang C goes through the Erlang B recursion, which stays in
[0, 1], so it holds for c in the thousands where A**c / c! overflows a float.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

BISECTIONS = 200  # halvings of a quantile's bracket: far below a float's resolution


def littles_law(arrival_rate: float, time_in_system_s: float) -> float:
    """L = λW: the mean number of requests inside."""
    return arrival_rate * time_in_system_s


def mm1_quantile(lam: float, mu: float, p: float) -> float:
    """The p-quantile of M/M/1 response time (exponential with rate μ − λ), in seconds."""
    return -math.log1p(-p) / (mu - lam)


def erlang_b(c: int, a: float) -> float:
    """Erlang B (the blocking probability of c servers offered a Erlangs), by recursion."""
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c_from_b(c: int, a: float, b: float) -> float:
    """Erlang C from Erlang B for the same c and a."""
    return c * b / (c - a * (1 - b))


def erlang_c(c: int, a: float) -> float:
    """The probability that an arrival waits in M/M/c with offered load a = λ/μ < c."""
    return erlang_c_from_b(c, a, erlang_b(c, a))


def mmc_tail(t: float, c: int, lam: float, mu: float, wait_probability: float) -> float:
    """P(T > t) for M/M/c response time T: exponential service after an exponential wait
    (rate cμ − λ) taken with probability C."""
    rate = c * mu - lam
    if abs(rate - mu) <= 1e-9 * mu:  # the wait and the service have the same rate
        both = (1 + mu * t) * math.exp(-mu * t)
    else:
        both = (rate * math.exp(-mu * t) - mu * math.exp(-rate * t)) / (rate - mu)
    return (1 - wait_probability) * math.exp(-mu * t) + wait_probability * both


def mmc_quantile(p: float, c: int, lam: float, mu: float, wait_probability: float) -> float:
    """The p-quantile of M/M/c response time, by bisection on the tail."""
    lo, hi = 0.0, 1.0 / mu
    while mmc_tail(hi, c, lam, mu, wait_probability) > 1 - p:
        hi *= 2
    for _ in range(BISECTIONS):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        lo, hi = (mid, hi) if mmc_tail(mid, c, lam, mu, wait_probability) > 1 - p else (lo, mid)
    return hi


@dataclass(frozen=True)
class Sizing:
    """The fewest servers meeting a P95 target, and the P95 with one server fewer."""

    servers: int
    p95_s: float  # with `servers`
    p95_one_fewer_s: float  # with servers − 1 (math.inf when that is unstable)


def servers_for_p95(lam: float, mu: float, target_s: float) -> Sizing:
    """The fewest servers c (one shared queue, M/M/c) whose P95 response time is at most
    target_s. Erlang B is carried from c to c + 1 in one step, so the scan costs O(c)."""
    if target_s <= math.log(20) / mu:
        raise ValueError("a P95 target under ln 20 / μ cannot be met by any number of servers")
    a = lam / mu
    c = math.floor(a) + 1
    b = erlang_b(c, a)
    while mmc_tail(target_s, c, lam, mu, erlang_c_from_b(c, a, b)) > 0.05:
        c += 1
        b = a * b / (c + a * b)
    p95 = mmc_quantile(0.95, c, lam, mu, erlang_c_from_b(c, a, b))
    if c - 1 <= a:
        return Sizing(c, p95, math.inf)
    fewer = c - 1
    return Sizing(c, p95, mmc_quantile(0.95, fewer, lam, mu, erlang_c(fewer, a)))


def usl(n: float, alpha: float, beta: float) -> float:
    """Relative capacity C(N) = N / (1 + α(N − 1) + βN(N − 1))."""
    return n / (1 + alpha * (n - 1) + beta * n * (n - 1))


def usl_peak(x1: float, alpha: float, beta: float) -> tuple[float, float]:
    """N* = √((1 − α)/β) (a real number, not rounded) and the throughput there, X(1)·C(N*)."""
    peak = math.sqrt((1 - alpha) / beta)
    return peak, x1 * usl(peak, alpha, beta)


def usl_fit(points: Sequence[tuple[int, float]]) -> tuple[float, float, float]:
    """(X(1), α, β) from measured (nodes, throughput): X(1) is the one-node measurement and
    α, β the least squares of N/C(N) − 1 = α(N − 1) + βN(N − 1), through the origin."""
    x1 = dict(points)[1]
    rows = [(n - 1, n * (n - 1), n * x1 / x - 1) for n, x in points if n > 1]
    s11 = sum(u * u for u, _, _ in rows)
    s12 = sum(u * v for u, v, _ in rows)
    s22 = sum(v * v for _, v, _ in rows)
    t1 = sum(u * y for u, _, y in rows)
    t2 = sum(v * y for _, v, y in rows)
    det = s11 * s22 - s12 * s12
    return x1, (t1 * s22 - t2 * s12) / det, (s11 * t2 - s12 * t1) / det


@dataclass(frozen=True)
class FleetPlan:
    """An application tier sized for a peak, and what its pools ask of the database."""

    servers: int  # instances, each its own M/M/cores behind the balancer
    connections: int  # servers × pool size: what the pools open
    busy_connections: float  # Little's law on the database: misses/s × query time
    fits: bool  # connections within the database's limit


def instance_p95(rps: float, servers: int, cores: int, cpu_s: float) -> float:
    """P95 of the CPU part of a request on one of `servers` instances sharing rps evenly."""
    lam, mu = rps / servers, 1 / cpu_s
    return mmc_quantile(0.95, cores, lam, mu, erlang_c(cores, lam / mu))


def instance_tail(t: float, rps: float, servers: int, cores: int, cpu_s: float) -> float:
    """P(T > t) for the CPU part of a request on one of `servers` instances."""
    lam, mu = rps / servers, 1 / cpu_s
    return mmc_tail(t, cores, lam, mu, erlang_c(cores, lam / mu))


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
    """The fewest instances whose CPU stays at or under max_utilisation and whose P95 (each
    instance an M/M/cores queue with rps split evenly) is at most p95_s; then the pools."""
    servers = math.ceil(rps * cpu_s / (cores * max_utilisation))  # max_utilisation < 1
    while instance_tail(p95_s, rps, servers, cores, cpu_s) > 0.05:  # P95 > p95_s
        servers += 1
    connections = servers * pool_size
    busy = littles_law(rps * (1 - cache_hit_ratio), db_s)
    return FleetPlan(servers, connections, busy, connections <= max_connections)

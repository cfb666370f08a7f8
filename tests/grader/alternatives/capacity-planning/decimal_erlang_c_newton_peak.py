"""Correct alternative — Erlang C in Decimal, the USL peak by Newton's method, plain containers.

Tries: erlang_c evaluates the textbook formula exactly as written, A**c / c! over the sum,
in decimal.Decimal at 50 digits (whose exponents do not overflow) and returns a Decimal;
usl_peak finds N* by Newton's method on the derivative of X(N) instead of the closed
form; usl_peak and usl_fit return lists, servers_for_p95 a whole float (e.g. 12.0), and
fleet_plan a plain tuple.
Must pass because: Decimal's exponent range holds 500! and 480**500, so the textbook
formula is exact to 50 digits; Newton converges to the same N* (the derivative's only
root); a probability that is a Decimal, a list for a pair and 12.0 for twelve servers
are the same answers in other containers.
Expect: pass
"""

from __future__ import annotations

import decimal
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
    offered a = λ/μ Erlangs of work (a < c): the textbook formula, exactly, in Decimal."""
    with decimal.localcontext() as context:
        context.prec = 50
        load = decimal.Decimal(a)
        top = load**c / math.factorial(c) * c / (c - load)
        below = sum(load**k / math.factorial(k) for k in range(c))
        return top / (below + top)


def _mmc_tail(t: float, c: int, lam: float, mu: float, wait: float) -> float:
    """P(response time > t) in M/M/c: service at rate mu, after a wait at rate cμ − λ that
    happens with probability wait (Erlang C)."""
    rate = c * mu - lam
    if math.isclose(rate, mu, rel_tol=1e-9):
        both = (1 + mu * t) * math.exp(-mu * t)
    else:
        both = (rate * math.exp(-mu * t) - mu * math.exp(-rate * t)) / (rate - mu)
    return (1 - wait) * math.exp(-mu * t) + wait * both


def servers_for_p95(lam: float, mu: float, t: float) -> float:
    """The fewest servers c, sharing one queue (M/M/c), each completing mu requests/s, that
    keep the P95 of the response time (wait + service) at or under t seconds; as a float."""
    a = lam / mu
    c = math.floor(a) + 1
    while _mmc_tail(t, c, lam, mu, float(erlang_c(c, a))) > 0.05:
        c += 1
    return float(c)


def usl_fit(points: list[tuple[int, float]]) -> list[float]:
    """Fit the Universal Scalability Law X(N) = X(1)·N / (1 + α(N − 1) + βN(N − 1)) to
    measured (nodes, throughput in requests/s) pairs, nodes ascending, starting at 1.
    Returns [X(1), α, β]."""
    x1 = dict(points)[1]
    rows = [(n - 1, n * (n - 1), n * x1 / x - 1) for n, x in points if n > 1]
    suu = sum(u * u for u, _, _ in rows)
    suv = sum(u * v for u, v, _ in rows)
    svv = sum(v * v for _, v, _ in rows)
    suy = sum(u * y for u, _, y in rows)
    svy = sum(v * y for _, v, y in rows)
    det = suu * svv - suv * suv
    return [x1, (suy * svv - svy * suv) / det, (suu * svy - suv * suy) / det]


def usl_peak(x1: float, alpha: float, beta: float) -> list[float]:
    """Where the USL curve peaks, [N*, X(N*)], N* found by Newton's method on dX/dN = 0.

    X'(N) ∝ 1 − α − βN², so Newton on g(N) = 1 − α − βN² converges to its positive root."""
    n = 1.0
    for _ in range(200):
        step = (1 - alpha - beta * n * n) / (2 * beta * n)
        n += step
        if abs(step) <= 1e-12 * n:
            break
    return [n, x1 * n / (1 + alpha * (n - 1) + beta * n * (n - 1))]


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
) -> tuple[int, int, float, bool]:
    """Size the e-commerce tier (see the brief); the plan as a plain tuple."""
    servers = math.ceil(rps * cpu_s / (cores * max_utilisation))
    mu = 1 / cpu_s
    while True:
        lam = rps / servers
        if _mmc_tail(p95_s, cores, lam, mu, float(erlang_c(cores, lam / mu))) <= 0.05:
            break
        servers += 1
    connections = servers * pool_size
    busy = littles_law(rps * (1 - cache_hit_ratio), db_s)
    return (servers, connections, busy, connections <= max_connections)

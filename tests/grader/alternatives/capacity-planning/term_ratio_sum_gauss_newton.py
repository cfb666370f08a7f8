"""Correct alternative — Erlang C by the term ratio, USL by damped Gauss-Newton with X(1) fitted.

Tries: a^k/k! built term by term (× a/k), which stays within a float for a up to ~700;
usl_fit minimises the squared error of the throughputs themselves over (X(1), α, β) by
Gauss-Newton with step halving, starting from α = 0.05, β = 0.0005.
Must pass because: the largest term for a = 480 is ~1e208, well inside a float; the
nonlinear fit weights the points differently from the linearised one and gives other
coefficients, but its predictions (N*, X(N*), X at twice the nodes) land within 5 %.
Expect: pass
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
    """Erlang C by the term ratio: a^k / k! = previous term × a / k. The largest term,
    about e^a / √(2πa), is ~1e208 at a = 480: within a float."""
    term, below = 1.0, 0.0
    for k in range(c):
        below += term
        term *= a / (k + 1)
    waiting = term * c / (c - a)
    return waiting / (below + waiting)


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
    """Nonlinear least squares on the throughputs themselves, X(1) fitted too: damped
    Gauss-Newton from a rough start, a step halved until it lowers the squared error."""
    p = [dict(points)[1], 0.05, 0.0005]

    def sse(q: list[float]) -> float:
        return sum(
            (x - q[0] * n / (1 + q[1] * (n - 1) + q[2] * n * (n - 1))) ** 2 for n, x in points
        )

    for _ in range(100):
        jtj = [[0.0] * 3 for _ in range(3)]
        jtr = [0.0] * 3
        for n, x in points:
            d = 1 + p[1] * (n - 1) + p[2] * n * (n - 1)
            f = p[0] * n / d
            row = (n / d, -f * (n - 1) / d, -f * n * (n - 1) / d)
            for i in range(3):
                jtr[i] += row[i] * (x - f)
                for j in range(3):
                    jtj[i][j] += row[i] * row[j]
        step = _solve3(jtj, jtr)
        before, scale = sse(p), 1.0
        while scale > 1e-6:
            trial = [p[i] + scale * step[i] for i in range(3)]
            if sse(trial) < before:
                p = trial
                break
            scale /= 2
        else:
            break
    return p[0], p[1], p[2]


def _solve3(m: list[list[float]], v: list[float]) -> list[float]:
    """Solve a 3 × 3 system by Cramer's rule."""

    def det(a: list[list[float]]) -> float:
        return (
            a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
        )

    whole = det(m)
    out = []
    for col in range(3):
        swapped = [[v[r] if c == col else m[r][c] for c in range(3)] for r in range(3)]
        out.append(det(swapped) / whole)
    return out


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
    fits: bool  # whether the connections fit under the database's limit


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
    servers = math.ceil(rps * cpu_s / (cores * max_utilisation))  # the CPU ceiling
    # Each instance is its own M/M/cores queue: the balancer splits the traffic.
    mu = 1 / cpu_s
    while _mmc_tail(p95_s, cores, rps / servers, mu, erlang_c(cores, rps / servers / mu)) > 0.05:
        servers += 1  # P95 > p95_s: more than 5 % of requests take longer
    connections = servers * pool_size
    busy = littles_law(rps * (1 - cache_hit_ratio), db_s)
    return FleetPlan(servers, connections, busy, connections <= max_connections)

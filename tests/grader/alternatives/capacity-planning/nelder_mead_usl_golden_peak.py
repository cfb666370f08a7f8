"""Correct alternative — USL by Nelder–Mead on the relative errors, its peak by golden section.

Tries: usl_fit minimises Σ (X̂(N)/X(N) − 1)² over (X(1), α, β) with a hand-written
Nelder–Mead simplex (no scipy), started from the measured X(1), α = 0.02, β = 0.0005, and
restarted once from its own answer; usl_peak maximises X(N) by golden-section search on
[1, 10·√(1/β)] instead of the closed form.
Must pass because: the simplex converges to the least squares of the relative errors,
whose predictions land within 5 % of the linearised fit's; the USL is unimodal in N, so
golden section finds its one maximum to any precision.
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


def _relative_misfit(points: list[tuple[int, float]], fit: list[float]) -> float:
    x1, alpha, beta = fit
    if x1 <= 0 or alpha < 0 or beta < 0:
        return math.inf
    return sum(
        (x1 * n / (1 + alpha * (n - 1) + beta * n * (n - 1)) / x - 1) ** 2 for n, x in points
    )


def _nelder_mead(f, start: list[float], scale: list[float], rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Minimise f from start with a simplex of the given step sizes."""
    simplex = [list(start)] + [
        [v + (scale[i] if i == j else 0.0) for j, v in enumerate(start)] for i in range(3)
    ]
    values = [f(p) for p in simplex]
    for _ in range(rounds):
        order = sorted(range(4), key=values.__getitem__)
        simplex = [simplex[i] for i in order]
        values = [values[i] for i in order]
        centre = [sum(p[j] for p in simplex[:3]) / 3 for j in range(3)]
        worst = simplex[3]
        reflected = [c + (c - w) for c, w in zip(centre, worst, strict=True)]
        fr = f(reflected)
        if fr < values[0]:
            expanded = [c + 2 * (c - w) for c, w in zip(centre, worst, strict=True)]
            fe = f(expanded)
            simplex[3], values[3] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[2]:
            simplex[3], values[3] = reflected, fr
        else:
            inside = [c + 0.5 * (w - c) for c, w in zip(centre, worst, strict=True)]
            fi = f(inside)
            if fi < values[3]:
                simplex[3], values[3] = inside, fi
            else:  # shrink toward the best point
                best = simplex[0]
                simplex = [best] + [
                    [b + 0.5 * (v - b) for b, v in zip(best, p, strict=True)] for p in simplex[1:]
                ]
                values = [values[0]] + [f(p) for p in simplex[1:]]
    return simplex[min(range(4), key=values.__getitem__)]


def usl_fit(points: list[tuple[int, float]]) -> tuple[float, float, float]:
    """Fit the Universal Scalability Law X(N) = X(1)·N / (1 + α(N − 1) + βN(N − 1)) to
    measured (nodes, throughput in requests/s) pairs, nodes ascending, starting at 1.
    Returns (X(1), α, β), minimising the squared relative errors by Nelder–Mead."""
    x1 = dict(points)[1]

    def misfit(fit: list[float]) -> float:
        return _relative_misfit(points, fit)

    fit = [x1, 0.02, 0.0005]
    for _ in range(2):
        fit = _nelder_mead(misfit, fit, [x1 * 0.02, 0.01, fit[2] * 0.5], 250)
    return fit[0], fit[1], fit[2]


def usl_peak(x1: float, alpha: float, beta: float) -> tuple[float, float]:
    """Where the USL curve peaks: (N*, X(N*)), by golden-section search for the maximum."""

    def throughput(n: float) -> float:
        return x1 * n / (1 + alpha * (n - 1) + beta * n * (n - 1))

    ratio = (math.sqrt(5) - 1) / 2
    lo, hi = 1.0, 10 * math.sqrt(1 / beta)
    for _ in range(200):
        left, right = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if throughput(left) < throughput(right):
            lo = left
        else:
            hi = right
    peak = (lo + hi) / 2
    return peak, throughput(peak)


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
    servers = math.ceil(rps * cpu_s / (cores * max_utilisation))  # the CPU ceiling
    # Each instance is its own M/M/cores queue: the balancer splits the traffic.
    mu = 1 / cpu_s
    while _mmc_tail(p95_s, cores, rps / servers, mu, erlang_c(cores, rps / servers / mu)) > 0.05:
        servers += 1  # P95 > p95_s: more than 5 % of requests take longer
    connections = servers * pool_size
    busy = littles_law(rps * (1 - cache_hit_ratio), db_s)
    return FleetPlan(servers, connections, busy, connections <= max_connections)

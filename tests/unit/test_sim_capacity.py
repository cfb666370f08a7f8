"""The capacity models the lab grades against reproduce the lesson's and FACTS' figures:
M/M/1 and M/M/c percentiles, Erlang C for small and huge pools, sizing for a P95, the USL
peak and fit, and the seed's e-commerce plan."""

from __future__ import annotations

import math
import random

import pytest

from perfcoach.sim import capacity as cap


def textbook_erlang_c(c: int, a: float) -> float:
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_mm1_percentiles_are_the_lessons() -> None:
    got = [round(cap.mm1_quantile(80, 100, p) * 1e3, 1) for p in (0.5, 0.95, 0.99, 0.999)]
    assert got == [34.7, 149.8, 230.3, 345.4]
    assert cap.littles_law(100_000, 0.080) == pytest.approx(8_000)


def test_erlang_c_matches_the_textbook_where_it_can_and_holds_past_it() -> None:
    assert cap.erlang_c(2, 1.5) == pytest.approx(0.6429, abs=1e-4)
    assert cap.erlang_c(3, 1.5) == pytest.approx(0.2368, abs=1e-4)
    assert cap.erlang_c(500, 480) == pytest.approx(0.267, abs=1e-3)
    rng = random.Random(5)
    for _ in range(50):
        c = rng.randint(1, 60)
        a = c * rng.uniform(0.1, 0.99)
        assert cap.erlang_c(c, a) == pytest.approx(textbook_erlang_c(c, a), rel=1e-9)
    with pytest.raises(OverflowError):
        textbook_erlang_c(200, 190.0)


def test_mmc_p95_and_sizing_agree_with_the_lesson() -> None:
    for c, p95_ms in ((2, 64.8), (3, 33.2)):
        wait = cap.erlang_c(c, 1.5)
        assert cap.mmc_quantile(0.95, c, 150, 100, wait) * 1e3 == pytest.approx(p95_ms, abs=0.05)
    one = cap.mmc_quantile(0.95, 1, 75, 100, cap.erlang_c(1, 0.75))
    assert one == pytest.approx(cap.mm1_quantile(75, 100, 0.95), rel=1e-9)  # M/M/1 is c = 1
    assert cap.servers_for_p95(69.9, 100, 0.1).servers == 1  # P95 <= 100 ms up to λ = 70
    assert cap.servers_for_p95(70.1, 100, 0.1).servers == 2
    sizing = cap.servers_for_p95(150, 100, 0.065)
    assert (sizing.servers, sizing.p95_one_fewer_s) == (2, math.inf)
    with pytest.raises(ValueError, match="ln 20"):
        cap.servers_for_p95(10, 100, 0.02)


def test_the_tail_is_continuous_where_the_wait_and_service_rates_meet() -> None:
    wait = cap.erlang_c(2, 1.0)  # c·μ − λ = μ: the special case
    exact = cap.mmc_tail(0.01, 2, 100, 100, wait)
    near = cap.mmc_tail(0.01, 2, 100 * (1 - 1e-6), 100, cap.erlang_c(2, 1 - 1e-6))
    assert exact == pytest.approx(near, rel=1e-4)


def test_usl_peak_and_the_lessons_fit() -> None:
    peak, at_peak = cap.usl_peak(1000, 0.05, 0.001)
    assert (round(peak, 1), round(at_peak)) == (30.8, 9038)
    assert 1000 * cap.usl(64, 0.05, 0.001) == pytest.approx(7820, abs=5)
    r = random.Random(11)
    points = [
        (n, 1000 * cap.usl(n, 0.05, 0.001) * (1 + r.gauss(0, 0.02))) for n in (1, 2, 4, 8, 12, 16)
    ]
    x1, alpha, beta = cap.usl_fit(points)
    assert (round(alpha, 4), round(beta, 5)) == (0.0448, 0.00121)
    peak, at_peak = cap.usl_peak(x1, alpha, beta)
    assert (round(peak, 1), round(at_peak)) == (28.1, 8751)


def test_the_seeds_plan_breaks_the_connection_limit() -> None:
    plan = cap.fleet_plan(100_000, 0.85, 0.002, 8, 0.7, 0.2, 0.002, 20, 97)
    assert (plan.servers, plan.connections, plan.fits) == (36, 720, False)
    assert plan.busy_connections == pytest.approx(30)
    assert cap.instance_p95(100_000, 30, 8, 0.002) * 1e3 == pytest.approx(7.5, abs=0.05)
    assert cap.instance_p95(100_000, 50, 8, 0.002) * 1e3 == pytest.approx(6.0, abs=0.05)
    tight = cap.fleet_plan(100_000, 0.85, 0.002, 8, 0.7, 0.0062, 0.002, 1, 97)
    assert tight.servers == 39  # a P95 of 6.2 ms needs more than the CPU ceiling's 36

"""`perfcoach sim`'s simulations against the closed forms they are drawn beside.

Tolerances were chosen on seeds 1–20 (queue) or 1–10 (cache) and hold there with room;
the tests run two seeds each. The worst gaps seen there are in the comments.
"""

from __future__ import annotations

import math
import random

import pytest

from perfcoach.sim import cache_policies, capacity, playground, sharding
from perfcoach.sim.balancers import POLICIES, RoundRobin, steady_scenario
from perfcoach.sim.load_balancing import simulate
from perfcoach.sim.mmc import simulate_mmc
from perfcoach.sim.playground import ParameterError, Result


def column(result: Result, table: str, key: str) -> list[float]:
    """One column of one of the result's tables."""
    rows = next(t for t in result.tables if t.key == table).records()
    return [float(row[key]) for row in rows]


# cache


ZIPF_KEYS, ZIPF_SKEW, COUNTED, WARMUP = 1000, 0.9, 20_000, 5_000
SIZES = (10, 100, 500)


def zipf_trace(seed: int) -> list[int]:
    return cache_policies.zipf_trace(ZIPF_KEYS, ZIPF_SKEW, WARMUP + COUNTED, random.Random(seed))


@pytest.mark.parametrize("seed", [1, 2])
def test_simulated_lru_matches_ches_approximation(seed: int) -> None:
    # worst gap on seeds 1–10 (eight sizes from 1 % to 80 % of the keys): 0.8 points
    trace = zipf_trace(seed)
    shares = cache_policies.zipf_probabilities(ZIPF_KEYS, ZIPF_SKEW)
    for size in SIZES:
        measured = cache_policies.lru_hits(trace, size, WARMUP) / COUNTED
        assert measured == pytest.approx(cache_policies.che_lru_hit_rate(shares, size), abs=0.015)


def test_lfu_with_full_counts_holds_the_popular_keys() -> None:
    # LFU ends up holding the top keys: within 2.1 points of that bound on seeds 1–10
    trace = zipf_trace(1)
    shares = cache_policies.zipf_probabilities(ZIPF_KEYS, ZIPF_SKEW)
    for size in SIZES:
        lfu = cache_policies.lfu_hits(trace, size, WARMUP) / COUNTED
        top = cache_policies.top_keys_hit_rate(shares, size)
        assert top - 0.03 <= lfu <= top + 0.01
        assert lfu > cache_policies.lru_hits(trace, size, WARMUP) / COUNTED


def test_a_ttl_cache_matches_its_renewal_closed_form_and_never_beats_lru() -> None:
    # No capacity evictions: key i hits (T−1)p_i/(1 + (T−1)p_i) of its requests (T requests
    # of lifetime, the first a miss). Worst gap on seeds 1–10: 0.64 points.
    keys, skew, ttl = 300, 0.8, 200
    shares = cache_policies.zipf_probabilities(keys, skew)
    expected = sum(p * (ttl - 1) * p / (1 + (ttl - 1) * p) for p in shares)
    trace = cache_policies.zipf_trace(keys, skew, 25_000, random.Random(3))
    assert cache_policies.ttl_hits(trace, keys, ttl, 5_000) / 20_000 == pytest.approx(
        expected, abs=0.015
    )
    trace = zipf_trace(1)
    for size in SIZES:
        ttl_rate = cache_policies.ttl_hits(trace, size, 2000, WARMUP) / COUNTED
        lru_rate = cache_policies.lru_hits(trace, size, WARMUP) / COUNTED
        assert ttl_rate <= lru_rate
    assert ttl_rate < lru_rate - 0.05  # a big cache: expiry, not size, limits it


def test_the_cache_table_has_every_policy_at_eight_sizes() -> None:
    result = playground.cache(keys=100, skew=1.0, ttl=500, requests=1_000, seed=1)
    assert column(result, "sizes", "size") == [1, 2, 5, 10, 20, 30, 50, 80]
    assert set(result.tables[0].records()[0]) == {"size", "lru", "che", "lfu", "top", "ttl"}


def test_a_ttl_longer_than_the_trace_is_plain_lru() -> None:
    trace = cache_policies.zipf_trace(500, 1.0, 10_000, random.Random(5))
    for size in (5, 50, 400):
        assert cache_policies.ttl_hits(trace, size, 10_000, 0) == cache_policies.lru_hits(
            trace, size, 0
        )


def test_ches_characteristic_time_fills_the_cache() -> None:
    shares = cache_policies.zipf_probabilities(1000, 0.9)
    t = cache_policies.che_characteristic_time(shares, 100)
    assert sum(1 - math.exp(-p * t) for p in shares) == pytest.approx(100, rel=1e-9)
    assert cache_policies.che_lru_hit_rate(shares, 1000) == 1.0


# queue


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("rho", [0.5, 0.7])
def test_simulated_mmc_matches_erlang_c(seed: int, rho: float) -> None:
    # c = 4, 100,000 requests; worst on seeds 1–20 at ρ ≤ 0.7: wait probability 0.017
    # off, mean wait 10 %, P50 2.4 %, P99 5.1 %
    c, mu = 4, 100.0
    lam = rho * c * mu
    run = simulate_mmc(c, lam, mu, 100_000, random.Random(seed), warmup=10_000)
    waits = capacity.erlang_c(c, lam / mu)
    assert run.wait_probability == pytest.approx(waits, abs=0.03)
    assert run.mean_wait_s == pytest.approx(waits / (c * mu - lam), rel=0.15)
    assert run.quantile(0.5) == pytest.approx(
        capacity.mmc_quantile(0.5, c, lam, mu, waits), rel=0.05
    )
    assert run.quantile(0.99) == pytest.approx(
        capacity.mmc_quantile(0.99, c, lam, mu, waits), rel=0.08
    )


def test_the_queue_table_sets_erlang_c_beside_each_utilisation() -> None:
    result = playground.queue(servers=3, service_ms=20, top=0.95, requests=1_000, seed=1)
    assert column(result, "response", "utilisation") == pytest.approx(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    )
    for row in result.tables[1].records():
        a = float(row["utilisation"]) * 3
        assert row["erlang_c"] == pytest.approx(capacity.erlang_c(3, a))
        assert row["erlang_mean_wait_ms"] == pytest.approx(
            capacity.erlang_c(3, a) / (3 / 0.02 - a / 0.02) * 1000
        )
    p99 = column(result, "response", "erlang_p99_ms")
    assert p99 == sorted(p99) and p99[-1] > 5 * p99[0]


# shard


def test_consistent_schemes_move_one_in_n_plus_one_and_mod_n_moves_most() -> None:
    result = playground.shard(keys=4000, start=2, add=4, vnodes=100, seed=1)
    moved = next(t for t in result.tables if t.key == "moved").records()
    for row in moved:
        n = int(row["shards"]) - 1
        ideal = 1 / (n + 1)
        assert row["ideal"] == ideal
        # binomial spread √(p(1−p)/4000) ≤ 0.0075: 0.025 is over 3 of them
        assert row["jump"] == pytest.approx(ideal, abs=0.025)
        assert row["rendezvous"] == pytest.approx(ideal, abs=0.025)
        # the ring's new shard owns a random arc: relative spread √(n/((n+1)·V + 1))
        spread = sharding.ring_share_spread(n + 1, 100)
        assert row["ring"] == pytest.approx(ideal, rel=3 * spread + 0.05)
        assert row["mod_n"] == pytest.approx(n / (n + 1), abs=0.025)
    for scheme in ("ring", "jump", "rendezvous"):
        assert result.figures[f"needless_{scheme}"] == 0
    assert result.figures["needless_mod_n"] > 4000


def test_fewer_vnodes_leave_the_ring_less_even() -> None:
    few = playground.shard(keys=2000, start=4, add=1, vnodes=2, seed=1)
    many = playground.shard(keys=2000, start=4, add=1, vnodes=200, seed=1)
    assert column(few, "balance", "ring")[0] > column(many, "balance", "ring")[0] + 0.2


# lb


def test_round_robin_overloads_slow_servers_that_outstanding_counts_avoid() -> None:
    result = playground.lb(servers=8, slow=2, slow_speed=0.5, requests=1000, seed=1)
    assert result.figures["round_robin_limit"] == pytest.approx(4 / 7)
    rows = {row["utilisation"]: row for row in result.tables[0].records()}
    assert list(rows) == [0.3, 0.5, 0.7, 0.8, 0.9]
    # above 4/7 round robin's slow servers are overloaded: its P99 was 3.8–8.5 times the
    # others' at 0.8 and 0.9 on seeds 1–6 (1,000 requests)
    for high in (rows[0.8], rows[0.9]):
        assert high["round_robin_p99_ms"] > 3 * high["least_outstanding_p99_ms"]
        assert high["round_robin_p99_ms"] > 3 * high["two_choices_p99_ms"]


def test_the_steady_cluster_has_no_failures_and_repeats_with_its_seed() -> None:
    scenario = steady_scenario((0.5, 1.0, 1.0), 0.5, 900, random.Random(4))
    out = simulate(scenario, RoundRobin(3))
    assert out.failed == 0 and out.sent_to_down == 0
    assert out.per_server == [300, 300, 300]
    runs = [simulate(scenario, POLICIES["two choices"](3, random.Random(7))) for _ in range(2)]
    assert runs[0].latencies == runs[1].latencies
    assert runs[0].per_server[0] < 300  # the slow server gets less than its third


# usl


def test_the_usl_peak_is_where_the_throughput_is_highest() -> None:
    result = playground.usl(alpha=0.05, beta=0.001, x1=1000, nodes=64, noise=0.0, seed=1)
    n_star = math.sqrt(0.95 / 0.001)
    assert result.figures["n_star"] == pytest.approx(n_star)
    assert result.figures["best_whole_nodes"] in (math.floor(n_star), math.ceil(n_star))
    peak = result.figures["peak_throughput"]
    assert peak == pytest.approx(
        1000 * 30.822 / (1 + 0.05 * 29.822 + 0.001 * 30.822 * 29.822), rel=1e-4
    )
    assert all(x <= peak for x in column(result, "nodes", "throughput"))
    # with no noise the fit recovers α and β
    assert result.figures["fit_alpha"] == pytest.approx(0.05, rel=1e-9)
    assert result.figures["fit_beta"] == pytest.approx(0.001, rel=1e-9)


def test_a_noisy_fit_comes_near() -> None:
    result = playground.usl(alpha=0.05, beta=0.001, x1=1000, nodes=64, noise=0.02, seed=1)
    assert result.figures["fit_n_star"] == pytest.approx(result.figures["n_star"], rel=0.15)
    measured, model = column(result, "nodes", "measured"), column(result, "nodes", "throughput")
    assert measured != model


# parameters


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: playground.cache(5, 0.9, 100, 1000, 1), "keys must be from 10 to 100,000, not 5"),
        (lambda: playground.cache(100, math.nan, 100, 1000, 1), "skew must be from 0 to 3"),
        (lambda: playground.queue(4, 10, 1.0, 1000, 1), "utilisation must be from 0.05 to 0.99"),
        (lambda: playground.shard(1000, 0, 1, 10, 1), "shards must be from 1 to 100, not 0"),
        (lambda: playground.lb(4, 4, 0.5, 1000, 1), "slow must be from 0 to 3, not 4"),
        (lambda: playground.usl(0.05, 0, 1000, 64, 0, 1), "beta must be from 1e-06 to 0.5"),
    ],
)
def test_parameters_out_of_range_are_refused_by_name(call: object, message: str) -> None:
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(".", r"\.")):
        call()  # type: ignore[operator]

"""The e-commerce day's engine: its closed forms against the reference ones, its plan
checks, its autoscaler's boot delay, and figures that repeat for a seed."""

from __future__ import annotations

import copy
import math
import random
from typing import Any

import pytest

from perfcoach.sim import ecommerce as sim
from perfcoach.sim.cache_policies import che_lru_hit_rate, zipf_probabilities
from perfcoach.sim.capacity import erlang_c

PLAN: dict[str, Any] = {
    "cdn": {"static": True, "page_ttl_s": 0},
    "balancer": "round_robin",
    "instances": {"min": 20, "max": 50, "target_cpu": 0.7},
    "cache": {"redis_nodes": 6, "local_mb": 0},
    "database": {
        "replicas": 4,
        "reads": "replicas",
        "pool_per_instance": 4,
        "pooler_connections": 0,
    },
}


def plan_with(section: str, key: str | None, value: object) -> dict[str, Any]:
    plan = copy.deepcopy(PLAN)
    if key is None:
        plan[section] = value
    else:
        plan[section][key] = value
    return plan


@pytest.mark.parametrize("skew", [0.85, 1.05])
def test_bucketed_che_matches_che_on_every_key(skew: float) -> None:
    keys, size = 20_000, 1_500
    exact = che_lru_hit_rate(zipf_probabilities(keys, skew), size)
    assert sim.che_hit_rate(sim._buckets(keys, skew), size) == pytest.approx(exact, abs=0.005)


def test_ttl_hit_rate_is_the_renewal_form() -> None:
    probabilities = zipf_probabilities(5_000, 0.9)
    rate, ttl = 40.0, 60.0
    exact = sum(p * rate * p * ttl / (1 + rate * p * ttl) for p in probabilities)
    assert sim.ttl_hit_rate(sim._buckets(5_000, 0.9), rate, ttl) == pytest.approx(exact, abs=0.005)
    assert sim.ttl_hit_rate(sim._buckets(5_000, 0.9), rate, 0) == 0


def test_a_queue_is_erlang_c_below_saturation_and_sheds_past_it() -> None:
    q = sim.mmc(8, 200.0, 0.03)
    assert q.wait_p == pytest.approx(erlang_c(8, 6.0))
    assert q.drain == pytest.approx(8 / 0.03 - 200)
    over = sim.mmc(8, 400.0, 0.03)
    assert over.shed == pytest.approx(1 - 1 / 1.5)


@pytest.mark.parametrize(
    ("plan", "says"),
    [
        (
            plan_with("database", "pool_per_instance", None),
            "plan['database']['pool_per_instance'] must be an int",
        ),
        ({k: v for k, v in PLAN.items() if k != "cache"}, "plan['cache'] must be a dict"),
        (
            plan_with("instances", "target_cpu", math.nan),
            "plan['instances']['target_cpu'] must be a number from 0.2 to 0.95",
        ),
        (plan_with("instances", "max", 10), "plan['instances']['max'] (10) is below its min (20)"),
        (plan_with("instances", "min", True), "plan['instances']['min'] must be an int"),
        (plan_with("balancer", None, "random"), "plan['balancer'] must be one of"),
        (
            plan_with("cdn", "page_ttl_s", 3600),
            "plan['cdn']['page_ttl_s'] must be from 0 to 300, got 3600",
        ),
        (plan_with("cache", "hit_rate", 0.95), "plan['cache'] has no field 'hit_rate'"),
        ({**PLAN, "metrics": {}}, "the plan has no field 'metrics'"),
        ([PLAN], "plan() must return a dict (or a dataclass), got list"),
    ],
)
def test_a_bad_plan_is_refused_naming_its_field(plan: object, says: str) -> None:
    with pytest.raises(sim.BadPlan) as refused:
        sim.validate(plan)
    assert says in str(refused.value)


def test_a_launch_serves_after_its_boot() -> None:
    day = sim.scenario(random.Random("unit:day"))
    flat = [day.edge[0] / 4] * 100 + [day.edge[0]] * (sim.SLICES - 100)
    sc = sim.Scenario(
        tuple(flat),
        *(
            getattr(day, f)
            for f in (
                "peak_hour",
                "peak_to_mean",
                "static_share",
                "page_share",
                "write_share",
                "skew",
                "slow_share",
                "uniforms",
            )
        ),
    )
    out = sim.simulate(sc, sim.validate(plan_with("instances", "min", 2)))
    serving = [s.serving for s in out.slices]
    booting = [s.booting for s in out.slices]
    assert serving[100] == serving[99] and booting[100] == 0  # the step is seen at its end
    assert booting[101] > 0 and serving[101] == serving[100]  # launched, booting
    assert serving[100 + 1 + sim.BOOT_SLICES] > serving[100]  # serving after the boot


def test_the_figures_repeat_and_pools_count_what_they_open() -> None:
    sc = sim.scenario(random.Random("unit:day"))
    plan = sim.validate(PLAN)
    first, again = sim.simulate(sc, plan), sim.simulate(sc, plan)
    assert (first.p95_ms(), first.error_pct(), first.db_connections(), first.cost()) == (
        again.p95_ms(),
        again.error_pct(),
        again.db_connections(),
        again.cost(),
    )
    assert first.asked_connections() == 4 * max(s.serving + s.booting for s in first.slices)
    # Graded on what the plan allows, not on how far this day grew the fleet.
    assert first.db_connections() == first.plan_connections() == 4 * plan.instances.max
    assert first.asked_connections() < first.db_connections()
    pooled = sim.simulate(sc, sim.validate(plan_with("database", "pooler_connections", 40)))
    assert pooled.db_connections() == 40
    assert pooled.cost() == pytest.approx(first.cost() + 24 * sim.POOLER_PER_HOUR)


def test_the_day_keeps_to_the_briefs_ranges() -> None:
    for seed in range(5):
        sc = sim.scenario(random.Random(seed))
        peak = max(sc.edge)
        assert sim.EDGE_PEAK_RPS * (1 - sim.NOISE) <= peak <= sim.EDGE_PEAK_RPS * (1 + sim.NOISE)
        assert (
            sim.PEAK_TO_MEAN[0] * 0.9
            <= peak / (sum(sc.edge) / sim.SLICES)
            <= sim.PEAK_TO_MEAN[1] * 1.1
        )
        assert sim.WRITE_SHARE[0] <= sc.write_share <= sim.WRITE_SHARE[1]
        assert sim.KEY_SKEW[0] <= sc.skew <= sim.KEY_SKEW[1]


def _hard_end(bounds: tuple[float, float], high: bool) -> tuple[float, float]:
    low, top = bounds
    width = sim.HARD_END * (top - low)
    return (top - width, top) if high else (low, low + width)


def test_a_hard_day_keeps_to_the_hard_end_of_each_range() -> None:
    """The steepest day, the most dynamic traffic, the fewest writes, the flattest skew, the
    most slow instances: each from the tenth of its range that loads a plan most."""
    for seed in range(5):
        sc = sim.scenario(random.Random(seed), hard=True)
        assert sc.hard and not sim.scenario(random.Random(seed)).hard
        for value, bounds, high in (
            (sc.peak_to_mean, sim.PEAK_TO_MEAN, True),
            (sc.static_share, sim.STATIC_SHARE, False),
            (sc.page_share, sim.PAGE_SHARE, False),
            (sc.write_share, sim.WRITE_SHARE, False),
            (sc.skew, sim.KEY_SKEW, False),
            (sc.slow_share, sim.SLOW_SHARE, True),
        ):
            low, top = _hard_end(bounds, high)
            assert low <= value <= top, (value, bounds)
        peak = max(sc.edge)
        assert sim.EDGE_PEAK_RPS * (1 - sim.NOISE) <= peak <= sim.EDGE_PEAK_RPS * (1 + sim.NOISE)


def test_a_hard_day_loads_the_replicas_more_than_a_drawn_one() -> None:
    """The same plan on the hard day misses the cache more and runs its replicas hotter."""
    plan = sim.validate(PLAN)
    drawn = sim.simulate(sim.scenario(random.Random("unit:day")), plan)
    hard = sim.simulate(sim.scenario(random.Random("unit:day"), hard=True), plan)
    assert hard.hit_rate < drawn.hit_rate
    busiest = [max(s.db_util["replica 1"] for s in out.slices) for out in (drawn, hard)]
    assert busiest[1] > busiest[0]

"""The cost-rightsizing lab through the real check: the fixed peak fleet fails on cost and
nothing else; target tracking with headroom and a slow scale-in (the reference) passes with
figures that repeat exactly for a seed; an answer no cloud API takes stops the check with
what to return. Every alternative and wrong fix is graded once, by
tests/grader/test_attacks.py, with the messages its docstring names; here, the reference and
the starter also run in process through the driver on many weeks, where a check per week
would cost seconds. The engine's own tests are in tests/unit/test_sim_rightsizing.py."""

from __future__ import annotations

import functools
import math
import random
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import rightsizing as sim
from tests.helpers import (
    check_source,
    failing,
    load_bench,
    metric_rows,
    passes_with_figures_that_repeat,
)
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "cost-rightsizing"
SEED = 161803
METRICS = ["slo_miss_pct", "cost_pct", "actions_per_day", "min_instances"]

STARTER = (LAB_DIR / "starter" / "autoscaler.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "autoscaler.py").read_text()

check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "cost-optimization", 4)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("autoscaler.py",)
    for hint in lab.hints:
        assert " → lesson cost-optimization § " in hint
    bench = load_bench(LAB_DIR)
    assert lab.metric("slo_miss_pct").goal.threshold(None) == bench.SLO_MISS_PCT
    assert lab.metric("cost_pct").goal.threshold(None) == bench.COST_PCT
    assert lab.metric("actions_per_day").goal.threshold(None) == bench.ACTIONS_PER_DAY
    assert lab.metric("min_instances").goal.threshold(None) == bench.MIN_INSTANCES
    assert f"fixed at **{sim.PEAK_FLEET} instances**" in brief
    assert f"PEAK_FLEET = {sim.PEAK_FLEET}" in STARTER


def test_the_fixed_peak_fleet_fails_on_cost_alone(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == {"cost_pct"}
    rows = metric_rows(result)
    assert rows["cost_pct"].value == 100
    assert "scale in when the load falls" in rows["cost_pct"].detail
    assert rows["slo_miss_pct"].value == 0
    assert rows["actions_per_day"].value == 0
    assert rows["min_instances"].value == sim.PEAK_FLEET
    assert any("the marketing spikes: " in note for note in result.notes)


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    cost, actions = rows["cost_pct"].value, rows["actions_per_day"].value
    assert cost is not None and cost < 35  # far from the 45 % line
    assert actions is not None and actions < 60
    assert rows["min_instances"].value == 2


def test_an_answer_past_the_quota_stops_the_check(lab: Lab, tmp_path: Path) -> None:
    source = STARTER.replace("    return PEAK_FLEET\n", "    return 10 * PEAK_FLEET\n")
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail" and result.correct is False
    assert f"more than the account's quota of {sim.QUOTA} instances" in result.message
    assert "answered 500 at the end of interval 0 (Monday 00:05)" in result.message


def _week_through_the_driver(policy: ModuleType, seed: int) -> tuple[sim.Scenario, sim.Outcome]:
    """One week, drawn the way a check draws it, with the policy behind the lab's driver."""
    bench = load_bench(LAB_DIR)
    sc = bench.week(SimpleNamespace(seed=seed))
    driver = load_module(LAB_DIR / "driver.py", "cost_rightsizing_driver_test")
    scaler = driver.Autoscaler()
    return sc, sim.simulate(sc, lambda obs: scaler.decide(policy, *obs.wire()))


def test_the_reference_and_the_starter_on_eight_more_weeks() -> None:
    for seed in range(1, 9):
        reference = load_module(LAB_DIR / "solution" / "autoscaler.py", f"reference_{seed}")
        sc, out = _week_through_the_driver(reference, seed)
        assert out.slo_miss_pct(sc) <= 0.5, seed
        assert out.cost_pct() <= 35, seed
        assert out.actions_per_day() <= 60, seed
        assert out.min_serving() == sim.MIN_INSTANCES, seed
        starter = load_module(LAB_DIR / "starter" / "autoscaler.py", f"starter_{seed}")
        sc, base = _week_through_the_driver(starter, seed)
        assert (base.slo_miss_pct(sc), base.cost_pct(), base.actions_per_day()) == (0, 100, 0)


def _largest_fixed_fleet_under_the_cost_bound() -> int:
    """The most instances a fleet that never changes may keep and still meet the cost row
    (the first interval is the 50 the policy takes over)."""
    bench = load_bench(LAB_DIR)
    fleet = sim.START_FLEET
    while (sim.START_FLEET + fleet * (sim.INTERVALS - 1)) / sim.INTERVALS > (
        bench.COST_PCT / 100 * sim.PEAK_FLEET
    ):
        fleet -= 1
    return fleet


def test_no_fixed_fleet_the_cost_bound_allows_carries_the_spikes() -> None:
    """The largest fixed fleet under the cost bound misses the SLO on every week: each spike
    needs more (a 70 % bound let 34 instances pass on most weeks of one weekday spike)."""
    bench = load_bench(LAB_DIR)
    fleet = _largest_fixed_fleet_under_the_cost_bound()
    blind = SimpleNamespace(policy=lambda observation: fleet)
    for seed in range(1, 31):
        sc, out = _week_through_the_driver(blind, seed)  # type: ignore[arg-type]
        assert round(out.cost_pct(), 2) <= bench.COST_PCT, seed
        assert out.slo_miss_pct(sc) > bench.SLO_MISS_PCT, seed
        assert "The fleet did not grow for the spike on" in bench.miss_detail(sc, out), seed


def test_a_schedule_sized_for_the_largest_spike_misses_one_every_week() -> None:
    """Spike capacity on a clock schedule, never looking at the load, fails on every week:
    the spikes come at any hour of any day, and the cost bound affords spike capacity for
    only part of the week (on weekdays 10:00-15:00, where the first week put its one spike,
    such a schedule passed on every seed)."""
    bench = load_bench(LAB_DIR)
    schedule = load_module(
        ROOT
        / "tests/grader/attacks/cost-rightsizing/wrong_fix_schedule_sized_for_the_largest_spike.py",
        "largest_spike_schedule",
    )
    for seed in range(1, 31):
        sc, out = _week_through_the_driver(schedule, seed)
        assert round(out.cost_pct(), 2) <= bench.COST_PCT, seed
        assert out.slo_miss_pct(sc) > bench.SLO_MISS_PCT, seed
        in_spikes = [t for t in out.misses(sc) if sc.spike_at(t) is not None]
        assert len(in_spikes) > len(out.misses(sc)) / 2, seed


def test_profile_replays_the_starters_week_through_any_policy() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    driver = load_module(LAB_DIR / "driver.py", "cost_rightsizing_driver_profile")
    reference = load_module(LAB_DIR / "solution" / "autoscaler.py", "reference_profile")
    assert driver.replay(reference, *work.args) == sim.INTERVALS


def _fleet(load: float, target: float) -> int:
    return max(2, math.ceil(load / (sim.PER_INSTANCE_RPS * target)))


def _tracking(target: float, hold: int, floor: int = 2) -> sim.Policy:
    """Target tracking on the last load; scale-in to the recent peak after `hold` intervals
    (0: at once, to the last load)."""
    seen: list[float] = []
    changed = [-hold]

    def policy(obs: sim.Observation) -> int:
        seen.append(obs.load)
        have = obs.running + obs.booting
        want = max(floor, math.ceil(obs.load / (sim.PER_INSTANCE_RPS * target)))
        if hold and want < have:
            want = have
            if obs.t - changed[0] >= hold:
                recent = math.ceil(max(seen[-hold:]) / (sim.PER_INSTANCE_RPS * target))
                want = min(have, max(floor, recent))
        if want != have:
            changed[0] = obs.t
        return want

    return policy


def _details(policy: sim.Policy, seed: int = 5) -> dict[str, str]:
    bench = load_bench(LAB_DIR)
    sc = bench.week(SimpleNamespace(seed=seed))
    out = sim.simulate(sc, policy)
    return {
        "slo_miss_pct": bench.miss_detail(sc, out),
        "cost_pct": bench.cost_detail(out),
        "actions_per_day": bench.actions_detail(out),
        "min_instances": bench.min_detail(out),
    }


def test_each_row_says_what_the_miss_teaches() -> None:
    """The advice a failing row gives, for the wrong fixes of the corpus (checked there for
    the metric that misses), worked out in process on one week."""
    no_headroom = _details(_tracking(1.0, 6))["slo_miss_pct"]
    assert "always two intervals behind a rising load" in no_headroom
    flapping = _details(_tracking(0.65, 0))
    assert "The fleet is flapping" in flapping["actions_per_day"]
    assert "Above" not in flapping["slo_miss_pct"]
    one = _details(_tracking(0.6, 6, floor=1))["min_instances"]
    assert "single point of failure" in one
    fixed = _details(lambda obs: 20)["slo_miss_pct"]
    assert "The fleet did not grow for the spike" in fixed
    peak = _details(lambda obs: sim.PEAK_FLEET)
    assert "scale in when the load falls" in peak["cost_pct"]
    passing = _details(_tracking(0.65, 6))
    assert not any("Above" in text or "Below" in text for text in passing.values())


def test_the_platform_reveals_an_interval_only_after_the_decision_before_it() -> None:
    bench = load_bench(LAB_DIR)
    sc = bench.week(SimpleNamespace(seed=9))
    platform = bench.Platform(sc)
    assert platform.observe() == (0, sc.load[0], sim.START_FLEET, 0)
    assert platform.observe() == (0, sc.load[0], sim.START_FLEET, 0)  # asking again shows no more
    assert platform.decide(2) == (1, sc.load[1], 2, 0)
    assert platform.decide(6) == (2, sc.load[2], 2, 4)
    assert platform.decide(("bad", "'six'")) is None
    assert platform.bad is not None and platform.bad.at == 2
    assert platform.decide(6) is None and platform.fleet.t == 2


def test_a_week_that_stops_early_is_a_wrong_result() -> None:
    bench = load_bench(LAB_DIR)

    def monday_only(fn: str, platform: object, seed: int) -> None:
        for _ in range(sim.PER_DAY):
            platform.decide(4)  # type: ignore[attr-defined]

    ctx = SimpleNamespace(
        seed=9, serve=lambda obj: obj, candidate=SimpleNamespace(call=monday_only)
    )
    with pytest.raises(bench.WrongAnswer, match="the week stopped after interval 288 of 2,016"):
        bench.remote(ctx, bench.week(ctx))

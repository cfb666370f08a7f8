"""The ecommerce-100k capstone through the real check: the seed's plan taken literally meets
the P95 and the budget and breaks the connection limit (its refused connections are the
errors); pools sized from Little's law (the reference) pass with figures that repeat for a
seed; a plan sized for an easy day fails on the check's hard day, on a seed whose first day
it would pass. Every alternative and wrong fix is graded once, by
tests/grader/test_attacks.py, with the messages its docstring names; here, the reference,
the starter and under-sized plans also run in process through the driver on more seeds'
days, where a check per seed would cost a second each. The engine's own tests are in
tests/unit/test_sim_ecommerce.py."""

from __future__ import annotations

import copy
import functools
import random
from pathlib import Path
from typing import Any

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import ecommerce as sim
from tests.helpers import (
    check_source,
    edit_source,
    failing,
    load_bench,
    metric_rows,
    passes_with_figures_that_repeat,
)
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "ecommerce-100k"
SEED = 141421
EASY_FIRST_DAY = 4  # a seed whose first day one replica carries (it passed, graded on it alone)
METRICS = ["p95_ms", "error_pct", "db_connections", "cost_pct"]

STARTER = (LAB_DIR / "starter" / "plan.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "plan.py").read_text()


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    lesson, brief = lesson_and_brief(lab, "ecommerce-100k", 5)
    assert lab.order == 1
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("plan.py",)
    for hint in lab.hints:
        assert " → lesson ecommerce-100k § " in hint
    bench = load_bench(LAB_DIR)
    assert lab.metric("p95_ms").goal.threshold(None) == bench.P95_MS
    assert lab.metric("error_pct").goal.threshold(None) == bench.ERROR_PCT
    assert lab.metric("db_connections").goal.threshold(None) == sim.MAX_CONNECTIONS
    assert lab.metric("cost_pct").goal.threshold(None) == bench.COST_PCT
    assert f"**${sim.PREVIOUS_COST:,.2f} a day**" in brief
    assert f"${sim.BUDGET:,.2f}" in brief and f"**${sim.BUDGET:,.2f}**" in lesson.body
    assert f"**max_connections = {sim.MAX_CONNECTIONS}**" in brief
    assert '"pool_per_instance": 20' in STARTER
    assert bench.DAYS == 3 and "**three days**" in brief
    # the brief's hard-day column is the engine's
    assert f"| {_hard_end(sim.PEAK_TO_MEAN, True)} |" in brief
    assert f"| {_hard_end(sim.KEY_SKEW, False)} |" in brief
    assert f"| {_hard_end(sim.SLOW_SHARE, True, 100)} % |" in brief


def _hard_end(bounds: tuple[float, float], high: bool, scale: float = 1) -> str:
    """A range's hard tenth as the brief writes it ('2.52-2.6')."""
    low, top = (scale * bound for bound in bounds)
    width = sim.HARD_END * (top - low)
    low, top = (top - width, top) if high else (low, low + width)
    return f"{round(low, 4):g}-{round(top, 4):g}"


def test_the_seeds_plan_breaks_the_connection_limit(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == {"db_connections", "error_pct"}
    rows = metric_rows(result)
    connections = rows["db_connections"]
    assert connections.value is not None and connections.value >= 2 * sim.MAX_CONNECTIONS
    assert "× a pool of 20" in connections.detail and "Over the limit" in connections.detail
    assert "no database connection" in rows["error_pct"].detail
    assert "see db_connections" in rows["error_pct"].detail
    assert result.notes[0].startswith("Graded on 3 days drawn from this seed")
    days = [note.split(":")[0] for note in result.notes[1:4]]
    assert days == ["Day 1 of 3", "Day 2 of 3", "Day 3 of 3 (the hard one)"]


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    p95, errors, cost = rows["p95_ms"].value, rows["error_pct"].value, rows["cost_pct"].value
    assert p95 is not None and p95 < 150  # far from the 200 ms line
    assert errors is not None and errors < 0.01
    assert cost is not None and cost < 50
    baseline = rows["db_connections"].baseline
    assert baseline is not None and baseline >= 2 * sim.MAX_CONNECTIONS


def test_a_plan_sized_for_an_easy_day_fails_on_the_hard_one(lab: Lab, tmp_path: Path) -> None:
    """One read replica carries the seed's first day; graded on the worst of the check's
    days it fails, and the row says which day missed and that the others did not."""
    one_replica = edit_source(SOLUTION, '"replicas": 4,', '"replicas": 1,')
    result = check_source(lab, tmp_path, one_replica, seed=EASY_FIRST_DAY)
    assert result.verdict == "fail"
    assert "error_pct" in failing(result)
    errors = metric_rows(result)["error_pct"]
    assert errors.detail.startswith("Day 3 of 3 (the hard one), this row's worst: ")
    assert "It met the target on day 1 of 3" in errors.detail
    assert "sized for the hardest day the brief allows" in errors.detail
    assert "A database server reached" in errors.detail
    first_day = _graded(_variant("database", "replicas", 1), EASY_FIRST_DAY, days=1)
    assert all(_meets(name, value) for name, value in first_day.items()), first_day


@functools.cache
def _days(seed: int) -> list[sim.Scenario]:
    """A seed's days, drawn the way a check draws them."""
    return load_bench(LAB_DIR).days(lambda salt: random.Random(f"{seed}:{salt}"))


def _plan(folder: str) -> dict[str, Any]:
    """The lab's starter or solution plan, as the driver sends it."""
    driver = load_module(LAB_DIR / "driver.py", "ecommerce_100k_driver_test")
    plan: dict[str, Any] = driver.plan(load_module(LAB_DIR / folder / "plan.py", f"eco_{folder}"))
    return plan


def _variant(section: str, key: str, value: object) -> dict[str, Any]:
    """The reference plan with one field changed."""
    plan = copy.deepcopy(_plan("solution"))
    plan[section][key] = value
    return plan


def _graded(data: dict[str, Any], seed: int, days: int = 3) -> dict[str, float]:
    """Each row's figure as the check computes it (the worst day's), on the seed's first
    `days` days."""
    plan = sim.validate(data)
    outcomes = [sim.simulate(sc, plan) for sc in _days(seed)[:days]]
    figures = load_bench(LAB_DIR).FIGURES
    return {name: max(row[0](out) for out in outcomes) for name, row in figures.items()}


def _meets(name: str, value: float) -> bool:
    return bool(load_bench(LAB_DIR).FIGURES[name][1](value))


def test_the_days_a_check_draws() -> None:
    days = _days(1)
    assert len(days) == load_bench(LAB_DIR).DAYS == 3
    assert [day.hard for day in days] == [False, False, True]
    # the first is the day the lesson's example reads (the lab's seed 1)
    assert days[0].uniforms == sim.scenario(random.Random("1:day")).uniforms


def test_the_reference_and_the_starter_on_three_more_seeds() -> None:
    for seed in range(1, 4):
        rows = _graded(_plan("solution"), seed)
        assert rows["p95_ms"] < 150, seed
        assert rows["error_pct"] < 0.01, seed
        assert rows["db_connections"] <= sim.MAX_CONNECTIONS, seed
        assert rows["cost_pct"] <= 50, seed
        base = _graded(_plan("starter"), seed)
        assert base["db_connections"] > sim.MAX_CONNECTIONS, seed
        assert base["error_pct"] > 1, seed  # the refused connections
        assert base["p95_ms"] < 200 and base["cost_pct"] <= 50, seed


def test_under_sized_plans_that_passed_on_one_day_fail_on_the_checks_days() -> None:
    """Each passed some of these seeds graded on the first day alone (docs/sim.md has the
    sweep): on the check's days, one of them from the hard end of every range, none."""
    under_sized = {
        "one replica": _variant("database", "replicas", 1),
        "three replicas": _variant("database", "replicas", 3),
        "five cache nodes": _variant("cache", "redis_nodes", 5),
        "round robin at 80 %": _variant("instances", "target_cpu", 0.8),
    }
    for name, plan in under_sized.items():
        one_day = [_graded(plan, seed, days=1) for seed in (1, 2, 3)]
        assert any(all(_meets(k, v) for k, v in rows.items()) for rows in one_day), name
        for seed in (1, 2, 3):
            rows = _graded(plan, seed)
            assert not all(_meets(k, v) for k, v in rows.items()), (name, seed, rows)


def test_profile_runs_plan_itself() -> None:
    bench = load_bench(LAB_DIR)
    work = bench.workload(None)
    assert (work.fn, work.args) == ("plan", ())
    driver = load_module(LAB_DIR / "driver.py", "ecommerce_100k_driver_profile")
    starter = load_module(LAB_DIR / "starter" / "plan.py", "ecommerce_starter_profile")
    assert driver.plan(starter)["database"]["pool_per_instance"] == 20

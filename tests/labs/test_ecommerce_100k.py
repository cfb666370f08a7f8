"""The ecommerce-100k capstone through the real check: the seed's plan taken literally meets
the P95 and the budget and breaks the connection limit (its refused connections are the
errors); pools sized from Little's law (the reference) pass with figures that repeat for a
seed. Every alternative and wrong fix is graded once, by tests/grader/test_attacks.py, with
the messages its docstring names; here, the reference and the starter also run in process
through the driver on more days, where a check per day would cost a second each. The
engine's own tests are in tests/unit/test_sim_ecommerce.py."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import ecommerce as sim
from tests.helpers import failing, load_bench, metric_rows, passes_with_figures_that_repeat
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "ecommerce-100k"
SEED = 141421
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
    assert any(note.startswith("This seed's day:") for note in result.notes)


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    p95, errors, cost = rows["p95_ms"].value, rows["error_pct"].value, rows["cost_pct"].value
    assert p95 is not None and p95 < 150  # far from the 200 ms line
    assert errors is not None and errors < 0.01
    assert cost is not None and cost < 50
    baseline = rows["db_connections"].baseline
    assert baseline is not None and baseline >= 2 * sim.MAX_CONNECTIONS


def _day(plan_module: ModuleType, seed: int) -> sim.Outcome:
    """One day, drawn the way a check draws it, under the plan sent through the driver."""
    driver = load_module(LAB_DIR / "driver.py", "ecommerce_100k_driver_test")
    sc = sim.scenario(random.Random(f"{seed}:day"))
    return sim.simulate(sc, sim.validate(driver.plan(plan_module)))


def test_the_reference_and_the_starter_on_three_more_days() -> None:
    reference = load_module(LAB_DIR / "solution" / "plan.py", "ecommerce_reference")
    starter = load_module(LAB_DIR / "starter" / "plan.py", "ecommerce_starter")
    for seed in range(1, 4):
        out = _day(reference, seed)
        assert out.p95_ms() < 150, seed
        assert out.error_pct() < 0.01, seed
        assert out.db_connections() <= sim.MAX_CONNECTIONS, seed
        assert out.cost() <= sim.BUDGET, seed
        base = _day(starter, seed)
        assert base.db_connections() > sim.MAX_CONNECTIONS, seed
        assert base.errors_by_cause()["no database connection"] > 0, seed
        assert base.p95_ms() < 200 and base.cost() <= sim.BUDGET, seed


def test_profile_runs_plan_itself() -> None:
    bench = load_bench(LAB_DIR)
    work = bench.workload(None)
    assert (work.fn, work.args) == ("plan", ())
    driver = load_module(LAB_DIR / "driver.py", "ecommerce_100k_driver_profile")
    starter = load_module(LAB_DIR / "starter" / "plan.py", "ecommerce_starter_profile")
    assert driver.plan(starter)["database"]["pool_per_instance"] == 20

"""The read-replicas lab through the real check: the starter (every read on the primary) fails
the primary's share and the balance; the reference (position floors, the lag bound, the least
used eligible replica) passes with figures that repeat exactly for a seed. The corpus
(tests/grader/alternatives/read-replicas, tests/grader/attacks/read-replicas) grades every
other router once, with the messages it must produce; the in-process tests here replay a
few of those routers on the engine to show where their violations come from. The engine's
own tests are in tests/unit/test_sim_replication.py."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import replication as sim
from tests.helpers import failing, load_bench, metric_rows, passes_with_figures_that_repeat
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "read-replicas"
ATTACKS = ROOT / "tests" / "grader" / "attacks" / "read-replicas"
SEED = 271828
METRICS = [
    "primary_read_share",
    "ryw_violations",
    "monotonic_violations",
    "stale_reads",
    "replica_load_ratio",
]

STARTER = (LAB_DIR / "starter" / "router.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "router.py").read_text()


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "database-scaling", 4)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("router.py",)
    for hint in lab.hints:
        assert " → lesson database-scaling § " in hint
    bench = load_bench(LAB_DIR)
    assert f"≤ {bench.PRIMARY_SHARE:g} %" in brief and f"≤ {bench.LOAD_RATIO}" in brief
    assert lab.metric("primary_read_share").goal.threshold(None) == bench.PRIMARY_SHARE
    assert lab.metric("replica_load_ratio").goal.threshold(None) == bench.LOAD_RATIO
    assert f"{sim.LAG_BOUND_MS:,.0f} ms" in brief and f"({sim.STALE_MS / 1000:g} s)" in brief


def test_the_starter_is_never_wrong_and_never_uses_a_replica(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail" and result.correct is True
    assert failing(result) == {"primary_read_share", "replica_load_ratio"}
    rows = metric_rows(result)
    assert rows["primary_read_share"].value == 100
    assert rows["primary_read_share"].detail.endswith("reads on the primary: every read")
    assert any("the replicas serve nothing" in note for note in result.notes)
    assert rows["replica_load_ratio"].value == sim.REPLICAS
    assert "no replica served a read" in rows["replica_load_ratio"].detail
    for name in ("ryw_violations", "monotonic_violations", "stale_reads"):
        assert rows[name].value == 0, name


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    share, ratio = rows["primary_read_share"].value, rows["replica_load_ratio"].value
    assert share is not None and share < 5  # far from the line
    assert ratio is not None and ratio < 1.05
    assert any("stalled (still up, still answering)" in note for note in solution_runs[0].notes)


def _replay(name: str, seed: int) -> tuple[sim.Scenario, sim.Outcome]:
    """A corpus router on the engine, in process, as the grader drives it."""
    driver = load_module(LAB_DIR / "driver.py", "read_replicas_driver_test")
    module = load_module(ATTACKS / f"{name}.py", f"read_replicas_{name}")
    sc = sim.scenario(random.Random(seed))
    random.seed(seed)
    routing = driver.Routing(module, sim.REPLICAS)
    return sc, sim.simulate(sc, lambda batch: routing.decide(batch.wire()))


def _in_spike(sc: sim.Scenario, replica: object, at: float) -> bool:
    return any(w.replica == replica and w.start <= at < w.end + w.peak for w in sc.spikes)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_one_second_pin_misses_writes_only_when_lag_outruns_it(seed: int) -> None:
    """Every miss is on a replica more than 1 s behind: in a spike (under the lag bound, so
    never skipped), or in the stall's first two seconds."""
    sc, out = _replay("wrong_fix_pin_primary_one_second", seed)
    assert sum(_in_spike(sc, target, at) for at, _, target, _, _ in out.ryw) > 5
    assert all(sc.lag(target, at) > 1_000 for at, _, target, _, _ in out.ryw)
    assert all(
        _in_spike(sc, target, at) or (target == sc.stall.replica and sc.stall.covers(at))
        for at, _, target, _, _ in out.ryw
    )


def test_the_stalled_replica_serves_new_sessions_unless_the_lag_bound_is_read() -> None:
    sc, out = _replay("wrong_fix_no_lag_bound", 3)
    assert out.stale and not out.ryw and not out.monotonic
    assert {target for _, _, target, _ in out.stale} == {sc.stall.replica}
    assert all(sc.stall.start <= at < sc.stall.end for at, *_ in out.stale)


def test_profile_replays_the_starters_periods_through_any_router() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    replicas, seed, batches = work.args
    reads = sum(1 for batch in batches for _, _, position in batch[5] if position == 0)
    driver = load_module(LAB_DIR / "driver.py", "read_replicas_driver_profile")
    solution = load_module(LAB_DIR / "solution" / "router.py", "read_replicas_solution_test")
    assert driver.replay(solution, replicas, seed, batches) == reads > 1_000

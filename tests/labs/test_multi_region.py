"""The multi-region lab through the real check: the starter (every read on the primary, an
unfenced failover as soon as the lease allows) fails the P95, the crossings, split brain and
the loss; the reference (local reads that wait for the session's write, fencing tokens, a
promotion that waits for the best replica to catch up) passes with figures that repeat for
a seed. The corpus (tests/grader/alternatives/multi-region, tests/grader/attacks/multi-region)
grades every other file once, with the messages it must produce; the in-process tests here
replay a few of them on the engine to show where their figures come from."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import multi_region as sim
from tests.helpers import failing, load_bench, metric_rows, passes_with_figures_that_repeat
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "multi-region"
ATTACKS = ROOT / "tests" / "grader" / "attacks" / "multi-region"
ALTERNATIVES = ROOT / "tests" / "grader" / "alternatives" / "multi-region"
SEED = 161803
METRICS = [
    "p95_worst_ms",
    "max_crossings",
    "ryw_violations",
    "split_brain_writes",
    "lost_span_ms",
    "failover_ms",
    "refused_pct",
]

STARTER = (LAB_DIR / "starter" / "regions.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "regions.py").read_text()


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "multi-region", 4)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("regions.py",)
    for hint in lab.hints:
        assert " → lesson multi-region § " in hint
    bench = load_bench(LAB_DIR)
    assert lab.metric("p95_worst_ms").goal.threshold(None) == bench.P95_MS
    assert lab.metric("failover_ms").goal.threshold(None) == bench.FAILOVER_MS
    assert lab.metric("refused_pct").goal.threshold(None) == bench.REFUSED_PCT
    assert lab.metric("lost_span_ms").goal.threshold(None) == sim.LAG_BOUND_MS
    assert f"≤ {bench.P95_MS:.0f} ms" in brief and f"≤ {bench.FAILOVER_MS:.0f} ms" in brief
    assert f"≤ {sim.LAG_BOUND_MS:.0f} ms, the lag bound" in brief


def test_the_starter_crosses_for_every_read_and_fails_over_badly(
    starter_run: CheckResult,
) -> None:
    result = starter_run
    assert result.verdict == "fail" and result.correct is True
    assert failing(result) == {
        "p95_worst_ms",
        "max_crossings",
        "split_brain_writes",
        "lost_span_ms",
    }
    rows = metric_rows(result)
    assert rows["max_crossings"].value == 3
    assert "route_read returning (region, position)" in rows["max_crossings"].detail
    assert rows["ryw_violations"].value == 0  # the primary is never behind
    assert rows["split_brain_writes"].value is not None and rows["split_brain_writes"].value > 0
    assert "fencing token" in rows["split_brain_writes"].detail
    lost = rows["lost_span_ms"].value
    assert lost is not None and lost > sim.LAG_BOUND_MS
    assert "what the primary last reported" in rows["lost_span_ms"].detail
    assert rows["refused_pct"].value == 0


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    assert rows["max_crossings"].value == 1
    assert rows["split_brain_writes"].value == 0 and rows["refused_pct"].value == 0
    p95 = rows["p95_worst_ms"].value
    assert p95 is not None and p95 < 200  # the write's crossing from sg, and a few ms
    assert any("the incident" in note for note in solution_runs[0].notes)


def _replay(path: Path, seed: int) -> tuple[sim.Scenario, sim.Outcome]:
    """A learner file on the engine, in process, as the grader drives it."""
    driver = load_module(LAB_DIR / "driver.py", "multi_region_driver_test")
    module = load_module(path, f"multi_region_{path.stem}_{seed}")
    sc = sim.scenario(random.Random(seed))
    random.seed(seed)
    deployment = driver.Deployment(module)
    return sc, sim.simulate(sc, lambda batch: deployment.decide(batch.wire()))


def test_a_lease_alone_lets_only_the_writes_in_flight_through() -> None:
    """The write(s) checked just before the freeze, under a valid lease, commit on waking
    after the promotion; the writes that queued during the freeze find the lease gone."""
    sc, out = _replay(ATTACKS / "wrong_fix_lease_without_fencing.py", 1)
    assert 1 <= out.split_brain <= 2
    assert out.promoted_at is not None and sc.freeze < out.promoted_at < sc.wake
    _, unfenced = _replay(ATTACKS / "wrong_fix_timeout_failover_unfenced.py", 1)
    assert unfenced.split_brain > 10  # and without the lease, every queued write too


def test_waiting_for_the_last_report_is_what_bounds_the_loss() -> None:
    """Promoted at once, the best replica misses the writes still on the slow link; promoted
    once it has the primary's last report, it misses at most the writes after that report."""
    sc, eager = _replay(ATTACKS / "wrong_fix_most_advanced_replica_at_once.py", 2)
    _, careful = _replay(LAB_DIR / "solution" / "regions.py", 2)
    assert eager.lost_span_ms > sim.LAG_BOUND_MS
    assert careful.lost_span_ms <= sim.TICK_MS
    assert eager.promoted_at is not None and careful.promoted_at is not None
    assert careful.promoted_at > eager.promoted_at > sc.freeze


@pytest.mark.parametrize(
    ("name", "row", "advice"),
    [
        ("wrong_fix_local_reads_without_waiting", "ryw_detail", "return (region, position)"),
        ("wrong_fix_lease_without_fencing", "split_detail", "only a fencing token stops it"),
        ("wrong_fix_most_advanced_replica_at_once", "lost_detail", "what the primary last"),
        ("wrong_fix_never_fail_over", "failover_detail", "Promote a replica"),
    ],
)
def test_each_wrong_fix_is_told_what_to_change(name: str, row: str, advice: str) -> None:
    """The row a wrong fix fails says what to do instead (the corpus grades each file once;
    this replays it in process and asks the bench for the row's text)."""
    sc, out = _replay(ATTACKS / f"{name}.py", 4)
    bench = load_bench(LAB_DIR)
    text = {
        "ryw_detail": lambda: bench.ryw_detail(out),
        "split_detail": lambda: bench.split_detail(sc, out),
        "lost_detail": lambda: bench.lost_detail(out),
        "failover_detail": lambda: bench.failover_detail(sc, out),
    }[row]()
    assert advice in text, text


def test_profile_replays_the_starters_ticks_through_any_file() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    seed, batches = work.args
    pages = sum(len(batch[2]) for batch in batches)
    driver = load_module(LAB_DIR / "driver.py", "multi_region_driver_profile")
    solution = load_module(LAB_DIR / "solution" / "regions.py", "multi_region_solution_test")
    assert driver.replay(solution, seed, batches) == pages > 2_000

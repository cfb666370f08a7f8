"""The load-balancing lab through the real check: round robin fails all three rows; power of
two choices (the reference) passes with figures that repeat exactly for a seed; an answer
that is not a server is a wrong result. The other correct policies (least outstanding,
EWMA-P2C, ...) and the tempting wrong fixes (static weights, random, latency alone, least
response time, health never read or read once, round robin over the healthy servers) are
checked once each, with the text their rows must say, in tests/grader/alternatives/ and
tests/grader/attacks/load-balancing/. The engine's own tests are in
tests/unit/test_sim_load_balancing.py."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from types import SimpleNamespace

from perfcoach.catalog.lab import Lab
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import load_balancing as sim
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
LAB_DIR = ROOT / "labs" / "load-balancing"
SEED = 314159
METRICS = ["p99_ratio", "max_queue", "sent_to_down"]

STARTER = (LAB_DIR / "starter" / "balancer.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "balancer.py").read_text()

check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "scalability-patterns", 3)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("balancer.py",)
    for hint in lab.hints:
        assert " → lesson scalability-patterns § " in hint
    bench = load_bench(LAB_DIR)
    assert f"≤ {bench.MAX_QUEUE}" in brief and f"≤ {bench.P99_RATIO}" in brief
    assert lab.metric("max_queue").goal.threshold(None) == bench.MAX_QUEUE
    assert lab.metric("p99_ratio").goal.threshold(None) == bench.P99_RATIO


def test_round_robin_fails_every_row_with_a_reason(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == set(METRICS)
    rows = metric_rows(result)
    assert rows["p99_ratio"].value == 1.0
    assert "Of the slowest 1 %" in rows["p99_ratio"].detail
    assert rows["max_queue"].value is not None and rows["max_queue"].value > 40
    assert "compare view.outstanding" in rows["max_queue"].detail
    assert rows["sent_to_down"].value is not None and rows["sent_to_down"].value > 10
    assert "view.healthy" in rows["sent_to_down"].detail


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    assert rows["sent_to_down"].value == 0
    ratio = rows["p99_ratio"].value
    assert ratio is not None and ratio < 0.3  # far from the line


def test_an_answer_that_is_not_a_server_is_a_wrong_result(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, "def pick(view):\n    return True\n")
    assert result.verdict == "fail" and result.correct is False
    assert "an int from 0 to 7" in result.message


def test_profile_replays_round_robins_ticks_through_any_pick() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    servers, seed, batches = work.args
    assert sum(len(batch[3]) for batch in batches) == sim.REQUESTS
    driver = load_module(LAB_DIR / "driver.py", "load_balancing_driver_test")
    solution = load_module(LAB_DIR / "solution" / "balancer.py", "load_balancing_solution_test")
    assert driver.replay(solution, servers, seed, batches) == sim.REQUESTS

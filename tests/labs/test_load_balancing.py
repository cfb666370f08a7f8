"""The load-balancing lab through the real check: round robin fails all three rows; power of
two choices (the reference), least outstanding and EWMA-P2C pass with figures that repeat
exactly for a seed; the tempting wrong fixes (static weights, random, latency alone, least
outstanding blind to health, a health check read once, round robin over the healthy
servers) fail on the row that names their flaw. The engine's own tests are in
tests/unit/test_sim_load_balancing.py."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

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
CORPUS = ROOT / "tests" / "grader"
ATTACKS = CORPUS / "attacks" / "load-balancing"
ALTERNATIVES = CORPUS / "alternatives" / "load-balancing"
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


@pytest.mark.parametrize("name", ["least_outstanding", "power_of_two_choices", "ewma_p2c"])
def test_every_policy_the_lesson_teaches_passes(lab: Lab, tmp_path: Path, name: str) -> None:
    result = check(lab, tmp_path, (ALTERNATIVES / f"{name}.py").read_text())
    assert result.verdict == "pass", result.message
    assert metric_rows(result)["sent_to_down"].value == 0


def test_static_weights_go_stale_when_the_speeds_change(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_static_weights.py").read_text())
    assert result.verdict == "fail"
    assert "p99_ratio" in failing(result)
    assert "sent_to_down" not in failing(result)
    row = metric_rows(result)["p99_ratio"]
    assert "of all requests. More than it can serve" in row.detail
    assert "weights learned once" in row.detail


def test_choosing_by_latency_alone_herds(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_least_latency.py").read_text())
    assert result.verdict == "fail"
    assert failing(result) == {"p99_ratio", "max_queue"}
    rows = metric_rows(result)
    assert rows["max_queue"].value is not None and rows["max_queue"].value > 300
    assert "a choice by latency alone herds" in rows["p99_ratio"].detail


def test_random_is_round_robin_with_noise(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_random.py").read_text())
    assert result.verdict == "fail"
    assert failing(result) >= {"max_queue"}
    assert "sent_to_down" not in failing(result)


@pytest.mark.parametrize(
    "name", ["wrong_fix_least_outstanding_ignores_health", "wrong_fix_health_read_once"]
)
def test_a_balancer_blind_to_health_feeds_the_black_hole(
    lab: Lab, tmp_path: Path, name: str
) -> None:
    result = check(lab, tmp_path, (ATTACKS / f"{name}.py").read_text())
    assert result.verdict == "fail"
    assert failing(result) == {"sent_to_down"}
    row = metric_rows(result)["sent_to_down"]
    assert row.value is not None and row.value > 20
    assert "read view.healthy on every call" in row.detail
    assert "looks idle and fast" in row.detail


def test_round_robin_over_healthy_servers_still_queues(lab: Lab, tmp_path: Path) -> None:
    result = check(lab, tmp_path, (ATTACKS / "wrong_fix_round_robin_skip_down.py").read_text())
    assert "max_queue" in failing(result) and "sent_to_down" not in failing(result)


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

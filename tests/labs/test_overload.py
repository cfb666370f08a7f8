"""The overload lab through the real check: the unbounded FIFO starter fails all four rows;
admission control with a deadline drop (the reference), a bounded queue, CoDel-style
queue delay limits, adaptive LIFO and a token limit pass with figures that repeat exactly
for a seed; the tempting wrong fixes (a bigger queue, a client-side timeout, a deadline
drop alone, a fixed rate for the normal load, no queue, LIFO always, a wait bound at the
timeout) fail on the row that names their flaw. The engine's own tests are in
tests/unit/test_sim_overload.py."""

from __future__ import annotations

import functools
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
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
LAB_DIR = ROOT / "labs" / "overload"
CORPUS = ROOT / "tests" / "grader"
ATTACKS = CORPUS / "attacks" / "overload"
SEED = 271828
METRICS = ["goodput_pct", "p99_ms", "expired_work_pct", "recovery_s"]

STARTER = (LAB_DIR / "starter" / "server.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "server.py").read_text()

check = functools.partial(check_source, seed=SEED)


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "load-testing", 3)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("server.py",)
    for hint in lab.hints:
        assert " → lesson load-testing § " in hint
    bench = load_bench(LAB_DIR)
    assert lab.metric("goodput_pct").goal.threshold(None) == bench.GOODPUT_PCT
    assert lab.metric("p99_ms").goal.threshold(None) == bench.P99_BUDGET_MS
    assert lab.metric("expired_work_pct").goal.threshold(None) == bench.EXPIRED_WORK_PCT
    assert lab.metric("recovery_s").goal.threshold(None) == bench.RECOVERY_S
    assert f"≤ {bench.P99_BUDGET_MS:.0f} ms" in brief and f"≤ {bench.RECOVERY_S:g} s" in brief


def test_the_unbounded_queue_fails_every_row_with_a_reason(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == set(METRICS)
    rows = metric_rows(result)
    goodput = rows["goodput_pct"]
    assert goodput.value is not None and goodput.value < 50
    assert "Throughput is not goodput" in goodput.detail
    assert "0 refused, 0 dropped" in goodput.detail
    p99 = rows["p99_ms"].value
    assert p99 is not None and p99 > 3_000
    assert "served after their client's 1000 ms timeout had already passed" in rows["p99_ms"].detail
    assert rows["expired_work_pct"].value is not None and rows["expired_work_pct"].value > 50
    assert "A client's timeout frees the client, not the server" in (
        rows["expired_work_pct"].detail
    )
    assert "was not back to normal" in rows["recovery_s"].detail
    assert "waited behind the backlog" in rows["recovery_s"].detail


def test_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    assert rows["expired_work_pct"].value == 0
    goodput, p99 = rows["goodput_pct"].value, rows["p99_ms"].value
    assert goodput is not None and goodput > 94  # far from the line
    assert p99 is not None and p99 < 600


def _wrong(lab: Lab, tmp_path: Path, name: str) -> CheckResult:
    result = check(lab, tmp_path, (ATTACKS / f"{name}.py").read_text())
    assert result.verdict == "fail" and result.correct is True, result.message
    return result


def test_a_bigger_queue_collapses_like_none(lab: Lab, tmp_path: Path) -> None:
    result = _wrong(lab, tmp_path, "wrong_fix_bigger_queue")
    assert failing(result) == set(METRICS)
    assert "the queue held more than a second of work" in metric_rows(result)["goodput_pct"].detail


def test_a_client_side_timeout_leaves_the_work_on_the_server(lab: Lab, tmp_path: Path) -> None:
    result = _wrong(lab, tmp_path, "wrong_fix_client_side_timeout")
    assert {"goodput_pct", "expired_work_pct"} <= failing(result)
    assert "drop it when now >= request.deadline" in metric_rows(result)["expired_work_pct"].detail


def test_a_deadline_drop_alone_serves_at_the_timeout(lab: Lab, tmp_path: Path) -> None:
    result = _wrong(lab, tmp_path, "wrong_fix_drop_expired_only")
    assert {"goodput_pct", "p99_ms", "expired_work_pct"} <= failing(result)
    rows = metric_rows(result)
    p99 = rows["p99_ms"].value
    assert p99 is not None and 1_000 < p99 < 1_200
    assert "They started in time but waited so long" in rows["expired_work_pct"].detail


def test_a_wait_bound_at_the_timeout_is_too_late(lab: Lab, tmp_path: Path) -> None:
    result = _wrong(lab, tmp_path, "wrong_fix_wait_bound_at_the_timeout")
    assert "p99_ms" in failing(result)
    assert "Bound the wait by the latency budget" in metric_rows(result)["p99_ms"].detail


@pytest.mark.parametrize(
    "name",
    ["wrong_fix_fixed_rate_for_normal_load", "wrong_fix_no_queue"],
)
def test_refusing_work_the_server_had_time_for_costs_goodput(
    lab: Lab, tmp_path: Path, name: str
) -> None:
    result = _wrong(lab, tmp_path, name)
    assert "goodput_pct" in failing(result)
    assert {"p99_ms", "expired_work_pct"}.isdisjoint(failing(result))
    assert "The server refused work it had time for" in metric_rows(result)["goodput_pct"].detail


def test_lifo_always_serves_the_buried_requests_late(lab: Lab, tmp_path: Path) -> None:
    result = _wrong(lab, tmp_path, "wrong_fix_lifo_always")
    assert {"p99_ms", "expired_work_pct"} <= failing(result)
    assert "goodput_pct" not in failing(result)
    assert "at the bottom of a newest-first stack" in metric_rows(result)["p99_ms"].detail


def test_a_bad_position_is_a_wrong_result_that_says_what_to_return(
    lab: Lab, tmp_path: Path
) -> None:
    source = STARTER.replace("    return 0\n", "    return len(view.queue)\n")
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail" and result.correct is False
    assert "position in view.queue" in result.message


def test_more_workers_than_the_server_has_is_a_wrong_result(lab: Lab, tmp_path: Path) -> None:
    source = (ATTACKS / "class4_more_workers_than_the_server_has.py").read_text()
    result = check(lab, tmp_path, source)
    assert result.verdict == "fail" and result.correct is False
    assert "no free worker" in result.message


def test_profile_replays_the_starters_batches_through_any_policy() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    driver = bench.load_module(LAB_DIR / "driver.py", "overload_driver_test")
    starter = bench.load_module(LAB_DIR / "starter" / "server.py", "overload_starter_test")
    assert driver.replay(starter, *work.args) > 1_000

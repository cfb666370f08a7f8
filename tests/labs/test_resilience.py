"""The resilience lab through the real check: the starter (no timeout, immediate retries,
no cache) fails every row with a reason; the reference (timeout, full-jitter backoff, a
retry budget, a half-opening breaker, a cached fallback) passes with figures that repeat
exactly for a seed. The correct alternatives and the tempting wrong fixes are graded once
each by tests/grader/test_attacks.py (their docstrings carry what they must be told); the
engine's own tests are in tests/unit/test_sim_resilience.py."""

from __future__ import annotations

import random
from pathlib import Path
from types import SimpleNamespace

from perfcoach.catalog.lab import Lab
from perfcoach.runner.check import CheckResult
from tests.helpers import failing, load_bench, metric_rows, passes_with_figures_that_repeat
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "resilience"
SEED = 314159
METRICS = ["success_pct", "outage_calls", "amplification", "retry_wave", "p99_s", "fallback_pct"]

STARTER = (LAB_DIR / "starter" / "client.py").read_text()
SOLUTION = (LAB_DIR / "solution" / "client.py").read_text()


def test_manifest_lesson_and_brief_agree(lab: Lab) -> None:
    _, brief = lesson_and_brief(lab, "chaos-engineering", 4)
    assert [m.name for m in lab.metrics] == METRICS
    assert all(m.deterministic for m in lab.metrics)
    assert lab.files == ("client.py",)
    for hint in lab.hints:
        assert " → lesson chaos-engineering § " in hint
    bench = load_bench(LAB_DIR)
    goals = {name: lab.metric(name).goal.threshold(None) for name in METRICS}
    assert goals == {
        "success_pct": bench.SUCCESS_PCT,
        "outage_calls": bench.OUTAGE_CALLS,
        "amplification": bench.AMPLIFICATION,
        "retry_wave": bench.RETRY_WAVE,
        "p99_s": bench.P99_S,
        "fallback_pct": bench.FALLBACK_PCT,
    }
    assert "**60 s**" in brief and "(deterministic, ≤ 80)" in brief


def test_the_starter_fails_every_row_with_a_reason(starter_run: CheckResult) -> None:
    result = starter_run
    assert result.verdict == "fail"
    assert result.correct is True
    assert failing(result) == set(METRICS)
    rows = metric_rows(result)
    assert rows["p99_s"].value == 20.0  # four calls hanging 5 s each in the outage
    assert "No timeout on an attempt" in rows["p99_s"].detail
    outage = rows["outage_calls"].value
    assert outage is not None and outage > 1_000
    assert "A circuit breaker stops calling" in rows["outage_calls"].detail
    amplification = rows["amplification"].value
    assert amplification is not None and 1.5 < amplification <= 4
    assert "a retry budget" in rows["amplification"].detail
    assert rows["retry_wave"].value is not None and rows["retry_wave"].value >= 8
    assert rows["fallback_pct"].value == 0
    assert "return it from fallback()" in rows["fallback_pct"].detail
    assert "time out, then retry" in rows["success_pct"].detail
    assert any(note.startswith("This seed: ") for note in result.notes)


def test_the_reference_passes_with_figures_that_repeat(solution_runs: list[CheckResult]) -> None:
    rows = passes_with_figures_that_repeat(solution_runs, METRICS)
    assert rows["fallback_pct"].value == 100
    p99 = rows["p99_s"].value
    assert p99 is not None and p99 < 0.7  # far from the 1 s deadline
    outage = rows["outage_calls"].value
    assert outage is not None and outage <= 50


def test_profile_replays_the_starters_batches_through_any_client() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    driver = bench.load_module(LAB_DIR / "driver.py", "resilience_driver_test")
    solution = bench.load_module(LAB_DIR / "solution" / "client.py", "resilience_solution_test")
    assert driver.replay(solution, *work.args) > 1_000

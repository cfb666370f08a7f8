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
from perfcoach.labkit import load_module
from perfcoach.runner.check import CheckResult
from perfcoach.sim import resilience as sim
from tests.helpers import failing, load_bench, metric_rows, passes_with_figures_that_repeat
from tests.labs.manifest import lesson_and_brief
from tests.labs.proof import test_dev_check_proves_the_lab  # noqa: F401 (run here)

ROOT = Path(__file__).resolve().parents[2]
LAB_DIR = ROOT / "labs" / "resilience"
SIT_OUT = ROOT / "tests" / "grader" / "attacks" / "resilience" / "wrong_fix_sit_out_a_fixed_time.py"
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
    assert "**three outages**" in brief and "(deterministic, ≤ 240, 80 an outage)" in brief


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
    assert outage is not None and outage <= 150  # probes: far below 240, 80 an outage


def test_profile_replays_the_starters_batches_through_any_client() -> None:
    bench = load_bench(LAB_DIR)
    ctx = SimpleNamespace(seed=1, rng=lambda salt: random.Random(f"1:{salt}"), lab_dir=LAB_DIR)
    work = bench.workload(ctx)
    assert work.fn == "replay"
    driver = bench.load_module(LAB_DIR / "driver.py", "resilience_driver_test")
    solution = bench.load_module(LAB_DIR / "solution" / "client.py", "resilience_solution_test")
    assert driver.replay(solution, *work.args) > 1_000


def _recoveries_in_time(client_file: Path, open_s: float | None, seeds: range) -> list[bool]:
    """Per seed, drawn as a check draws it: whether the client kept success outside the
    outages at the target (the only row a late recovery costs), with its breaker's open
    period set to open_s when given; a breaker that misses it is told how late it was."""
    bench = load_bench(LAB_DIR)
    kept = []
    for seed in seeds:
        ctx = SimpleNamespace(seed=seed, lab_dir=LAB_DIR)
        sc = bench.scenario(ctx)
        client = load_module(client_file, f"resilience_open_{open_s}_{seed}")
        if open_s is not None:
            client.OPEN_S = open_s
        driver = load_module(LAB_DIR / "driver.py", "resilience_driver_open")
        runner = driver.Runner(client, bench.client_seed(ctx))
        out = sim.simulate(sc, lambda batch, runner=runner: runner.batch(*batch))
        kept.append(out.success_pct(sc) >= bench.SUCCESS_PCT)
        if open_s is not None and not kept[-1]:
            detail = bench.success_detail(sc, out)
            assert "Your client's first fresh answer after each outage: " in detail
            assert "so no fixed wait fits them all" in detail
    return kept


def test_only_a_short_open_period_notices_every_recovery_in_time() -> None:
    """The outages' lengths differ within a check and change between checks, so a breaker
    notices every recovery within the allowance only if it probes every few seconds: a
    period that fitted a fixed 60 s outage (20, 30 or 60 s) misses, and so does a client
    with no breaker that goes quiet for a minute (on some seeds a spike's timeouts set it
    off, which the success row reports as a breaker tripped by a partial failure)."""
    seeds = range(1, 13)
    solution = LAB_DIR / "solution" / "client.py"
    assert all(_recoveries_in_time(solution, None, seeds))
    assert all(_recoveries_in_time(solution, 8.0, seeds))
    assert sum(_recoveries_in_time(solution, 20.0, seeds)) <= 2
    assert not any(_recoveries_in_time(solution, 30.0, seeds))
    assert not any(_recoveries_in_time(solution, 60.0, seeds))
    assert not any(_recoveries_in_time(SIT_OUT, None, seeds))

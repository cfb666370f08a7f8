"""Measuring real commands: figures per run, failures and hangs recorded as nothing, A/B order,
and the effort goals those figures are checked against."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfcoach.efforts.goal import MET, NOT_MET, UNCLEAR, EffortGoal, check_goal, parse_goal
from perfcoach.errors import UsageError
from perfcoach.measure.commands import (
    CommandFailed,
    Summary,
    interleave,
    measure_command,
    native_launcher,
    run_once,
    split_command,
)
from perfcoach.paths import cache_dir

PY = sys.executable


def py(code: str) -> list[str]:
    return [PY, "-c", code]


def test_a_sleeping_command_spends_wall_time_not_cpu_time() -> None:
    figures = measure_command(py("import time; time.sleep(0.3)"), runs=3, timeout_s=60)
    assert len(figures.runs) == 3
    for run in figures.runs:
        # one thread: CPU time can never include the 0.3 s spent asleep (it does include
        # the launcher's work before the exec, which wall time, from the exec, does not)
        assert run.wall_s >= 0.3
        assert run.cpu_s <= run.wall_s - 0.25
        assert run.peak_rss_kib > 0
    assert figures.wall_s.minimum <= figures.wall_s.median <= figures.wall_s.maximum
    assert figures.to_json()["runs"] == 3


def test_an_allocating_command_shows_its_peak_rss() -> None:
    small = run_once(py("pass"), timeout_s=60)
    big = run_once(py("b = b'x' * (200 * 1024 * 1024)"), timeout_s=60)
    assert big.peak_rss_kib >= 200 * 1024
    assert big.peak_rss_kib - small.peak_rss_kib >= 150 * 1024


def test_a_tiny_command_is_not_charged_for_perfcoach_memory() -> None:
    # Forked straight from this (large) test process, `true` would report its peak RSS.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tiny = run_once(["true"], timeout_s=60)
    assert tiny.peak_rss_kib < 16 * 1024 < own


def test_a_command_that_exits_at_once_measures_at_the_launcher_floor() -> None:
    # The floor (what the launcher's child charges before the exec) is measured before the
    # runs and kept with the figures; no run can show less.
    figures = measure_command(["true"], runs=3, timeout_s=60)
    floor = figures.to_json()["floor"]
    assert 0 < floor["peak_rss_kib"] == figures.floor.peak_rss_kib
    assert floor["cpu_s"] > 0
    for run in figures.runs:
        assert run.peak_rss_kib >= figures.floor.peak_rss_kib - 256


def test_with_the_native_launcher_a_tiny_command_shows_its_own_peak() -> None:
    """`true`'s peak RSS is its own (GNU time: about 1 MiB), not a Python launcher's 6-7 MiB;
    the floor under it is the C launcher's child, under 1 MiB."""
    if native_launcher() is None:
        pytest.skip("no C compiler builds the native launcher here (.ci/run installs one)")
    figures = measure_command(["true"], runs=3, timeout_s=60)
    assert figures.floor.peak_rss_kib < 1024
    assert all(run.peak_rss_kib < 2048 for run in figures.runs)


@pytest.fixture
def launcher_looked_for_again() -> Iterator[None]:
    """native_launcher looks again in the test (with its CC), and again after it."""
    native_launcher.cache_clear()
    yield
    native_launcher.cache_clear()


@pytest.mark.usefixtures("launcher_looked_for_again")
def test_without_a_compiler_the_python_launcher_measures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No compiler (or one that fails): the Python launcher runs, and its larger floor is
    measured and reported as before."""
    monkeypatch.setenv("CC", str(tmp_path / "no-such-cc"))
    assert native_launcher() is None
    figures = measure_command(["true"], runs=2, timeout_s=60)
    assert figures.floor.peak_rss_kib > 2048  # a forked Python interpreter's pages
    assert all(run.peak_rss_kib >= figures.floor.peak_rss_kib - 256 for run in figures.runs)


@pytest.mark.usefixtures("launcher_looked_for_again")
def test_a_compiler_that_fails_leaves_the_python_launcher(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    broken = tmp_path / "cc"
    broken.write_text("#!/bin/sh\necho 'cc: internal error' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("CC", str(broken))
    assert native_launcher() is None
    assert not list(cache_dir().glob("launcher-*"))


def test_a_failing_command_is_reported_with_its_stderr() -> None:
    code = "import sys; print('db is down', file=sys.stderr); sys.exit(1)"
    with pytest.raises(
        CommandFailed, match="exited with status 1; nothing was recorded: db is down"
    ):
        measure_command(py(code), runs=3, timeout_s=60)


def test_a_hanging_command_and_its_children_are_killed_at_the_timeout(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    code = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(600)\n"
    )
    with pytest.raises(CommandFailed, match="did not finish within --timeout 5s"):
        run_once(py(code), timeout_s=5)
    for pid in map(int, pids.read_text().split()):
        assert _gone_soon(pid), f"process {pid} survived the timeout"


def _gone_soon(pid: int) -> bool:
    """SIGKILL is delivered asynchronously: give the kernel a moment to end the process.
    A zombie waiting for its parent to reap it counts as gone."""
    for _ in range(200):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        stat = Path(f"/proc/{pid}/stat")
        if stat.exists() and stat.read_text().rsplit(") ", 1)[1].startswith("Z"):
            return True
        time.sleep(0.05)
    return False


def test_interleaving_alternates_the_order_of_each_pair(tmp_path: Path) -> None:
    log = tmp_path / "order"
    before = py(f"open({str(log)!r}, 'a').write('A')")
    after = py(f"open({str(log)!r}, 'a').write('B')")
    session = interleave(before, after, runs=4, timeout_s=60)
    assert log.read_text() == "ABBAABBA"
    assert session.ratio.n == 4
    assert len(session.before.runs) == len(session.after.runs) == 4


@pytest.mark.parametrize(
    ("argv", "runs", "timeout", "message"),
    [
        ([], 1, 1.0, "put it after '--'"),
        (["no-such-command-xyz"], 1, 1.0, "cannot run 'no-such-command-xyz'"),
        ([PY, "-c", "pass"], 0, 1.0, "--runs must be at least 1"),
        ([PY, "-c", "pass"], 1, 0.0, "--timeout must be positive"),
    ],
)
def test_bad_settings_are_usage_errors(
    argv: list[str], runs: int, timeout: float, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        measure_command(argv, runs=runs, timeout_s=timeout)


def test_split_command_reads_a_quoted_old_command() -> None:
    assert split_command("python old.py --n '10 000'") == ["python", "old.py", "--n", "10 000"]
    with pytest.raises(UsageError, match="cannot parse"):
        split_command("python 'unclosed")


def test_summary_of_samples() -> None:
    summary = Summary.of([3.0, 1.0, 2.0, 5.0, 4.0])
    assert (summary.median, summary.minimum, summary.maximum, summary.n) == (3.0, 1.0, 5.0, 5)
    assert summary.to_json()["spread"] == pytest.approx((summary.high - summary.low) / 3.0)


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("p95 < 200ms", EffortGoal("p95", "<", 0.2)),
        ("wall < 1.5s", EffortGoal("wall", "<", 1.5)),
        ("rss <= 200MB", EffortGoal("rss", "<=", 200e6 / 1024)),
        ("RSS <= 1GiB", EffortGoal("rss", "<=", 1024.0**2)),
        ("cpu<=500 ms", EffortGoal("cpu", "<=", 0.5)),
        ("speedup >= 2x", EffortGoal("speedup", ">=", 2.0)),
        ("time < 3 s", EffortGoal("wall", "<", 3.0)),
    ],
)
def test_checkable_goals(text: str, goal: EffortGoal) -> None:
    parsed = parse_goal(text)
    assert parsed is not None
    assert (parsed.metric, parsed.op) == (goal.metric, goal.op)
    assert parsed.value == pytest.approx(goal.value)


@pytest.mark.parametrize("text", ["halve checkout latency", "throughput > 500rps", "p95 fast"])
def test_goals_perfcoach_cannot_measure_are_kept_as_text(text: str) -> None:
    assert parse_goal(text) is None


@pytest.mark.parametrize("text", ["p95 < 200", "wall < 2 parsecs", "rss < 10ms", "speedup > 2s"])
def test_a_known_metric_with_a_bad_unit_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match="goal"):
        parse_goal(text)


def _measured(walls: list[float]) -> dict:
    summary = Summary.of(walls).to_json()
    return {
        "wall_s": summary,
        "cpu_s": summary,
        "peak_rss_kib": summary,
        "samples": [{"wall_s": w, "cpu_s": w, "peak_rss_kib": 1} for w in walls],
    }


def test_goal_checks_use_the_whole_interval() -> None:
    walls = [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9]
    measured = _measured(walls)
    assert check_goal(EffortGoal("wall", "<", 2.0), measured, None)["verdict"] == MET
    assert check_goal(EffortGoal("wall", "<", 1.0), measured, None)["verdict"] == NOT_MET
    assert check_goal(EffortGoal("wall", "<", 1.6), measured, None)["verdict"] == UNCLEAR
    p95 = check_goal(EffortGoal("p95", "<", 1.85), measured, None)
    assert (p95["observed"], p95["verdict"]) == (1.9, NOT_MET)
    assert check_goal(EffortGoal("p50", "<=", 1.4), measured, None)["verdict"] == MET
    speedup = {"median": 3.0, "low": 2.5, "high": 3.5}
    assert check_goal(EffortGoal("speedup", ">=", 2.0), measured, speedup)["verdict"] == MET
    assert check_goal(EffortGoal("speedup", ">=", 2.0), measured, None)["verdict"] == UNCLEAR

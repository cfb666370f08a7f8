"""perfcoach's own speed, reported as ratios measured in one run (DESIGN §8).

- `perfcoach --help` cold start against a bare `python -c pass` start (target ≤ 7×),
  interleaved so both see the same machine.
- the TUI's time to first screen against a minimal Textual app's (benchmarks/minimal_app.py:
  one Static, exit after the first refresh), interleaved (target ≤ 1.3×).
- `lab check` wall time per built-in lab, for the reference solution and the starter, run
  as `perfcoach lab check` runs them (a check whose counted metric already misses leaves
  its timed metrics untimed; `--full` and `dev check` time them too) (targets: every check
  ≤ 5 s, the median over all of them ≤ 3 s).

Usage: python benchmarks/run.py [--runs N] [--lab ID ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from perfcoach.measure.timing import interleaved_pair

HELP_TARGET = 7.0
TUI_TARGET = 1.3
CHECK_TARGET_S = 5.0
# Labs whose brief allows longer: load-test starts a real HTTP service and loads it.
CHECK_TARGET_FOR = {"load-test": 10.0}
CHECK_MEDIAN_TARGET_S = 3.0
MINIMAL_APP = Path(__file__).with_name("minimal_app.py")


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def interleaved(
    first: list[str], second: list[str], env: dict[str, str], runs: int
) -> tuple[float, float, list[float]]:
    """Median seconds of each command and the per-pair ratios second/first, the order inside
    each pair alternating so both see the same machine; one untimed run of each warms the
    OS file cache, as a user's second run would be."""
    _time(first, env)
    _time(second, env)
    firsts, seconds, ratios = [], [], []
    for i in range(runs):
        a, b = interleaved_pair(i, lambda: _time(first, env), lambda: _time(second, env))
        firsts.append(a)
        seconds.append(b)
        ratios.append(b / a)
    return statistics.median(firsts), statistics.median(seconds), ratios


def _perfcoach() -> list[str]:
    exe = shutil.which("perfcoach", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "perfcoach"]


def cold_start(runs: int, env: dict[str, str]) -> tuple[float, float, list[float]]:
    """Median bare start, median --help start, and the per-pair ratios."""
    return interleaved([sys.executable, "-c", "pass"], [*_perfcoach(), "--help"], env, runs)


def tui_first_screen(runs: int, env: dict[str, str]) -> tuple[float, float, list[float]]:
    """Median seconds to a first screen drawn (headless, then exit) of the minimal app and of
    `perfcoach`, and the per-pair ratios."""
    tui_env = dict(env, PERFCOACH_EXIT_AFTER_FIRST_SCREEN="1")
    return interleaved([sys.executable, str(MINIMAL_APP)], _perfcoach(), tui_env, runs)


def lab_checks(lab_ids: list[str] | None) -> list[tuple[str, float, str, float, str]]:
    """(lab, solution seconds, verdict, starter seconds, verdict) for each built-in lab."""
    from perfcoach.catalog import load_pack
    from perfcoach.runner import run_check

    pack = load_pack()
    rows = []
    for lab in pack.ordered_labs():
        if lab_ids and lab.id not in lab_ids:
            continue
        start = time.perf_counter()
        solution = run_check(lab, lab.solution_dir, time_all=False)
        solution_s = time.perf_counter() - start
        start = time.perf_counter()
        starter = run_check(lab, lab.starter_dir, time_all=False)
        starter_s = time.perf_counter() - start
        rows.append((lab.id, solution_s, solution.verdict, starter_s, starter.verdict))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="cold-start pairs (default 21)")
    parser.add_argument("--lab", action="append", help="only these labs (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="perfcoach-bench-") as home:
        env = dict(os.environ, PERFCOACH_HOME=home)
        os.environ["PERFCOACH_HOME"] = home
        bare, help_s, ratios = cold_start(args.runs, env)
        ratio = statistics.median(ratios)
        verdict = "ok" if ratio <= HELP_TARGET else "OVER BUDGET"
        print(f"cold start ({args.runs} interleaved pairs, {os.cpu_count()} cores):")
        print(f"  python -c pass      {bare * 1000:7.1f} ms")
        print(f"  perfcoach --help    {help_s * 1000:7.1f} ms")
        print(f"  ratio (median pair) {ratio:7.2f}x   target <= {HELP_TARGET:g}x   {verdict}")
        pairs = max(5, args.runs // 2)
        minimal, tui, tui_ratios = tui_first_screen(pairs, env)
        tui_ratio = statistics.median(tui_ratios)
        tui_verdict = "ok" if tui_ratio <= TUI_TARGET else "OVER BUDGET"
        print(f"TUI first screen ({pairs} interleaved pairs):")
        print(f"  minimal Textual app {minimal * 1000:7.1f} ms")
        print(f"  perfcoach           {tui * 1000:7.1f} ms")
        print(
            f"  ratio (median pair) {tui_ratio:7.2f}x   target <= {TUI_TARGET:g}x   {tui_verdict}"
        )
        print("lab check (wall seconds, one run each):")
        print(f"  {'lab':<20} {'solution':>9} {'verdict':<8} {'starter':>9} {'verdict':<8}")
        times = []
        for lab_id, sol_s, sol_v, sta_s, sta_v in lab_checks(args.lab):
            budget = CHECK_TARGET_FOR.get(lab_id, CHECK_TARGET_S)
            over = f" OVER BUDGET ({budget:g} s)" if max(sol_s, sta_s) > budget else ""
            print(f"  {lab_id:<20} {sol_s:9.2f} {sol_v:<8} {sta_s:9.2f} {sta_v:<8}{over}")
            times += [sol_s, sta_s]
        median = statistics.median(times) if times else 0.0
        verdict = "ok" if median <= CHECK_MEDIAN_TARGET_S else "OVER BUDGET"
        print(
            f"  median {median:.2f} s   target <= {CHECK_MEDIAN_TARGET_S:g} s   {verdict};"
            f" every check <= {CHECK_TARGET_S:g} s"
            + "".join(f", {lab} <= {s:g} s" for lab, s in CHECK_TARGET_FOR.items())
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

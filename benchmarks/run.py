"""perfcoach's own speed, reported as ratios measured in one run (DESIGN §8).

- `perfcoach --help` cold start against a bare `python -c pass` start (target ≤ 8×),
  interleaved so both see the same machine.
- the TUI's time to first screen (target ≤ 0.8 s), with `--help` for reference.
- `lab check` wall time per built-in lab, for the reference solution and the starter.

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

HELP_TARGET = 8.0
TUI_TARGET_S = 0.8


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def cold_start(runs: int, env: dict[str, str]) -> tuple[float, float, list[float]]:
    """Median bare start, median --help start, and the per-pair ratios."""
    exe = shutil.which("perfcoach", path=str(Path(sys.executable).parent)) or shutil.which(
        "perfcoach"
    )
    help_cmd = [exe, "--help"] if exe else [sys.executable, "-m", "perfcoach", "--help"]
    bare_cmd = [sys.executable, "-c", "pass"]
    _time(help_cmd, env)  # warm the OS file cache once, as a user's second run would be
    bare, helps, ratios = [], [], []
    for i in range(runs):
        if i % 2 == 0:
            b, h = _time(bare_cmd, env), _time(help_cmd, env)
        else:
            h, b = _time(help_cmd, env), _time(bare_cmd, env)
        bare.append(b)
        helps.append(h)
        ratios.append(h / b)
    return statistics.median(bare), statistics.median(helps), ratios


def tui_first_screen(runs: int, env: dict[str, str]) -> list[float]:
    """Seconds from starting `perfcoach` to its first screen drawn (headless, then exit)."""
    exe = shutil.which("perfcoach", path=str(Path(sys.executable).parent)) or "perfcoach"
    tui_env = dict(env, PERFCOACH_EXIT_AFTER_FIRST_SCREEN="1")
    _time([exe], tui_env)
    return [_time([exe], tui_env) for _ in range(runs)]


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
        solution = run_check(lab, lab.solution_dir)
        solution_s = time.perf_counter() - start
        start = time.perf_counter()
        starter = run_check(lab, lab.starter_dir)
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
        tui = statistics.median(tui_first_screen(max(5, args.runs // 2), env))
        tui_verdict = "ok" if tui <= TUI_TARGET_S else "OVER BUDGET"
        print(
            f"  TUI first screen    {tui * 1000:7.1f} ms   "
            f"target <= {TUI_TARGET_S * 1000:.0f} ms   {tui_verdict}  "
            f"({tui / help_s:.1f}x perfcoach --help)"
        )
        print("lab check (wall seconds, one run each):")
        print(f"  {'lab':<20} {'solution':>9} {'verdict':<8} {'starter':>9} {'verdict':<8}")
        for lab_id, sol_s, sol_v, sta_s, sta_v in lab_checks(args.lab):
            print(f"  {lab_id:<20} {sol_s:9.2f} {sol_v:<8} {sta_s:9.2f} {sta_v:<8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""perfcoach's own speed, reported as ratios measured in one run (DESIGN §8).

- `perfcoach --help` cold start against a bare `python -c pass` start (target ≤ 7×),
  interleaved so both see the same machine.
- the TUI's time to first screen against a minimal Textual app's (benchmarks/minimal_app.py:
  one Static, exit after the first refresh), interleaved (target ≤ 1.3×).
- `lab check` wall time per built-in lab, for the reference solution and the starter, run
  as `perfcoach lab check` runs them (a check whose counted metric already misses leaves
  its timed metrics untimed; `--full` and `dev check` time them too) (targets: every check
  ≤ 5 s, the median over all of them ≤ 3 s).
- a check's CPU (grader and subjects, every process it made) forked from the zygote against
  the same check started as fresh interpreters, interleaved, on quick labs where start-up
  is most of a check (no target: the suite's time is the budget it serves).
- the launcher floor: `/bin/true` measured by `perfcoach baseline`'s launcher against
  `perf stat` (target: wall ≤ 0.5 ms above) and GNU time's peak RSS, with the floor
  perfcoach reports (`/usr/bin/time -f %e` has 10 ms resolution, too coarse to compare).
- the test suite: `pytest -n 4` (every test but the grading ones, every lab's dev-check
  proof, one slice of the grading tests; tests/slicing.py) in wall and CPU seconds, and
  with twice the labs in mind: the same run plus another set of proofs, the only part that
  grows with the labs, at the same use of the cores (target ≤ 4 minutes for both); then
  `--grading=rest`, the part only `.ci/run` makes (no target but CI's 15 minutes). CPU is
  the machine's (Linux): run it on a quiet machine. Takes about 7 minutes on 2 cores;
  pytest must be installed (`.[test]`).
- agreement with pyperf (when pyperf is importable): `perfcoach compare --vs` on a fixed pair
  (benchmarks/sieve_naive.py vs sieve_bytearray.py) against `python -m pyperf command` on
  each and `pyperf compare_to` (targets: ratio within ±10 % of pyperf's, ≤ 1/4 of its time).

Usage: python benchmarks/run.py [--runs N] [--lab ID ...] [--only SECTION ...]
"""

from __future__ import annotations

import argparse
import os
import shlex
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
SIEVES = (
    Path(__file__).with_name("sieve_naive.py"),
    Path(__file__).with_name("sieve_bytearray.py"),
)
FLOOR_TARGET_S = 0.0005
PYPERF_AGREEMENT = 0.10
PYPERF_TIME_SHARE = 0.25
COMPARE_PAIRS = 20
SUITE_TARGET_S = 240.0
ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("cold-start", "tui", "labs", "fork", "floor", "pyperf", "suite")
FORK_LABS = ("read-replicas", "cache-aside", "n-plus-one")


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


def check_cpu(lab_id: str, pairs: int) -> tuple[float, float]:
    """Median CPU seconds of one solution check forked from the zygote, and started fresh."""
    import resource

    from perfcoach.catalog import load_pack
    from perfcoach.runner import child, run_check, zygote

    lab = load_pack().lab(lab_id)
    forking = child.zygote_for

    def zygote_cpu() -> float:
        current = zygote._current
        if current is None:
            return 0.0
        fields = Path(f"/proc/{current.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def one(fork: bool) -> float:
        child.zygote_for = forking if fork else (lambda env: None)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        zygote_before = zygote_cpu()
        run_check(lab, lab.solution_dir, time_all=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return own + zygote_cpu() - zygote_before

    try:
        one(True)  # the zygote starts once per perfcoach process: not a check's cost
        forked, fresh = [], []
        for _ in range(pairs):
            forked.append(one(True))
            fresh.append(one(False))
    finally:
        child.zygote_for = forking
    return statistics.median(forked), statistics.median(fresh)


def report_fork(pairs: int) -> None:
    """A quick check's CPU, forked against fresh, interleaved."""
    print(f"check CPU, forked from the zygote vs fresh interpreters ({pairs} interleaved pairs):")
    for lab_id in FORK_LABS:
        forked, fresh = check_cpu(lab_id, pairs)
        print(
            f"  {lab_id:<20} {forked * 1000:6.0f} ms vs {fresh * 1000:6.0f} ms"
            f"   {forked / fresh:5.2f}x"
        )


def launcher_floor(runs: int) -> None:
    """`/bin/true` as perfcoach's launcher measures it, beside `perf stat`'s figures for the
    same command and GNU time's peak RSS."""
    from perfcoach.measure.commands import measure_command

    figures = measure_command(["/bin/true"], runs=runs, timeout_s=60)
    floor = figures.floor
    print(f"launcher floor (/bin/true, {runs} runs, load {os.getloadavg()[0]:.2f}):")
    print(f"  perfcoach wall (exec to exit) {figures.wall_s.median * 1000:7.3f} ms median")
    print(f"  perfcoach CPU                 {figures.cpu_s.median * 1000:7.3f} ms median")
    print(f"  perfcoach peak RSS            {figures.peak_rss_kib.median / 1024:7.2f} MiB median")
    print(
        f"  reported floor                CPU {floor.cpu_s * 1000:.3f} ms, "
        f"peak RSS {floor.peak_rss_kib / 1024:.2f} MiB"
    )
    rss = _gnu_time_rss(runs)
    if rss is not None:
        print(f"  /usr/bin/time peak RSS        {rss / 1024:7.2f} MiB median")
    perf = _perf_stat(runs)
    if perf is None:
        print("  perf stat not usable here: no wall/CPU reference")
        return
    elapsed, task_clock = perf
    above = figures.wall_s.median - elapsed
    verdict = "ok" if above <= FLOOR_TARGET_S else "OVER BUDGET"
    print(f"  perf stat elapsed (mean)      {elapsed * 1000:7.3f} ms   (fork to exit, from perf)")
    print(f"  perf stat task-clock (mean)   {task_clock * 1000:7.3f} ms")
    print(
        f"  perfcoach wall above perf     {above * 1000:7.3f} ms"
        f"   target <= {FLOOR_TARGET_S * 1000:g} ms   {verdict}"
    )


def _gnu_time_rss(runs: int) -> float | None:
    """Median peak RSS (KiB) of /bin/true under GNU time (its %e has 10 ms resolution: unused)."""
    gnu_time = shutil.which("time", path="/usr/bin")
    if gnu_time is None:
        return None
    rss = []
    with tempfile.NamedTemporaryFile("r") as out:
        for _ in range(runs):
            subprocess.run([gnu_time, "-f", "%M", "-o", out.name, "/bin/true"], check=True)
            out.seek(0)
            rss.append(int(out.read()))
    return statistics.median(rss)


def _perf_stat(runs: int) -> tuple[float, float] | None:
    """`perf stat -r runs /bin/true`: mean elapsed and task-clock seconds, or None without perf."""
    perf = shutil.which("perf")
    if perf is None:
        return None
    done = subprocess.run(
        [perf, "stat", "-x,", "-r", str(runs), "-e", "task-clock", "/bin/true"],
        capture_output=True,
        text=True,
        check=False,
    )
    timed = subprocess.run(
        [perf, "stat", "-r", str(runs), "/bin/true"], capture_output=True, text=True, check=False
    )
    elapsed = [line for line in timed.stderr.splitlines() if "seconds time elapsed" in line]
    clock = [line for line in done.stderr.splitlines() if "task-clock" in line]
    if done.returncode or timed.returncode or not elapsed or not clock:
        return None
    return float(elapsed[0].split()[0]), float(clock[0].split(",")[0]) / 1000


def pyperf_agreement(pairs: int) -> None:
    """Both tools on the sieve pair: ratios, medians, the time each took, and the verdicts."""
    try:
        import pyperf  # type: ignore[import-untyped]
    except ImportError:
        print("pyperf agreement: skipped (pip install pyperf to run it)")
        return
    from perfcoach.store import Efforts, Store

    slow, fast = [sys.executable, str(SIEVES[0])], [sys.executable, str(SIEVES[1])]
    load = os.getloadavg()[0]
    subprocess.run(
        [*_perfcoach(), "effort", "new", "sieve", "--goal", "speedup >= 2x"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    start = time.perf_counter()
    subprocess.run(
        [
            *_perfcoach(),
            "compare",
            "sieve",
            "--runs",
            str(pairs),
            "--vs",
            shlex.join(slow),
            "--",
            *fast,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    ours_s = time.perf_counter() - start
    with Store.open() as db:
        [measurement] = Efforts(db).measurements("sieve")
    figures = measurement.figures
    assert "measured" in figures  # an interleaved compare stores both commands and the ratio
    before, after, speedup = figures["against"], figures["measured"], figures["speedup"]
    assert before is not None and speedup is not None
    ours = speedup["median"]
    ours_slow, ours_fast = before["wall_s"]["median"], after["wall_s"]["median"]
    cpu_ratio = before["cpu_s"]["median"] / after["cpu_s"]["median"]
    with tempfile.TemporaryDirectory(prefix="perfcoach-pyperf-") as tmp:
        files = [Path(tmp, "slow.json"), Path(tmp, "fast.json")]
        start = time.perf_counter()
        for argv, out in zip((slow, fast), files, strict=True):
            subprocess.run(
                [sys.executable, "-m", "pyperf", "command", "-q", "-o", str(out), "--", *argv],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        compared = subprocess.run(
            [sys.executable, "-m", "pyperf", "compare_to", *map(str, files)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        theirs_s = time.perf_counter() - start
        benches = [pyperf.Benchmark.load(str(f)) for f in files]
    theirs_slow, theirs_fast = (bench.mean() for bench in benches)
    theirs = theirs_slow / theirs_fast
    theirs_median = benches[0].median() / benches[1].median()
    off = ours / theirs - 1
    agree = "ok" if abs(off) <= PYPERF_AGREEMENT else "DISAGREES"
    share = ours_s / theirs_s
    fast_enough = "ok" if share <= PYPERF_TIME_SHARE else "OVER BUDGET"
    print(f"pyperf agreement (sieve pair, load {load:.2f} at start, {os.cpu_count()} cores):")
    print(
        f"  perfcoach compare --vs ({pairs} pairs): {ours:6.2f}x  "
        f"({ours_slow * 1000:.1f} ms -> {ours_fast * 1000:.1f} ms medians)  took {ours_s:.1f} s"
    )
    print(
        f"  pyperf command + compare_to:     {theirs:6.2f}x  "
        f"({theirs_slow * 1000:.1f} ms -> {theirs_fast * 1000:.1f} ms means)  took {theirs_s:.1f} s"
    )
    print(f"  pyperf says: {compared.splitlines()[-1]}")
    print(f"  pyperf ratio of medians:         {theirs_median:6.2f}x")
    print(f"  perfcoach CPU-time ratio:        {cpu_ratio:6.2f}x   (what load barely moves)")
    print(
        f"  ratio off by {off * 100:+.1f} %   target within ±{PYPERF_AGREEMENT * 100:g} %   {agree}"
    )
    print(f"  time share {share:.2f}   target <= {PYPERF_TIME_SHARE:g}   {fast_enough}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="cold-start pairs (default 21)")
    parser.add_argument("--lab", action="append", help="only these labs (repeatable)")
    parser.add_argument(
        "--only", action="append", choices=SECTIONS, help="only these sections (repeatable)"
    )
    args = parser.parse_args()
    sections = set(args.only or SECTIONS)
    with tempfile.TemporaryDirectory(prefix="perfcoach-bench-") as home:
        env = dict(os.environ, PERFCOACH_HOME=home)
        os.environ["PERFCOACH_HOME"] = home
        if "cold-start" in sections:
            report_cold_start(args.runs, env)
        if "tui" in sections:
            report_tui(args.runs, env)
        if "labs" in sections:
            report_lab_checks(args.lab)
        if "fork" in sections:
            report_fork(max(5, args.runs // 3))
        if "floor" in sections:
            launcher_floor(max(20, args.runs))
        if "pyperf" in sections:
            pyperf_agreement(COMPARE_PAIRS)
    if "suite" in sections:
        report_suite()
    return 0


def report_cold_start(runs: int, env: dict[str, str]) -> None:
    """`perfcoach --help` against a bare Python start, interleaved."""
    bare, help_s, ratios = cold_start(runs, env)
    ratio = statistics.median(ratios)
    verdict = "ok" if ratio <= HELP_TARGET else "OVER BUDGET"
    print(f"cold start ({runs} interleaved pairs, {os.cpu_count()} cores):")
    print(f"  python -c pass      {bare * 1000:7.1f} ms")
    print(f"  perfcoach --help    {help_s * 1000:7.1f} ms")
    print(f"  ratio (median pair) {ratio:7.2f}x   target <= {HELP_TARGET:g}x   {verdict}")


def report_tui(runs: int, env: dict[str, str]) -> None:
    """The TUI's first screen against a minimal Textual app's, interleaved."""
    pairs = max(5, runs // 2)
    minimal, tui, tui_ratios = tui_first_screen(pairs, env)
    tui_ratio = statistics.median(tui_ratios)
    tui_verdict = "ok" if tui_ratio <= TUI_TARGET else "OVER BUDGET"
    print(f"TUI first screen ({pairs} interleaved pairs):")
    print(f"  minimal Textual app {minimal * 1000:7.1f} ms")
    print(f"  perfcoach           {tui * 1000:7.1f} ms")
    print(f"  ratio (median pair) {tui_ratio:7.2f}x   target <= {TUI_TARGET:g}x   {tui_verdict}")


def report_lab_checks(lab_ids: list[str] | None) -> None:
    """Every lab check's wall time against its budget."""
    print("lab check (wall seconds, one run each):")
    print(f"  {'lab':<20} {'solution':>9} {'verdict':<8} {'starter':>9} {'verdict':<8}")
    times = []
    for lab_id, sol_s, sol_v, sta_s, sta_v in lab_checks(lab_ids):
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


def _machine_cpu_s() -> float:
    """CPU seconds the whole machine has spent (Linux /proc/stat): a suite's graders and
    subjects are reaped by the zygote and by each other, so not all of them show in
    RUSAGE_CHILDREN; on a quiet machine the machine's count is the suite's."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _pytest(*args: str) -> tuple[float, float, str]:
    """(wall s, the machine's CPU s, its summary line), any failed test's id printed."""
    cpu0 = _machine_cpu_s()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "4", "-q", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    cpu = _machine_cpu_s() - cpu0
    lines = done.stdout.strip().splitlines() or ["no output"]
    for line in lines:
        if line.startswith(("FAILED", "ERROR")):
            print(f"    {line}")
    return wall, cpu, lines[-1].strip("= ")


def report_suite() -> None:
    """The README's test command against 4 minutes, today and with twice the labs."""
    print("test suite (pytest -n 4, one run each):")
    wall, cpu, summary = _pytest()
    print(f"  pytest -n 4               {wall:6.0f} s wall {cpu:6.0f} s CPU   {summary}")
    p_wall, p_cpu, proofs = _pytest("-k", "test_dev_check_proves_the_lab")
    print(f"  the labs' proofs alone    {p_wall:6.0f} s wall {p_cpu:6.0f} s CPU   {proofs}")
    twice = (cpu + p_cpu) / (cpu / wall)
    for label, seconds in (("today", wall), ("with twice the labs", twice)):
        verdict = "ok" if seconds <= SUITE_TARGET_S else "OVER BUDGET"
        print(f"  {label:<25} {seconds:6.0f} s   target <= {SUITE_TARGET_S:g} s   {verdict}")
    rest_wall, rest_cpu, rest = _pytest("--grading=rest")
    print(f"  --grading=rest (CI only)  {rest_wall:6.0f} s wall {rest_cpu:6.0f} s CPU   {rest}")


if __name__ == "__main__":
    sys.exit(main())

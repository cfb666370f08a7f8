"""Measuring real commands: wall time, CPU time and peak RSS of N runs, each in its own process.

Each run is a fresh process in its own process group; its wall time runs from its exec to
its exit, its CPU time and peak RSS come from the kernel's accounting of that process
(os.wait4 in a tiny launcher), so nothing of perfcoach's own process is counted. What the
launcher still adds (its forked child's pages and CPU before the exec) is measured before
the runs and kept as the floor. A run that exits non-zero or outlives the
timeout aborts the whole measurement: a failing command's timings are not figures.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from perfcoach import processes
from perfcoach.errors import PerfcoachError, UsageError
from perfcoach.measure.figures import CommandFiguresData, EnvironmentData, FigureSummary
from perfcoach.measure.stats import Estimate, median_interval
from perfcoach.measure.timing import interleaved_pair
from perfcoach.paths import cache_dir

DEFAULT_RUNS = 10
DEFAULT_TIMEOUT_S = 600.0
_STDERR_TAIL = 400
_FLOOR_RUNS = 3
# ru_maxrss is KiB on Linux but bytes on macOS.
_RSS_DIVISOR = 1024 if sys.platform == "darwin" else 1

OnRun = Callable[[int, "Run"], None]


class CommandFailed(PerfcoachError):
    """The measured command exited non-zero or timed out; nothing was recorded."""


@dataclass(frozen=True)
class Run:
    """One run of a command as the kernel accounted for it."""

    wall_s: float
    cpu_s: float
    peak_rss_kib: int


@dataclass(frozen=True)
class Summary:
    """Median with its ~95 % interval, plus the extremes, of one figure over the runs."""

    median: float
    low: float
    high: float
    minimum: float
    maximum: float
    n: int

    @property
    def spread(self) -> float:
        """Interval width relative to the median: 0.1 means the median is known to ±5 %."""
        return (self.high - self.low) / abs(self.median) if self.median else 0.0

    @classmethod
    def of(cls, samples: Sequence[float]) -> Summary:
        """Summarize samples with stats.median_interval."""
        estimate = median_interval(list(samples))
        return cls(
            estimate.median, estimate.low, estimate.high, min(samples), max(samples), estimate.n
        )

    def to_json(self) -> FigureSummary:
        """The documented figure shape: median, low, high, min, max, spread."""
        return {
            "median": self.median,
            "low": self.low,
            "high": self.high,
            "min": self.minimum,
            "max": self.maximum,
            "spread": self.spread,
        }


@dataclass(frozen=True)
class CommandFigures:
    """Every run of one command and the summary of each figure."""

    command: str
    runs: tuple[Run, ...]
    floor: Run

    @property
    def wall_s(self) -> Summary:
        """Elapsed wall-clock seconds per run."""
        return Summary.of([run.wall_s for run in self.runs])

    @property
    def cpu_s(self) -> Summary:
        """User + system CPU seconds per run (all threads, and children it waited for)."""
        return Summary.of([run.cpu_s for run in self.runs])

    @property
    def peak_rss_kib(self) -> Summary:
        """Peak resident memory per run, KiB."""
        return Summary.of([float(run.peak_rss_kib) for run in self.runs])

    def to_json(self) -> CommandFiguresData:
        """Summaries plus the raw runs, so a report can be re-derived later."""
        return {
            "command": self.command,
            "runs": len(self.runs),
            "wall_s": self.wall_s.to_json(),
            "cpu_s": self.cpu_s.to_json(),
            "peak_rss_kib": self.peak_rss_kib.to_json(),
            "samples": [
                {"wall_s": r.wall_s, "cpu_s": r.cpu_s, "peak_rss_kib": r.peak_rss_kib}
                for r in self.runs
            ],
            "floor": {
                "wall_s": self.floor.wall_s,
                "cpu_s": self.floor.cpu_s,
                "peak_rss_kib": self.floor.peak_rss_kib,
            },
        }


@dataclass(frozen=True)
class Interleaved:
    """An A/B session: before and after run alternately, ratio = before/after wall per pair."""

    before: CommandFigures
    after: CommandFigures
    ratio: Estimate


def command_text(argv: Sequence[str]) -> str:
    """The command as the user could paste it back into a shell."""
    return shlex.join(argv)


def split_command(text: str) -> list[str]:
    """A command given as one string (--vs 'python old.py'), split like a shell would."""
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"cannot parse command {text!r}: {exc}") from None
    if not argv:
        raise UsageError("the command to measure is empty")
    return argv


# A tiny launcher forks the command and reports its resource usage. It exists because Linux
# charges the memory of the process that forked a command, up to its exec, to the command's
# peak RSS: forked or posix_spawn-ed straight from perfcoach every command would appear to
# use perfcoach's ~60 MiB. The native one (launcher.c, built once with the system's C
# compiler) is charged under 0.5 MiB; where no compiler builds it, this Python one (no site,
# no imports beyond os/sys/time) is charged its forked child's few MiB. Either way
# `launcher_floor` measures what is left.
# Wall time runs from the command's exec (the close-on-exec pipe closes) to its exit, so the
# launcher's start-up and fork are not charged to the command. With an empty path the child exits
# where it would exec: its figures are what the launcher itself adds to every run.
# It also asks the kernel for SIGTERM when perfcoach dies (Linux), and then kills its own
# process group, so a SIGKILL of perfcoach leaves no measured command running.
_LAUNCHER = """
import os, signal, sys, time
parent, path, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
signal.signal(signal.SIGTERM, lambda *_: os.killpg(0, signal.SIGKILL))
if sys.platform.startswith("linux"):
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(143)
null = os.open(os.devnull, os.O_RDWR)
marker, mark = os.pipe()
pid = os.fork()
if pid == 0:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.dup2(null, 0)
    os.dup2(null, 1)
    if not path:
        os._exit(0)
    try:
        os.execv(path, argv)
    except OSError as exc:
        os.write(2, ("cannot run %r: %s\\n" % (argv[0], exc.strerror)).encode())
    os._exit(127)
os.close(mark)
os.read(marker, 1)
start = time.perf_counter()
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
line = "%r %r %r %d %d\\n" % (wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, status)
os.write(1, line.encode())
"""


_NATIVE_SOURCE = Path(__file__).with_name("launcher.c")


@functools.cache
def native_launcher() -> Path | None:
    """The native launcher, built from launcher.c into the cache on first use (keyed by the
    source's hash, so a new perfcoach builds its own), or None without a working compiler;
    looked for once per process."""
    built: Path | None = None
    compiler = shutil.which(os.environ.get("CC", "cc"))
    if compiler is not None and sys.platform != "win32":
        source = _NATIVE_SOURCE.read_bytes()
        target = cache_dir() / f"launcher-{hashlib.sha256(source).hexdigest()[:16]}"
        if target.is_file() and os.access(target, os.X_OK):
            built = target
        else:
            built = _build(compiler, target)
    return built


def _build(compiler: str, target: Path) -> Path | None:
    """Compile launcher.c to target (atomically: checks running at once may both build);
    None when the compiler fails or the cache cannot be written."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
            out = Path(scratch) / target.name
            done = subprocess.run(
                [compiler, "-O2", "-o", str(out), str(_NATIVE_SOURCE)],
                capture_output=True,
                timeout=60,
                check=False,
            )
            if done.returncode != 0 or not out.is_file():
                return None
            os.replace(out, target)
    except (OSError, subprocess.SubprocessError):
        return None
    return target


def _launcher_argv() -> list[str]:
    """How to start the launcher: the native one when it is built, else the Python one."""
    native = native_launcher()
    if native is not None:
        return [str(native)]
    return [sys.executable, "-S", "-I", "-c", _LAUNCHER]


def run_once(argv: Sequence[str], timeout_s: float) -> Run:
    """Run argv once with output discarded (stderr kept for a failure report)."""
    if not argv:
        raise UsageError("no command to measure: put it after '--', e.g. -- python bench.py")
    path = shutil.which(argv[0])
    if path is None:
        raise UsageError(f"cannot run {argv[0]!r}: not found, or not executable")
    return _launch(path, argv, timeout_s)


def launcher_floor(timeout_s: float = DEFAULT_TIMEOUT_S) -> Run:
    """What the launcher adds to one run: a child that exits where it would exec. Its peak
    RSS is the least any command can show (Linux charges the pre-exec pages to the command)."""
    return _launch("", ["floor"], timeout_s)


def measured_floor(timeout_s: float = DEFAULT_TIMEOUT_S) -> Run:
    """The launcher floor on this machine now: the median figure of a few floor runs."""
    runs = [launcher_floor(timeout_s) for _ in range(_FLOOR_RUNS)]
    return Run(
        statistics.median(r.wall_s for r in runs),
        statistics.median(r.cpu_s for r in runs),
        int(statistics.median(r.peak_rss_kib for r in runs)),
    )


def _launch(path: str, argv: Sequence[str], timeout_s: float) -> Run:
    """Run the launcher on path/argv and read the kernel's account of the child it forked."""
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(
            [*_launcher_argv(), str(os.getpid()), path, *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,
        )
        try:
            with processes.registered(proc):
                out, _ = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise CommandFailed(
                f"{command_text(argv)} did not finish within --timeout {timeout_s:g}s and was "
                "stopped; nothing was recorded"
            ) from None
        finally:
            # The command's whole process group: on timeout, Ctrl-C, and any child it left.
            _kill_group(proc.pid)
            proc.wait()
        fields = out.decode("ascii", "replace").split()
        if len(fields) != 5:
            raise CommandFailed(f"{command_text(argv)} could not be measured; nothing was recorded")
        wall, user, system, maxrss, status = fields
        code = os.waitstatus_to_exitcode(int(status))
        if code != 0:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace").strip()[-_STDERR_TAIL:]
            how = f"was killed by signal {-code}" if code < 0 else f"exited with status {code}"
            detail = f": {' '.join(tail.split())}" if tail else ""
            raise CommandFailed(f"{command_text(argv)} {how}; nothing was recorded{detail}")
    return Run(float(wall), float(user) + float(system), int(maxrss) // _RSS_DIVISOR)


def _kill_group(pid: int) -> None:
    """Stop the launcher, the command and anything it started; the group may be gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def measure_command(
    argv: Sequence[str],
    runs: int = DEFAULT_RUNS,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_run: OnRun | None = None,
) -> CommandFigures:
    """Run argv `runs` times; on_run(i, run) after each so a UI can show progress."""
    _check_settings(runs, timeout_s)
    floor = measured_floor(timeout_s)
    results: list[Run] = []
    for i in range(runs):
        run = run_once(argv, timeout_s)
        results.append(run)
        if on_run:
            on_run(i, run)
    return CommandFigures(command_text(argv), tuple(results), floor)


def interleave(
    before: Sequence[str],
    after: Sequence[str],
    runs: int = DEFAULT_RUNS,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    on_run: OnRun | None = None,
) -> Interleaved:
    """Run before and after in alternating pairs (AB, BA, …) so drift hits both equally;
    the ratio is the median of per-pair before/after wall times with its interval."""
    _check_settings(runs, timeout_s)
    floor = measured_floor(timeout_s)
    runs_a: list[Run] = []
    runs_b: list[Run] = []
    ratios: list[float] = []
    for i in range(runs):
        a, b = interleaved_pair(
            i, lambda: run_once(before, timeout_s), lambda: run_once(after, timeout_s)
        )
        runs_a.append(a)
        runs_b.append(b)
        ratios.append(a.wall_s / b.wall_s)
        if on_run:
            on_run(i, b)
    return Interleaved(
        CommandFigures(command_text(before), tuple(runs_a), floor),
        CommandFigures(command_text(after), tuple(runs_b), floor),
        median_interval(ratios),
    )


def _check_settings(runs: int, timeout_s: float) -> None:
    """Refuse settings that would measure nothing before any process starts."""
    if runs < 1:
        raise UsageError(f"--runs must be at least 1, not {runs}")
    if timeout_s <= 0:
        raise UsageError(f"--timeout must be positive, not {timeout_s:g}")


def environment() -> EnvironmentData:
    """Where and on what the figures were taken, so a baseline can be reproduced."""
    return {
        "cwd": os.getcwd(),
        "host": platform.node(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "git_commit": _git_commit(),
        "python": platform.python_version(),
    }


def _git_commit() -> str | None:
    """The working tree's commit (with '+dirty' for local changes), or None outside git."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head

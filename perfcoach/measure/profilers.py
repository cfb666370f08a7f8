"""Profiler adapters that turn cProfile, tracemalloc, memory-profiler and scalene into rows.

Each returns plain data (dicts of numbers and short strings) so the sandbox can hand
it to the parent as JSON and any face (CLI, TUI) can render it.
"""

from __future__ import annotations

import cProfile
import json
import linecache
import pstats
import sys
import threading
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

from perfcoach.errors import PerfcoachError


class CProfileRow(TypedDict):
    """One function in a cProfile report."""

    function: str
    where: str  # 'work.py:12' (the learner's files by name, others by their last parts)
    learner: bool
    ncalls: int
    tottime_s: float
    cumtime_s: float


class CProfileReport(TypedDict):
    """The busiest functions by own time, and the run's totals."""

    kind: Literal["cprofile"]
    total_calls: int
    total_s: float
    rows: list[CProfileRow]
    seed: NotRequired[int]  # added by runner.profile


class MemoryRow(TypedDict):
    """One allocation site alive near tracemalloc's peak."""

    where: str
    learner: bool
    size_bytes: int
    count: int
    code: str


class MemoryReport(TypedDict):
    """Allocation sites, tracemalloc's peak, and the peak RSS the grader read from outside."""

    kind: Literal["memory"]
    tracemalloc_peak_bytes: int
    rows: list[MemoryRow]
    peak_rss_mib: NotRequired[float]
    rss_source: NotRequired[str]
    rss_sampled_mib: NotRequired[float]
    seed: NotRequired[int]


class ScaleneRow(TypedDict):
    """One busy line of the learner's code."""

    where: str
    learner: bool
    python_percent: float
    native_percent: float
    code: str


class ScaleneReport(TypedDict):
    """The busiest lines of the learner's code under scalene."""

    kind: Literal["scalene"]
    elapsed_s: float
    rows: list[ScaleneRow]
    seed: NotRequired[int]


# What `lab profile` shows, told apart by kind.
Profile = CProfileReport | MemoryReport | ScaleneReport


def _short(filename: str, learner: set[str]) -> str:
    if filename in learner:
        return Path(filename).name
    if filename.startswith("<") or filename == "~":
        return filename
    parts = Path(filename).parts
    return str(Path(*parts[-2:])) if len(parts) >= 2 else filename


def total_calls(profiler: cProfile.Profile) -> int:
    """Every call the profiler saw, summed over its raw entries.

    pstats keys functions by (file, line, name), so the methods @dataclass generates
    (all '<string>:2(__init__)') collapse into one row and its total drops calls. The
    profiler's own disable() call is not the workload's.
    """
    entries = profiler.getstats()  # type: ignore[attr-defined]
    return sum(e.callcount for e in entries if "_lsprof.Profiler" not in str(e.code))


def cprofile_top(fn: Callable[[], object], learner_files: Sequence[Path], n: int) -> CProfileReport:
    """Top functions by own time (tottime), with call counts and cumulative time."""
    learner = {str(p) for p in learner_files}
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    rows: list[CProfileRow] = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, callers) in raw.items():
        if "_lsprof.Profiler" in func or _plumbing(filename, callers):
            continue
        rows.append(
            {
                "function": func,
                "where": f"{_short(filename, learner)}:{line}"
                if line
                else _short(filename, learner),
                "learner": filename in learner,
                "ncalls": ncalls,
                "tottime_s": tottime,
                "cumtime_s": cumtime,
            }
        )
    rows.sort(key=lambda r: r["tottime_s"], reverse=True)
    return {
        "kind": "cprofile",
        "total_calls": total_calls(profiler),
        "total_s": float(stats.total_tt),  # type: ignore[attr-defined]
        "rows": rows[:n],
    }


_PLUMBING = str(Path(__file__).resolve().parent.parent / "runner")


def _plumbing(filename: str, callers: dict[Any, Any]) -> bool:
    """perfcoach's own wire and harness (and builtins only they call): not the learner's
    code, nor what the learner's code asked for, so not worth a row."""
    if filename.startswith(_PLUMBING):
        return True
    return (
        filename == "~"
        and bool(callers)
        and all(str(caller[0]).startswith(_PLUMBING) for caller in callers)
    )


def memory_report(fn: Callable[[], object], learner_files: Sequence[Path], n: int) -> MemoryReport:
    """The allocation sites alive near tracemalloc's peak. Peak RSS is added by the grader,
    which samples the process from outside (see sample_rss)."""
    learner = {str(p) for p in learner_files}
    tracemalloc.start(1)
    try:
        watcher = _PeakWatcher()
        watcher.start()
        try:
            fn()
        finally:
            watcher.stop()
        _, peak = tracemalloc.get_traced_memory()
        snapshot = watcher.best or tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    snapshot = snapshot.filter_traces(
        [
            tracemalloc.Filter(False, tracemalloc.__file__),
            tracemalloc.Filter(False, __file__),
            tracemalloc.Filter(False, threading.__file__),
        ]
    )
    rows: list[MemoryRow] = []
    for stat in snapshot.statistics("lineno")[:n]:
        frame = stat.traceback[0]
        rows.append(
            {
                "where": f"{_short(frame.filename, learner)}:{frame.lineno}",
                "learner": frame.filename in learner,
                "size_bytes": stat.size,
                "count": stat.count,
                "code": linecache.getline(frame.filename, frame.lineno).strip(),
            }
        )
    return {"kind": "memory", "tracemalloc_peak_bytes": int(peak), "rows": rows}


class RssSampler(threading.Thread):
    """Samples another process's resident memory with memory-profiler until stopped: the
    peak RSS of a sandboxed run, read from outside the sandbox."""

    def __init__(self, pid: int, interval_s: float = 0.01) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval_s = interval_s
        self.peak_mib = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        from memory_profiler import memory_usage

        while not self._done.is_set():
            try:
                sample = memory_usage(self.pid, interval=self.interval_s, timeout=0.1)
            except Exception:  # the process is gone, or the platform cannot tell
                return
            if sample:
                self.peak_mib = max(self.peak_mib, max(sample))

    def stop(self) -> float:
        """Stop sampling; the highest RSS seen, MiB."""
        self._done.set()
        self.join(timeout=5)
        return self.peak_mib


class _PeakWatcher(threading.Thread):
    """Snapshots tracemalloc whenever traced memory grows a quarter past its last snapshot, so
    the sites shown are the ones alive near the peak (not what survives the run), without
    paying for a snapshot every tick while a big input loads."""

    def __init__(self, interval_s: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval_s = interval_s
        self.best: tracemalloc.Snapshot | None = None
        self.best_size = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval_s):
            current, _ = tracemalloc.get_traced_memory()
            if current > self.best_size * 1.25:
                self.best = tracemalloc.take_snapshot()
                self.best_size = current

    def stop(self) -> None:
        """Take a last look, then end the thread."""
        self._done.set()
        self.join()
        current, _ = tracemalloc.get_traced_memory()
        if current > self.best_size:
            self.best = tracemalloc.take_snapshot()
            self.best_size = current


def scalene_command(program: Path, args: Sequence[str], out: Path, only: Path) -> list[str]:
    """The scalene 2.x command line: CPU only, JSON out, limited to the learner's folder."""
    return [
        sys.executable,
        "-m",
        "scalene",
        "run",
        "--cpu-only",
        "-o",
        str(out),
        "--profile-only",
        str(only),
        "--program-path",
        str(only),
        str(program),
        "---",
        *args,
    ]


def scalene_top(
    out: Path, learner_files: Sequence[Path], n: int, *, lines_of: dict[str, list[str]]
) -> ScaleneReport:
    """Parse scalene's JSON (files[path].lines[]) into the busiest lines of learner code."""
    try:
        data = json.loads(out.read_text())
    except (OSError, ValueError) as exc:
        raise PerfcoachError(f"scalene wrote no readable profile ({exc})") from None
    learner = {str(p) for p in learner_files}
    rows: list[ScaleneRow] = []
    for filename, info in (data.get("files") or {}).items():
        source = lines_of.get(filename, [])
        for line in info.get("lines", []):
            python = float(line.get("n_cpu_percent_python", 0.0))
            native = float(line.get("n_cpu_percent_c", 0.0))
            if python + native <= 0:
                continue
            lineno = int(line.get("lineno", 0))
            text = line.get("line") or (source[lineno - 1] if 0 < lineno <= len(source) else "")
            rows.append(
                {
                    "where": f"{_short(filename, learner)}:{lineno}",
                    "learner": filename in learner,
                    "python_percent": python,
                    "native_percent": native,
                    "code": text.strip(),
                }
            )
    rows.sort(key=lambda r: r["python_percent"] + r["native_percent"], reverse=True)
    return {
        "kind": "scalene",
        "elapsed_s": float(data.get("elapsed_time_sec", 0.0)),
        "rows": rows[:n],
    }

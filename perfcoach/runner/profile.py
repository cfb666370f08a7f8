"""Run a lab's workload on the learner's code under a profiler, in the sandboxed subject."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from perfcoach.catalog.lab import Lab
from perfcoach.errors import PerfcoachError, UsageError
from perfcoach.runner.check import STARTUP_SLACK_S, grader_spec, new_seed
from perfcoach.runner.child import ChildOutcome, run_child
from perfcoach.runner.contracts import ErrorInfo, Mode

if TYPE_CHECKING:
    from perfcoach.measure.profilers import Profile

PROFILERS = ("cprofile", "scalene", "memory")


def profile(lab: Lab, candidate_dir: Path, profiler: str, seed: int | None = None) -> Profile:
    """Profile the workload; returns the adapter's rows or raises a one-line error."""
    if profiler not in PROFILERS:
        raise UsageError(f"unknown profiler '{profiler}' (choose: {', '.join(PROFILERS)})")
    seed = new_seed() if seed is None else seed
    candidate_dir = candidate_dir.resolve()
    spec = grader_spec(lab, candidate_dir, seed, cast(Mode, profiler))
    spec["timed"] = False
    if profiler == "scalene":
        spec["memory_bytes"] = 0
    timeout = lab.timeout_s * 3 + STARTUP_SLACK_S
    outcome = run_child(spec, timeout)
    found = _profile_of(outcome, timeout, profiler)
    found["seed"] = seed
    return found


def _profile_of(outcome: ChildOutcome, timeout: float, profiler: str) -> Profile:
    if outcome.timed_out:
        if profiler == "scalene":
            raise PerfcoachError(
                f"scalene did not finish within {timeout:.0f}s (it can hang at "
                "start-up); try again or use --with cprofile"
            )
        raise PerfcoachError(f"the workload did not finish within {timeout:.0f}s")
    result = outcome.result
    if result is None:
        raise PerfcoachError(
            f"the profiled run ended (exit code {outcome.returncode}) without a result"
        )
    status = result.get("status")
    if status == "raised":
        error: ErrorInfo | dict[str, str] = result.get("error") or {}
        where = error.get("where")
        raise PerfcoachError(
            f"your code failed while profiled: {where + ': ' if where else ''}"
            f"{error.get('message')}"
        )
    found = result.get("profile")
    if status != "ok" or found is None:
        raise PerfcoachError(f"the profiled run failed: {result.get('message')}")
    return found

"""Run a lab's workload on the learner's code under a profiler, in the sandbox child."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from perfcoach.catalog.lab import Lab
from perfcoach.errors import PerfcoachError, UsageError
from perfcoach.runner.check import STARTUP_SLACK_S, new_seed
from perfcoach.runner.child import ChildOutcome, run_child

PROFILERS = ("cprofile", "scalene", "memory")
SCALENE_TOP = 15


def profile(
    lab: Lab, candidate_dir: Path, profiler: str, seed: int | None = None
) -> dict[str, Any]:
    """Profile the workload; returns the adapter's rows or raises a one-line error."""
    if profiler not in PROFILERS:
        raise UsageError(f"unknown profiler '{profiler}' (choose: {', '.join(PROFILERS)})")
    seed = new_seed() if seed is None else seed
    candidate_dir = candidate_dir.resolve()
    spec = {
        "mode": "workload" if profiler == "scalene" else profiler,
        "lab_dir": str(lab.root),
        "files": list(lab.files),
        "candidate_dir": str(candidate_dir),
        "seed": seed,
        "goals": {m.name: m.goal.text for m in lab.metrics},
        "memory_bytes": 0 if profiler == "scalene" else lab.memory_mb * 1024 * 1024,
    }
    timeout = lab.timeout_s * 3 + STARTUP_SLACK_S
    if profiler != "scalene":
        outcome = run_child(spec, timeout)
        return dict(_profile_of(outcome, timeout), seed=seed)
    return dict(_scalene(lab, candidate_dir, spec, timeout), seed=seed)


def _profile_of(outcome: ChildOutcome, timeout: float) -> dict[str, Any]:
    if outcome.timed_out:
        raise PerfcoachError(f"the workload did not finish within {timeout:.0f}s")
    result = outcome.result
    if result is None:
        raise PerfcoachError(
            f"the profiled run ended (exit code {outcome.returncode}) without a result"
        )
    if result.get("status") != "ok":
        where = result.get("where")
        raise PerfcoachError(
            f"your code failed while profiled: "
            f"{where + ': ' if where else ''}{result.get('message')}"
        )
    return result.get("profile") or {}


def _scalene(lab: Lab, candidate_dir: Path, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    from perfcoach.measure.profilers import scalene_command, scalene_top

    learner = [candidate_dir / name for name in lab.files]
    with tempfile.TemporaryDirectory(prefix="perfcoach-scalene-") as tmp:
        out = Path(tmp) / "profile.json"
        outcome = run_child(
            spec,
            timeout,
            wrap=lambda program, args: scalene_command(program, args, out, candidate_dir),
        )
        if outcome.timed_out:
            raise PerfcoachError(
                f"scalene did not finish within {timeout:.0f}s (it can hang at "
                "start-up); try again or use --with cprofile"
            )
        _profile_of(outcome, timeout)
        if not out.is_file():
            tail = outcome.output.strip().splitlines()[-3:]
            raise PerfcoachError("scalene wrote no profile: " + (" | ".join(tail) or "no output"))
        sources = {str(p): p.read_text(errors="replace").splitlines() for p in learner}
        return scalene_top(out, learner, SCALENE_TOP, lines_of=sources)
